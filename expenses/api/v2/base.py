"""What every /api/v2/ view shares: JSON in and out, DRF's content negotiation, the error envelope and
conditional answers (ETag, Last-Modified, 304)."""

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import SimpleRouter

from xpenser_server.parsers import JSONParser

from . import conditional
from .errors import v2_exception_handler


class UploadParser(MultiPartParser):
    """multipart/form-data (receipt files)."""


class FileDownloadNegotiation(DefaultContentNegotiation):
    """Downloads answer the file whatever `Accept` says (errors stay JSON)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class OptionalSlashRouter(SimpleRouter):
    """Every path answers with and without its trailing slash, without a redirect (clients POST there)."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"


class V2ViewMixin:
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    content_negotiation_class = DefaultContentNegotiation
    pagination_class = None
    filter_backends = []

    def get_exception_handler(self):
        return v2_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return conditional.finalize(request, response)

    def set_last_modified(self, response, stamp):
        header = conditional.last_modified(stamp)
        if header:
            response["Last-Modified"] = header
        return response
