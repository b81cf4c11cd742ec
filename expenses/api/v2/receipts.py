"""`/api/v2/expenses/{id}/receipts/`: an expense's receipts (images and PDFs, checked by decoding them), each
with its file and thumbnail."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response

from xpenser_server.api import declared_length

from ... import selectors, services
from ...models import Receipt
from ...receipt_files import receipt_file_response
from . import conditional
from .base import UploadParser, V2ViewMixin
from .idempotency import idempotent
from .serializers import ReceiptSerializer, ReceiptUploadSerializer

# Multipart framing around the file: a body longer than the limit plus this is refused before it is read.
MULTIPART_OVERHEAD = 64 * 1024
FILE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf", "image/gif",
              "application/octet-stream")
FILE_RESPONSES = {(200, media): OpenApiResponse(OpenApiTypes.BINARY) for media in FILE_TYPES}
ReceiptList = inline_serializer("ReceiptList", {"results": ReceiptSerializer(many=True)})


class ReceiptViewSet(V2ViewMixin, viewsets.GenericViewSet):
    serializer_class = ReceiptSerializer
    queryset = Receipt.objects.none()  # the schema's model; requests read the selectors

    parser_classes = [UploadParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action == "create":
            length, limit = declared_length(request), services.receipt_max_bytes()
            if length > limit + MULTIPART_OVERHEAD:
                raise services.ReceiptTooLarge(f"file: the request is {length} bytes; a receipt may be "
                                               f"at most {limit} bytes")

    def expense(self):
        pk = self.kwargs["expense_pk"]
        expense = selectors.expense_item(user=self.request.user, expense_id=pk)
        if expense is None:
            raise exceptions.NotFound(f"expense {pk} not found")
        return expense

    def get_object(self):
        expense_pk, pk = self.kwargs["expense_pk"], self.kwargs["pk"]
        receipt = selectors.receipt_get(user=self.request.user, expense_id=expense_pk, receipt_id=pk)
        if receipt is None:
            raise exceptions.NotFound(f"receipt {pk} of expense {expense_pk} not found")
        return receipt

    @extend_schema(responses={200: ReceiptList})
    def receipts(self, request, expense_pk=None):
        """The expense's receipts, first (the legacy `receipt`) first (not paged: an expense holds few)."""
        expense = self.expense()
        response = Response({"results": self.get_serializer(expense.receipt_list, many=True).data})
        return self.set_last_modified(response, expense.modified)

    @extend_schema(request={"multipart/form-data": ReceiptUploadSerializer}, responses={201: ReceiptSerializer})
    @idempotent
    def create(self, request, expense_pk=None):
        expense = self.expense()
        upload = ReceiptUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        receipt = services.receipt_add(expense=expense, upload=upload.validated_data["file"])
        response = Response(self.get_serializer(receipt).data, status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(
            reverse("v2:receipt-detail", kwargs={"expense_pk": expense.pk, "pk": receipt.pk}))
        return response

    def retrieve(self, request, expense_pk=None, pk=None):
        receipt = self.get_object()
        return self.set_last_modified(Response(self.get_serializer(receipt).data), receipt.created)

    @extend_schema(responses={204: None})
    def destroy(self, request, expense_pk=None, pk=None):
        receipt = self.get_object()
        conditional.check_if_match(request, conditional.data_etag(self.get_serializer(receipt).data),
                                   f"receipt {receipt.pk}")
        services.receipt_delete(receipt=receipt)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _file(self, request, name, etag, stamp):
        if conditional.is_not_modified(request, etag, conditional.last_modified(stamp)):
            return conditional.not_modified(self._file_headers(Response(), etag, stamp))
        return self._file_headers(receipt_file_response(name), etag, stamp)

    def _file_headers(self, response, etag, stamp):
        response["ETag"] = etag
        return self.set_last_modified(response, stamp)

    @extend_schema(responses=FILE_RESPONSES, description="The receipt file as it was uploaded.")
    def file(self, request, expense_pk=None, pk=None):
        receipt = self.get_object()
        return self._file(request, receipt.file.name, f'"receipt-{receipt.pk}"', receipt.created)

    @extend_schema(responses={(200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY)},
                   description="A JPEG of the receipt (the first page of a PDF), at most "
                               "XPENSER_RECEIPT_THUMBNAIL_PIXELS on either side.")
    def thumbnail(self, request, expense_pk=None, pk=None):
        receipt = self.get_object()
        if not receipt.thumbnail:
            raise exceptions.NotFound(f"receipt {receipt.pk} has no thumbnail")
        return self._file(request, receipt.thumbnail.name, f'"thumbnail-{receipt.pk}"', receipt.created)
