"""Serving a stored receipt: one response for the owner's pages, the API and the public legacy URL."""

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse

from xpenser_server.errors import NotFound

from .services import RECEIPT_MEDIA_TYPES, receipt_kind

# Receipts are user uploads: a browser must never run anything in them.
RECEIPT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def receipt_file_response(name: str) -> FileResponse:
    """The stored receipt `name` with a media type taken from its content (never its name); a file of
    no known kind is offered as a download. Raises NotFound when the file is missing."""
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, SuspiciousFileOperation):
        raise NotFound("receipt file not found") from None
    kind = receipt_kind(handle.read(16))
    handle.seek(0)
    filename = name.rsplit("/", 1)[-1]
    if kind is None:
        response = FileResponse(handle, as_attachment=True, filename=filename,
                                content_type="application/octet-stream")
    else:
        response = FileResponse(handle, filename=filename, content_type=RECEIPT_MEDIA_TYPES[kind])
    response["Content-Security-Policy"] = RECEIPT_CSP
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Robots-Tag"] = "noindex"
    return response
