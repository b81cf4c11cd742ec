"""Building blocks of the `/api/v1.0/` views: formats, object and list responses, ids, actions, bodies."""

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.http.request import QueryDict

from xpenser_server.api import MEDIA_TYPES, NO_CONTENT, requested_format
from xpenser_server.errors import InvalidInput, NotFound

from ..renderers import JSONArrayRenderer, XMLRenderer

ITEM_FORMATS = ("json", "xml")
LIST_FORMATS = ("json", "xml")
EXPENSE_LIST_FORMATS = ("json", "xml", "csv", "qif")
MAX_ID = 2**63 - 1


def item_format(request) -> str:
    return requested_format(request, default="json", allowed=ITEM_FORMATS)


def object_response(item: dict, fmt: str, *, status: int = 200) -> HttpResponse:
    """One object: a JSON object, or `<response><resource>...</resource></response>` in XML."""
    if fmt == "xml":
        return HttpResponse(XMLRenderer().render_one(item), content_type=MEDIA_TYPES["xml"], status=status)
    return HttpResponse(json.dumps(item), content_type=MEDIA_TYPES["json"], status=status)


def list_response(items, fmt: str) -> StreamingHttpResponse:
    """A list, streamed: a JSON array, or `<response>` with one `<resource>` per item in XML."""
    renderer = XMLRenderer() if fmt == "xml" else JSONArrayRenderer()
    return StreamingHttpResponse((chunk.encode() for chunk in renderer.stream(items)), content_type=MEDIA_TYPES[fmt])


def no_content() -> HttpResponse:
    return HttpResponse(status=NO_CONTENT)


def object_id(value, *, kind: str) -> int:
    """An id from the URL; ids beyond the database's range simply do not exist."""
    number = int(value)
    if number > MAX_ID:
        raise NotFound(f"{kind} {value} not found")
    return number


def request_body(request):
    """The form or JSON object sent; anything else (a JSON list, a bare string) is a 400."""
    data = request.data
    if isinstance(data, QueryDict | dict):
        return data
    raise InvalidInput("the request body must be a form (application/x-www-form-urlencoded or multipart) "
                       "or a JSON object")


def requested_action(request) -> str | None:
    """`action` from the query string (or the form): only `delete` exists."""
    action = request.query_params.get("action")
    if action is None and request.method == "POST" and request.content_type:
        action = request_body(request).get("action")
    action = str(action or "").strip().lower()
    if not action:
        return None
    if action != "delete":
        raise InvalidInput(f"action: {action!r} is not supported; use action=delete")
    return action


def values_of(data, key) -> list:
    """Every value of a repeatable field (form: repeated keys; JSON: a list or a single value)."""
    if hasattr(data, "getlist"):
        return data.getlist(key)
    value = data.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def absolute_base(request) -> str:
    """`scheme://host` of this request, for absolute links (receipt URLs)."""
    return request.build_absolute_uri("/").rstrip("/")
