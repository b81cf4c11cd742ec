"""What every API family shares: the error envelope, format selection and streamed downloads."""

import math

from django.http import JsonResponse, StreamingHttpResponse
from rest_framework import exceptions, status
from rest_framework.views import APIView, set_rollback

from .errors import InvalidInput, NotFound

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


def error_response(status_code: int, message: str, headers=None, **extra) -> JsonResponse:
    """`{"status": <code>, "error": "<message>"}` with the same HTTP status (API-CONTRACT section 3)."""
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


def exception_handler(exc, context):
    """DRF exception handler: every failure answers the JSON error envelope, never an HTML page."""
    if isinstance(exc, InvalidInput | NotFound):
        set_rollback()
        return error_response(exc.status_code, exc.message)
    if isinstance(exc, exceptions.APIException):
        headers, extra = {}, {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            # Throttled (429): scripts read the wait from the header or from the envelope.
            extra["retry_after"] = math.ceil(exc.wait)
            headers["Retry-After"] = str(extra["retry_after"])
        set_rollback()
        return error_response(exc.status_code, _detail_text(exc.detail), headers, **extra)
    return None


def requested_format(request, *, default: str, allowed: tuple[str, ...]) -> str:
    """The response format: `format` in the query, else a specific `Accept` type, else `default`.

    An unknown `format` raises InvalidInput naming the supported ones.
    """
    fmt = (request.GET.get("format") or "").strip().lower()
    if fmt:
        if fmt not in allowed:
            raise InvalidInput(f"format {fmt!r} is not supported here; use one of {', '.join(allowed)}")
        return fmt
    accept = request.headers.get("Accept", "")
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        candidate = _ACCEPT_ALIASES.get(media)
        if candidate in allowed:
            return candidate
    return default


def streaming_download(chunks, fmt: str, filename: str) -> StreamingHttpResponse:
    """A streamed attachment (`Content-Disposition: attachment; filename=<filename>`)."""
    response = StreamingHttpResponse((chunk.encode() for chunk in chunks), content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


class ApiView(APIView):
    """Base of every API view: JSON errors in the envelope, `401` with the Basic challenge."""

    def get_exception_handler(self):
        return exception_handler

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated("Authentication required: use HTTP Basic (email and password) "
                                              "or OAuth.")
        raise exceptions.PermissionDenied(detail=message, code=code)


NO_CONTENT = status.HTTP_204_NO_CONTENT
