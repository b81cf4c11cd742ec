"""The error envelope of /api/v2/: `{"error": {"code": "...", "message": "...", "fields": {...}}}`.

`code` is machine-readable (DRF's codes: `invalid`, `not_authenticated`, `not_found`, `throttled`... and this
API's own: `precondition_failed`, `too_large`, `idempotency_key_reused`, `busy`); `message` is for people;
`fields` names the fields at fault (each with its messages), `{}` when the problem is not a field's.
"""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from xpenser_server.api import BUSY_RETRY_AFTER
from xpenser_server.errors import InvalidInput, NotFound

_FIELD_PREFIX = re.compile(r"^([a-z_]+): ")


def envelope(code: str, message: str, fields=None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [f"{key}: {text}" for key, value in detail.items() for text in _messages(value)]
    if isinstance(detail, list):
        return [text for item in detail for text in _messages(item)]
    return [str(detail)]


def _field_errors(detail) -> dict:
    """{field: [messages]} of a ValidationError's detail (nested fields as `field.sub` or `field.0`)."""
    if not isinstance(detail, dict):
        return {}
    fields = {}
    for key, value in detail.items():
        if isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict | list)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for sub, inner in items:
                for name, texts in (_field_errors({sub: inner}) or {}).items():
                    fields[f"{key}.{name}"] = texts
        else:
            fields[str(key)] = _messages(value)
    fields.pop("non_field_errors", None)
    return fields


def validation_error(detail) -> dict:
    """The envelope's `error` for a ValidationError's detail."""
    messages = _messages(detail)
    message = messages[0] if len(messages) == 1 else "; ".join(messages)
    return envelope("invalid", message or "invalid input", _field_errors(detail))["error"]


def error_response(code: str, message: str, status_code: int, fields=None, headers=None) -> Response:
    return Response(envelope(code, message, fields), status=status_code, headers=headers)


def v2_exception_handler(exc, context):
    """Every failure of a v2 view in the envelope; domain errors (InvalidInput, NotFound) keep their status."""
    if isinstance(exc, InvalidInput | NotFound):
        set_rollback()
        match = _FIELD_PREFIX.match(exc.message)
        fields = {match.group(1): [exc.message[match.end():]]} if match and isinstance(exc, InvalidInput) else {}
        return error_response(exc.code, exc.message, exc.status_code, fields)
    if isinstance(exc, OperationalError) and "database is locked" in str(exc):
        set_rollback()
        return error_response("busy", "the database is busy with other writes; retry in a moment",
                              status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(BUSY_RETRY_AFTER)})
    if isinstance(exc, RequestDataTooBig):
        # Django refuses a form or JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE when DRF reads it.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_response("too_large", f"the request body is larger than the limit of {limit} bytes; "
                              "send it in smaller requests", status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"error": validation_error(detail)}
        return response
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    response.data = envelope(code, " ".join(_messages(detail)) or str(exc))
    return response
