"""Building blocks of the `/api/v1.0/` views: formats, object and list responses, actions."""

import json

from django.http import HttpResponse, StreamingHttpResponse

from xpenser_server.api import MEDIA_TYPES, NO_CONTENT, request_action, requested_format
from xpenser_server.errors import InvalidInput

from ..renderers import JSONArrayRenderer, XMLRenderer

ITEM_FORMATS = ("json", "xml")
LIST_FORMATS = ("json", "xml")
EXPENSE_LIST_FORMATS = ("json", "xml", "csv", "qif")


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


def requested_action(request) -> str | None:
    """`action` from the query string (or the form): only `delete` exists."""
    in_body = "action" not in request.query_params and request.method == "POST" and bool(request.content_type)
    action = request_action(request, read_body=in_body)
    if not action:
        return None
    if action != "delete":
        raise InvalidInput(f"action: {action!r} is not supported; use action=delete")
    return action


def absolute_base(request) -> str:
    """`scheme://host` of this request, for absolute links (receipt URLs)."""
    return request.build_absolute_uri("/").rstrip("/")
