"""Rows for exports: every matching expense as a plain dict, streamed from the database in chunks."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connections
from django.db.models import Func, TextField, Value
from django.db.models.functions import Cast, Substr

from ..dates import is_utc
from ..models import Expense, Tag

EXPORT_FIELDS = (
    "id", "owner_id", "report_id", "type", "amount", "rawamount", "notes", "date", "status",
    "sourceid", "category", "receipt", "created", "modified", "original_amount", "original_currency",
    "amount_currency", "rate", "rate_date",
)  # fmt: skip
_DATETIME_FIELDS = ("date", "created", "modified")
_AMOUNT_FIELDS = ("amount", "rawamount", "original_amount")


def expense_rows(queryset, *, chunk_size=2000, tz=None) -> "ExpenseRows":
    """The export rows of `queryset`, its query already run (ExpenseRows)."""
    return ExpenseRows(queryset, chunk_size=chunk_size, tz=tz)


class ExpenseRows:
    """Stream plain dicts (no model instances) for exports, each with `tags` as [(id, name), ...].

    The query runs and its first chunk is read when this is called, so that a failing query raises in the view,
    before a streamed answer starts (never a 200 with a truncated body). The rest comes from the database cursor
    `chunk_size` rows at a time (a server-side cursor on PostgreSQL, SQLite's lazy cursor otherwise) and tags
    are fetched once per chunk, so memory stays flat however many expenses there are. `close()` releases the
    cursor of a download cut short; xpenser_server.api.streamed_response calls it when the answer closes, as
    the garbage collector must not (it may run in the middle of another query on the same connection).
    Stream the rows outside `transaction.atomic()`, as views do: on PostgreSQL a server-side cursor declared in
    a transaction ends with it (in autocommit Django declares it WITH HOLD, so it outlives its statement).

    The values equal the model's (aware datetimes, two-decimal Decimals); they are converted here in bulk
    because Django's per-value converters cost more than the whole rendering of a row (see bench/RESULTS.md).
    Given `tz` UTC (the default zone), the database writes the timestamps and amounts as the text the wire
    carries ("2009-08-26 00:00:00", "45.00"), which serializers.money, dates.format_timestamp and the
    renderers pass through unchanged: SQLite already stores UTC text, and PostgreSQL formats in C.
    """

    def __init__(self, queryset, *, chunk_size=2000, tz=None):
        connection = connections[queryset.db]
        columns = list(EXPORT_FIELDS)
        wire_text = connection.vendor in _WIRE_TEXT and is_utc(tz)
        if wire_text:
            queryset = queryset.annotate(**_WIRE_TEXT[connection.vendor]())
            columns = [f"{name}_text" if name in _DATETIME_FIELDS + _AMOUNT_FIELDS else name for name in columns]
        elif connection.vendor == "sqlite":
            # Timestamps as text, parsed by datetime.fromisoformat (C) rather than a regex per value.
            queryset = queryset.annotate(**{f"{name}_text": Cast(name, TextField()) for name in _DATETIME_FIELDS})
            columns = [f"{name}_text" if name in _DATETIME_FIELDS else name for name in columns]
        sql, params = queryset.values_list(*columns).query.sql_with_params()
        self._connection, self._chunk_size = connection, chunk_size
        self._export_row = _wire_text_row if wire_text else _export_row_factory(connection.vendor)
        self._cursor = connection.chunked_cursor()
        try:
            self._cursor.execute(sql, params)
            first = self._cursor.fetchmany(chunk_size)
        except BaseException:
            self._release_cursor()
            raise
        self._rows = self._stream(first)

    def __iter__(self):
        return self._rows

    def __next__(self):
        return next(self._rows)

    def close(self) -> None:
        """Release the database cursor (the download abandoned); the rows not read are dropped."""
        rows, self._rows = self._rows, iter(())
        if not rows.gi_running:
            rows.close()  # the generator refers back to this object: a cycle only the collector would break
        self._release_cursor()

    def _release_cursor(self) -> None:
        cursor, self._cursor = self._cursor, None
        if cursor is not None:
            cursor.close()

    def _stream(self, batch):
        # No try/finally: a generator's cleanup runs when the garbage collector gets to it (see the class).
        export_row = self._export_row
        while batch:
            tags = _tags_of(self._connection, [values[0] for values in batch])
            # A dict per row as it is asked for, not a chunk's worth at once: each is garbage by the time the
            # next is made, so the collector never promotes (and later rescans) thousands of them.
            for values in batch:
                yield export_row(values, tags.get(values[0]) or [])
            batch = self._cursor.fetchmany(self._chunk_size) if self._cursor is not None else []
        self._release_cursor()


def _sqlite_wire_text() -> dict:
    return {
        **{f"{name}_text": Substr(name, 1, 19) for name in _DATETIME_FIELDS},
        **{f"{name}_text": Func(Value("%.2f"), name, function="printf", output_field=TextField())
           for name in _AMOUNT_FIELDS},
    }


def _postgresql_wire_text() -> dict:
    return {
        **{f"{name}_text": Func(name, template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')",
                                output_field=TextField()) for name in _DATETIME_FIELDS},
        **{f"{name}_text": Cast(name, TextField()) for name in _AMOUNT_FIELDS},  # numeric(12, 2): "45.00"
    }


_WIRE_TEXT = {"sqlite": _sqlite_wire_text, "postgresql": _postgresql_wire_text}


_RATE_TEXTS: dict = {}


def _rate_text(value) -> str:
    """The rate as published ("1.0867", as Expense.rate_text); '' while waiting for one. SQLite hands back a
    float (whose repr is the shortest text of the stored value), PostgreSQL a Decimal."""
    # Memoised by value (most rows of an account share a few rates); zero is not, to keep the sign of -0.
    if value is None:
        return ""
    text = _RATE_TEXTS.get(value) if value else None
    if text is None:
        number = value if isinstance(value, Decimal) else Decimal(repr(value))
        text = f"{number.normalize():f}"
        if value:
            if len(_RATE_TEXTS) > 50_000:
                _RATE_TEXTS.clear()
            _RATE_TEXTS[value] = text
    return text


def _day_text(value) -> str:
    return "" if value is None else str(value)  # SQLite: "2026-12-01"; PostgreSQL: a date


def _wire_text_row(values, tags) -> dict:
    (pk, owner_id, report_id, type_, amount, rawamount, notes, date, status, sourceid, category, receipt,
     created, modified, original_amount, original_currency, amount_currency, rate, rate_date) = values  # fmt: skip
    return {
        "id": pk, "owner_id": owner_id, "report_id": report_id, "type": type_, "amount": amount,
        "rawamount": rawamount, "notes": notes, "date": date, "status": status, "sourceid": sourceid,
        "category": category, "receipt": receipt or "", "created": created, "modified": modified,
        "original_amount": original_amount, "original_currency": original_currency,
        "amount_currency": amount_currency, "rate": _rate_text(rate), "rate_date": _day_text(rate_date),
        "tags": tags,
    }  # fmt: skip


def _sqlite_datetime(text):
    # Stored as naive UTC text (USE_TZ); one C call instead of Django's regex parse + make_aware.
    return dt.datetime.fromisoformat(text + "+00:00") if text is not None else None


def _aware_datetime(value):
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


_DECIMALS: dict = {}


def _decimal(value):
    # SQLite hands back floats/ints; two-decimal text round-trips exactly for values of a 2-place column.
    # Amounts repeat a lot, so conversions are memoised (Decimals are immutable); zero is not, to keep -0.00.
    if value is None or isinstance(value, Decimal):
        return value
    found = _DECIMALS.get(value) if value else None
    if found is None:
        found = Decimal(f"{value:.2f}")
        if value:
            if len(_DECIMALS) > 50_000:
                _DECIMALS.clear()
            _DECIMALS[value] = found
    return found


def _export_row_factory(vendor):
    when = _sqlite_datetime if vendor == "sqlite" else _aware_datetime

    def export_row(values, tags) -> dict:
        (pk, owner_id, report_id, type_, amount, rawamount, notes, date, status, sourceid, category, receipt,
         created, modified, original_amount, original_currency, amount_currency, rate, rate_date) = values  # fmt: skip
        return {
            "id": pk, "owner_id": owner_id, "report_id": report_id, "type": type_, "amount": _decimal(amount),
            "rawamount": _decimal(rawamount), "notes": notes, "date": when(date), "status": status,
            "sourceid": sourceid, "category": category, "receipt": receipt or "", "created": when(created),
            "modified": when(modified), "original_amount": _decimal(original_amount),
            "original_currency": original_currency, "amount_currency": amount_currency, "rate": _rate_text(rate),
            "rate_date": _day_text(rate_date), "tags": tags,
        }  # fmt: skip

    return export_row


def _tag_order(tag):
    return tag[1], tag[0]  # by name, then id: the same on every database


def _tags_of(connection, ids) -> dict:
    """{expense id: [(tag id, name), ...] by name, then id} for the expenses of one chunk (one query)."""
    links = Expense.tags.through._meta.db_table
    tag_table = Tag._meta.db_table
    tags = defaultdict(list)
    if connection.vendor == "postgresql":
        # One array parameter: 2,000 separate ones made planning cost more than the query (bench/RESULTS.md).
        where, params = "l.expense_id = ANY(%s)", [ids]
    else:
        where, params = f"l.expense_id IN ({', '.join(['%s'] * len(ids))})", ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT l.expense_id, t.id, t.name FROM {links} l JOIN {tag_table} t ON t.id = l.tag_id "  # noqa: S608
            f"WHERE {where}",
            params,
        )
        for expense_id, tag_id, name in cursor.fetchall():
            tags[expense_id].append((tag_id, name))
    for found in tags.values():
        if len(found) > 1:
            found.sort(key=_tag_order)
    return tags
