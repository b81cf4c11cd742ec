"""`POST /api/v2/imports/` (an expense file previewed or stored: services.expense_import) and
`GET /api/v2/expenses/export` (the listed expenses as a file: selectors.expense_export)."""

from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xpenser_server.api import declared_length, streamed_response

from ... import selectors, services
from ...exports import EXPORT_FORMATS, MEDIA_TYPES
from ...services.imports import FILE_REQUIRED
from .base import FileDownloadNegotiation, UploadParser, V2ViewMixin
from .errors import envelope
from .idempotency import idempotent
from .transfer_serializers import ImportRequestSerializer, ImportResultSerializer

# Multipart framing around the file: a body longer than the limit plus this is refused before it is read.
MULTIPART_OVERHEAD = 64 * 1024
_TEXT, _NULLABLE = {"type": "string"}, {"type": "string", "nullable": True}
EXPORT_RECORD = {"type": "object", "properties": {
    "id": {"type": "integer"}, "date": _TEXT, "type": _TEXT, "amount": _TEXT, "rawamount": _TEXT, "notes": _TEXT,
    "tags": {"type": "array", "items": _TEXT}, "report_id": {"type": "integer"}, "report": _TEXT,
    "category": _NULLABLE, "sourceid": _TEXT, "status": {"type": "integer"}, "created": _TEXT, "modified": _TEXT,
    "original_amount": _TEXT, "original_currency": _TEXT, "amount_currency": _TEXT, "rate": _NULLABLE,
    "rate_date": _NULLABLE}}  # fmt: skip
EXPORT_RESPONSES = {
    (200, media.split(";")[0]): OpenApiResponse(
        {"type": "array", "items": EXPORT_RECORD} if fmt == "json" else OpenApiTypes.BINARY,
        description=f"The {fmt} file.")
    for fmt, media in MEDIA_TYPES.items()
}


def import_failed_body(result) -> dict:
    """The 400 of an import with rows in error: the envelope, one `fields` entry per bad row (`rows.4`), and
    the whole result (every row, as a dry run answers it)."""
    fields = {f"rows.{row.row}": list(row.errors) for row in result.failed}
    return {**envelope("import_failed", result.error_summary(), fields), "result": result.as_dict()}


class ImportViewSet(V2ViewMixin, viewsets.GenericViewSet):
    serializer_class = ImportRequestSerializer
    parser_classes = [UploadParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        length, limit = declared_length(request), services.import_max_bytes()
        if length > limit + MULTIPART_OVERHEAD:
            raise services.ImportTooLarge(f"file: the request is {length} bytes; an import file may be at "
                                          f"most {limit} bytes; split it into smaller files")

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={200: ImportResultSerializer},
        description="Import an expense file (CSV with a column mapping, QIF, the legacy JSON export, XML, OFX, "
                    "XLSX). `dry_run=1` stores nothing and answers what every row would become; otherwise the "
                    "new rows are stored all together (duplicates of your expenses are left out), or none when "
                    "any row is in error: then the 400's `fields` holds each bad row (`rows.<n>`) and `result` "
                    "every row. A file over the size limit is answered 413.")
    @idempotent
    def create(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise exceptions.ValidationError({"file": [FILE_REQUIRED]})
        try:
            result = services.expense_import(user=request.user, upload=upload, fields=request.data)
        except services.ImportFailed as failed:
            return Response(import_failed_body(failed.result), status=status.HTTP_400_BAD_REQUEST)
        return Response(result.as_dict())


class ExpenseExportMixin:
    """`GET /api/v2/expenses/export`: the expenses the list's filters choose, as a streamed attachment."""

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=list(EXPORT_FORMATS), default="csv",
                                     description="The file's format.")],
        filters=True,  # the list's filters choose what is exported
        responses=EXPORT_RESPONSES,
        description="Every expense the list's filters choose (live ones unless `deleted` says otherwise), by "
                    "date, as a file: the other families' CSV, JSON, QIF and XML plus OFX and XLSX; CSV, XLSX, "
                    "OFX, JSON and XML carry each expense's original money, currency and rate. Streamed.")
    @action(detail=False, methods=["get"], url_path="export", pagination_class=None,
            content_negotiation_class=FileDownloadNegotiation)
    def export(self, request):
        fmt = str(request.query_params.get("format") or "csv").strip().lower()
        if fmt not in EXPORT_FORMATS:
            raise exceptions.ValidationError({"format": [f"{fmt!r} is not supported; use one of "
                                                         f"{', '.join(EXPORT_FORMATS)}"]})
        queryset = self.filter_queryset(selectors.expense_queryset(user=request.user)).order_by("date", "id")
        export = selectors.expense_export(user=request.user, queryset=queryset, fmt=fmt)
        response = streamed_response(export.chunks, export.media_type, rows=export.rows)
        response["Content-Disposition"] = content_disposition_header(True, export.filename)
        response["Cache-Control"] = "private, no-cache"
        return response
