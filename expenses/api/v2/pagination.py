"""Keyset pagination of /api/v2/ lists: `limit` rows after an opaque `cursor`, at the same cost on every page.

Expenses are walked in (modified, id) order, `modified` being the owner's sync clock (expenses.models
.SyncClock): a change always moves an expense to the end of the walk, after everything changed before it.
`modified_after=<sync_cursor>` walks only what changed after a previous answer, deleted expenses included
(as tombstones), and every page answers the server's own `sync_cursor` to store for the next sync.
"""

import base64
import binascii
import datetime as dt
import json
from urllib.parse import urlencode

from django.db.models import Q
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from xpenser_server.ids import MAX_ID

from .conditional import micros_stamp, stamp_micros

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_MICROS = stamp_micros(dt.datetime(9999, 12, 31, tzinfo=dt.UTC))  # the first number of a position is a stamp


def encode_cursor(payload: dict) -> str:
    text = json.dumps(payload, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(value: str, param: str) -> dict:
    try:
        payload = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        if not isinstance(payload, dict):
            raise ValueError
        return payload
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise exceptions.ValidationError({param: ["not a cursor this server gave out"]}) from None


def _position(payload: dict, key: str, param: str, size: int, required=False) -> tuple[int, ...] | None:
    value = payload.get(key)
    if value is None and not required:
        return None
    valid = isinstance(value, list) and len(value) == size and all(type(v) is int and 0 <= v <= MAX_ID for v in value)
    if not valid or (size == 2 or key == "s") and value[0] > MAX_MICROS:
        raise exceptions.ValidationError({param: ["not a cursor this server gave out"]})
    return tuple(value)


class KeysetPagination(BasePagination):
    """`?limit=` rows (default 100, at most 500) in `id` order, continued by `?cursor=`; the answer is
    `{"results": [...], "next": <URL of the next page or null>}`."""

    limit_query_param = "limit"
    cursor_query_param = "cursor"

    def get_limit(self, request) -> int:
        text = request.query_params.get(self.limit_query_param)
        if text is None:
            return DEFAULT_LIMIT
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_LIMIT:
            raise exceptions.ValidationError({self.limit_query_param: [f"a whole number from 1 to {MAX_LIMIT}"]})
        return int(text)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        cursor = request.query_params.get(self.cursor_query_param)
        self.cursor = decode_cursor(cursor, self.cursor_query_param) if cursor else {}
        after = _position(self.cursor, "p", self.cursor_query_param, 1, required=bool(cursor))
        if after is not None:
            queryset = queryset.filter(pk__gt=after[0])
        rows = list(queryset.order_by("pk")[: self.limit + 1])
        self.page, self.has_more = rows[: self.limit], len(rows) > self.limit
        return self.page

    def next_payload(self) -> dict:
        return {"p": [self.page[-1].pk]}

    def next_link(self) -> str | None:
        if not self.has_more:
            return None
        params = [(key, values) for key, values in self.request.query_params.lists() if key != self.cursor_query_param]
        params.append((self.cursor_query_param, [encode_cursor(self.next_payload())]))
        return self.request.build_absolute_uri(self.request.path) + "?" + urlencode(params, doseq=True)

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.next_link()})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results", "next"],
            "properties": {
                "results": schema,
                "next": {"type": "string", "format": "uri", "nullable": True,
                         "description": "The next page (null on the last one)."},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.limit_query_param, "in": "query", "required": False,
             "description": f"Rows per page (default {DEFAULT_LIMIT}).",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}},
            {"name": self.cursor_query_param, "in": "query", "required": False,
             "description": "Where to continue: from the `next` link of the previous page.",
             "schema": {"type": "string"}},
        ]


class SyncPagination(KeysetPagination):
    """Expenses in (modified, id) order; with `modified_after` only what changed after it, tombstones included.

    `sync_cursor` in every answer: pass it as `modified_after` on the next sync. After a plain list walk it
    is where the walk began (the owner's clock at its first page), so the next sync sends everything changed
    since, deletions included; after a sync's last page it is the end of what was sent, or the clock.
    """

    modified_after_param = "modified_after"

    def changes_only(self, request) -> bool:
        return self.modified_after_param in request.query_params

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        cursor = request.query_params.get(self.cursor_query_param)
        self.cursor = decode_cursor(cursor, self.cursor_query_param) if cursor else {}
        after = _position(self.cursor, "p", self.cursor_query_param, 2, required=bool(cursor))
        self.sync_start = _position(self.cursor, "s", self.cursor_query_param, 1)
        if self.changes_only(request):
            since = decode_cursor(request.query_params[self.modified_after_param], self.modified_after_param)
            since = _position(since, "p", self.modified_after_param, 2, required=True)
            after = after or since
        # The clock is read before the rows: every change after this read comes after the rows read next.
        self.clock = view.sync_clock()
        if self.sync_start is None:
            self.sync_start = (stamp_micros(self.clock) if self.clock else 0,)
        if after is not None:
            stamp, pk = micros_stamp(after[0]), after[1]
            # `modified >= s` bounds the index range; ties on `modified` are continued by id.
            queryset = queryset.filter(modified__gte=stamp).filter(Q(modified__gt=stamp) | Q(pk__gt=pk))
        rows = list(queryset.order_by("modified", "pk")[: self.limit + 1])
        self.page, self.has_more = rows[: self.limit], len(rows) > self.limit
        self.after = after
        return self.page

    def next_payload(self) -> dict:
        last = self.page[-1]
        return {"p": [stamp_micros(last.modified), last.pk], "s": list(self.sync_start)}

    def sync_cursor(self) -> str:
        if not self.changes_only(self.request):
            return encode_cursor({"p": [self.sync_start[0], MAX_ID]})
        position = self.after
        if self.page:
            position = (stamp_micros(self.page[-1].modified), self.page[-1].pk)
        if not self.has_more and self.clock is not None:
            position = max(position, (stamp_micros(self.clock), MAX_ID))
        return encode_cursor({"p": list(position)})

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.next_link(), "sync_cursor": self.sync_cursor()})

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["required"].append("sync_cursor")
        answer["properties"]["sync_cursor"] = {
            "type": "string", "description": "Pass as `modified_after` on the next sync to get what changed since."}
        return answer

    def get_schema_operation_parameters(self, view):
        return [*super().get_schema_operation_parameters(view), {
            "name": self.modified_after_param, "in": "query", "required": False,
            "description": "A `sync_cursor` from an earlier answer: only the expenses changed since, deleted "
                           "ones included (`deleted: true`).",
            "schema": {"type": "string"}}]
