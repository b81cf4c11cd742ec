"""What every API family shares: the error envelope, request bodies, actions and ids, format selection and
streamed downloads."""

import math
from collections.abc import Callable, Mapping

from django.db import OperationalError
from django.http import JsonResponse, StreamingHttpResponse
from rest_framework import exceptions, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import APIView, set_rollback

from .errors import InvalidInput, NotFound
from .ids import is_ascii_digits, parse_id
from .write_checks import request_writes

MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "qif": "application/qif; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
_ACCEPT_ALIASES = {
    "application/json": "json",
    "text/json": "json",
    "text/csv": "csv",
    "application/qif": "qif",
    "application/x-qif": "qif",
    "text/xml": "xml",
    "application/xml": "xml",
    "text/html": "html",
}


V2_PREFIX = "/api/v2/"


def v2_error_response(status_code: int, code: str, message: str, headers=None) -> JsonResponse:
    """`/api/v2/`'s envelope, `{"error": {"code", "message", "fields"}}`, for answers given outside its views."""
    response = JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status_code)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(status_code: int, message: str, headers=None, **extra) -> JsonResponse:
    """`{"status": <code>, "error": "<message>"}` with the same HTTP status (docs/api.md, "Conventions")."""
    response = JsonResponse({"status": status_code, "error": message, **extra}, status=status_code)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _detail_text(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_detail_text(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_detail_text(item) for item in detail)
    return str(detail)


BUSY_RETRY_AFTER = 2  # seconds


def exception_handler(exc, context):
    """DRF exception handler: every failure answers the JSON error envelope, never an HTML page."""
    if isinstance(exc, InvalidInput | NotFound):
        set_rollback()
        return error_response(exc.status_code, exc.message)
    if isinstance(exc, OperationalError) and "database is locked" in str(exc):
        # SQLite: another writer held the database for the whole timeout. Nothing was written; scripts retry.
        set_rollback()
        return error_response(503, "the database is busy with other writes; retry in a moment",
                              {"Retry-After": str(BUSY_RETRY_AFTER)}, retry_after=BUSY_RETRY_AFTER)
    if isinstance(exc, exceptions.APIException):
        headers, extra = {}, {}
        # An authenticator may name its own challenge (OAuth refusals answer `OAuth realm=...`).
        challenge = getattr(exc, "challenge", None) or getattr(exc, "auth_header", None)
        if challenge:
            headers["WWW-Authenticate"] = challenge
        if getattr(exc, "wait", None):
            # Throttled (429): scripts read the wait from the header or from the envelope.
            extra["retry_after"] = math.ceil(exc.wait)
            headers["Retry-After"] = str(extra["retry_after"])
        set_rollback()
        return error_response(exc.status_code, _detail_text(exc.detail), headers, **extra)
    return None


# The 400 for a body that is not fields: the /api/v1.0/ wording (the legacy family keeps its own, shorter one).
BODY_REFUSAL = ("the request body must be a form (application/x-www-form-urlencoded or multipart) "
                "or a JSON object")


_SCALARS = (str, int, float, bool, type(None))
# The body fields the legacy and v1.0 families read (others are ignored, as they always were); `tags` may be a list.
FIELDS_READ = frozenset({"q", "format", "action", "type", "amount", "rawamount", "notes", "date", "report",
                         "report_id", "tags", "category", "sourceid", "status", "name", "is_default", "move_to",
                         "currency"})  # fmt: skip
REPEATABLE = frozenset({"tags"})


def request_body(request, *, refusal: str = BODY_REFUSAL) -> Mapping:
    """The form or JSON object sent; anything else (a JSON list, a bare string) is a 400 with `refusal`.

    A JSON field that is read (FIELDS_READ) holds a single value (text, a number, true/false or null); only
    `tags` may hold a list of such values. Anything else is a 400 naming the field, not text like "{'x': 1}".
    """
    data = request.data
    if not isinstance(data, Mapping):
        raise InvalidInput(refusal)
    if not hasattr(data, "getlist"):  # JSON (forms hold text only)
        for name in FIELDS_READ.intersection(data):
            value = data[name]
            repeatable = name in REPEATABLE
            items = value if isinstance(value, list) and repeatable else [value]
            if not all(isinstance(item, _SCALARS) for item in items):
                kind = "a list" if isinstance(value, list) and not repeatable else "an object"
                what = "text or numbers" if repeatable else "text or a number"
                raise InvalidInput(f"{name}: must be {what}, not {kind}")
    return data


def values_of(data, key) -> list:
    """Every value of a repeatable field (form: repeated keys; JSON: a list or a single value)."""
    if hasattr(data, "getlist"):
        return data.getlist(key)
    value = data.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def request_action(request, *, read_body: bool = True, refusal: str = BODY_REFUSAL) -> str:
    """`action` from the query string, else (when `read_body`) from the body: stripped, lower case, "" if none.

    The body is read only when the query names no action, so `?action=delete` works whatever the body is.
    """
    action = request.GET.get("action")
    if not action and read_body:
        action = request_body(request, refusal=refusal).get("action")
    return str(action or "").strip().lower()


def object_or_404(lookup: Callable[[int], object], value, *, kind: str):
    """`lookup(id)` for the id written in `value` (see parse_id), else NotFound("<kind> <value> not found").

    Ids that are not ids (text, 0, beyond the database's range) simply do not exist, like other users' ids.
    """
    pk = parse_id(value)
    found = lookup(pk) if pk is not None else None
    if found is None:
        raise NotFound(f"{kind} {value} not found")
    return found


def _accept_entries(accept: str) -> list[str]:
    """Media types of an `Accept` header, most preferred first (`q` honoured, `q=0` dropped)."""
    entries = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (piece.strip().lower() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            entries.append((-quality, position, media))
    return [media for _, _, media in sorted(entries)]


def requested_format(request, *, default: str, allowed: tuple[str, ...], params=None) -> str:
    """The response format: `format` in `params` (default: the query), else a specific `Accept` type,
    else `default`.

    An unknown `format` raises InvalidInput naming the supported ones. A browser (whose most preferred
    type is HTML) gets `default` where HTML is not offered, not the XML it lists as a fallback.
    """
    params = request.GET if params is None else params
    fmt = str(params.get("format") or "").strip().lower()
    if fmt:
        if fmt not in allowed:
            raise InvalidInput(f"format {fmt!r} is not supported here; use one of {', '.join(allowed)}")
        return fmt
    for media in _accept_entries(request.headers.get("Accept", "")):
        if media in ("*/*", "text/*", "application/*"):
            return default
        candidate = _ACCEPT_ALIASES.get(media)
        if candidate in allowed:
            return candidate
        if media in ("text/html", "application/xhtml+xml"):
            return default
    return default


class ClosingChunks:
    """The chunks of a streamed answer (text or bytes: the response encodes text); `close()`, which the
    response calls when it is closed, closes them and then the rows they are read from (their database
    cursor), the rows even if closing the chunks fails."""

    def __init__(self, chunks, rows=None):
        self._chunks, self._rows = chunks, rows

    def __iter__(self):
        return iter(self._chunks)

    def close(self) -> None:
        try:
            _close(self._chunks)
        finally:
            _close(self._rows)


def _close(source) -> None:
    close = getattr(source, "close", None)
    if close is not None:
        close()


def declared_length(request) -> int:
    """The body length the request declares (Content-Length); 0 when absent or not a number."""
    length = request.META.get("CONTENT_LENGTH") or ""
    return int(length) if is_ascii_digits(length) else 0


def streamed_response(chunks, content_type: str, *, rows=None) -> StreamingHttpResponse:
    """`chunks` streamed (ClosingChunks): `rows`, what they are rendered from, is closed with the response."""
    return StreamingHttpResponse(ClosingChunks(chunks, rows), content_type=content_type)


def streaming_download(chunks, fmt: str, filename: str, *, rows=None) -> StreamingHttpResponse:
    """A streamed attachment (`Content-Disposition: attachment; filename=<filename>`)."""
    response = streamed_response(chunks, MEDIA_TYPES[fmt], rows=rows)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


class ViewChosenFormatNegotiation(DefaultContentNegotiation):
    """Views choose the format themselves (requested_format); an `Accept` that DRF's JSON renderer
    cannot satisfy (`text/xml`, `application/qif`) must not end in a 406 before the view runs."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ApiView(APIView):
    """Base of every API view: JSON errors in the envelope, `401` with the Basic challenge."""

    content_negotiation_class = ViewChosenFormatNegotiation

    def get_exception_handler(self):
        return exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method == "HEAD" and request_writes(request, self):
            # Where a GET records (the simple APIs), a HEAD must not: link checkers and prefetchers send them.
            raise exceptions.MethodNotAllowed("HEAD", detail="HEAD records nothing here; send a GET or POST to record")

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated("Authentication required: use HTTP Basic (email and password) "
                                              "or OAuth.")
        raise exceptions.PermissionDenied(detail=message, code=code)


NO_CONTENT = status.HTTP_204_NO_CONTENT
