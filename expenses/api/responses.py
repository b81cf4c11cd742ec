"""Building blocks of the `/api/v1.0/` views (formats, object and list responses, actions) and the expense
export both API families stream."""

import json

from django.http import HttpResponse, StreamingHttpResponse

from xpenser_server.api import MEDIA_TYPES, NO_CONTENT, request_action, requested_format, streamed_response
from xpenser_server.errors import InvalidInput

from ..renderers import CSVRenderer, JSONArrayRenderer, QIFRenderer, XMLRenderer

ITEM_FORMATS = ("json", "xml")
LIST_FORMATS = ("json", "xml")
EXPENSE_LIST_FORMATS = ("json", "xml", "csv", "qif")
FILE_FORMATS = ("csv", "qif")  # answered as attachments in every family


def item_format(request) -> str:
    return requested_format(request, default="json", allowed=ITEM_FORMATS)


def object_response(item: dict, fmt: str, *, status: int = 200) -> HttpResponse:
    """One object: a JSON object, or `<response><resource>...</resource></response>` in XML."""
    if fmt == "xml":
        return HttpResponse(XMLRenderer().render_one(item), content_type=MEDIA_TYPES["xml"], status=status)
    return HttpResponse(json.dumps(item), content_type=MEDIA_TYPES["json"], status=status)


def list_chunks(items, fmt: str):
    """The text chunks of a list: a JSON array, or `<response>` with one `<resource>` per item in XML."""
    renderer = XMLRenderer() if fmt == "xml" else JSONArrayRenderer()
    return renderer.stream(items)


def list_response(items, fmt: str) -> StreamingHttpResponse:
    """A list, streamed (see list_chunks)."""
    return chunks_response(list_chunks(items, fmt), fmt)


def chunks_response(chunks, fmt: str, *, rows=None) -> StreamingHttpResponse:
    """Text chunks streamed inline (downloads use xpenser_server.api.streaming_download); `rows`, what they
    are rendered from, is closed with the response."""
    return streamed_response(chunks, MEDIA_TYPES[fmt], rows=rows)


def expense_export_chunks(fmt: str, rows, tz, shape):
    """The text chunks of `rows` (selectors.expense_rows) in `fmt`, for both API families.

    CSV and QIF are the same in every family; JSON and XML hold `shape(row, tz)`, the family's object.
    """
    if fmt == "qif":
        return QIFRenderer().stream(rows, tz=tz)
    if fmt == "csv":
        return CSVRenderer().stream(rows, tz=tz)
    return list_chunks((shape(row, tz) for row in rows), fmt)


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
