"""`/api/v2/expenses/`: list and sync (keyset pages on (modified, id)), create (one, or up to 500 in bulk), read,
change (PATCH / PUT with `If-Match`), delete (a tombstone for syncs), export (transfers.ExpenseExportMixin)."""

from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ... import selectors, services
from ...models import Expense
from . import conditional
from .base import V2ViewMixin
from .errors import validation_error
from .filters import ExpenseFilterSet
from .idempotency import idempotent
from .pagination import SyncPagination
from .serializers import BulkRequestSerializer, BulkResponseSerializer, ExpenseSerializer
from .transfers import ExpenseExportMixin

CREATE_FIELDS = ("type", "amount", "currency", "rawamount", "notes", "date", "report", "category", "sourceid")


class ExpenseViewSet(ExpenseExportMixin, V2ViewMixin, viewsets.GenericViewSet):
    serializer_class = ExpenseSerializer
    queryset = Expense.objects.none()  # the schema's model; requests read get_queryset()
    pagination_class = SyncPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ExpenseFilterSet
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.expense_items(user=self.request.user)

    def sync_clock(self):
        if not hasattr(self, "_clock"):
            self._clock = selectors.sync_clock_stamp(user=self.request.user)
        return self._clock

    def get_object(self):
        pk = self.kwargs["pk"]
        expense = selectors.expense_item(user=self.request.user, expense_id=pk)
        if expense is None:
            raise exceptions.NotFound(f"expense {pk} not found")
        return expense

    def item_response(self, expense, status_code=status.HTTP_200_OK):
        if getattr(expense, "receipt_list", None) is None and status_code == status.HTTP_201_CREATED:
            expense.receipt_list = []
        response = Response(self.get_serializer(expense).data, status=status_code)
        response["ETag"] = conditional.version_etag(expense.pk, expense.modified, self.request)
        if status_code == status.HTTP_201_CREATED:
            response["Location"] = self.request.build_absolute_uri(reverse("v2:expense-detail", args=[expense.pk]))
        return self.set_last_modified(response, expense.modified)

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = selectors.with_receipts(self.paginate_queryset(queryset))
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        return self.set_last_modified(response, self.sync_clock())

    def retrieve(self, request, pk=None):
        return self.item_response(self.get_object())

    @extend_schema(responses={201: ExpenseSerializer})
    @idempotent
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        expense = services.expense_create(
            user=request.user, **{name: data[name] for name in CREATE_FIELDS if name in data},
            tag_names=data.get("tags", []),
        )
        return self.item_response(expense, status.HTTP_201_CREATED)

    def _change(self, request, partial):
        expense = self.get_object()
        serializer = self.get_serializer(expense, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        expense = services.expense_change(
            expense=expense, fields={name: data[name] for name in services.CHANGEABLE_FIELDS if name in data},
            tag_names=data.get("tags"), deleted=data.get("deleted"), currency=data.get("currency"),
            expected=conditional.expected_versions(request, expense.pk),
        )
        return self.item_response(expense)

    def update(self, request, pk=None):
        return self._change(request, partial=False)

    def partial_update(self, request, pk=None):
        return self._change(request, partial=True)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        expense = self.get_object()
        services.expense_change(expense=expense, fields={}, deleted=True,
                                expected=conditional.expected_versions(request, expense.pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _review(self, request, service):
        expense = self.get_object()
        expense = service(expense=expense, expected=conditional.expected_versions(request, expense.pk))
        return self.item_response(selectors.expense_item(user=request.user, expense_id=expense.pk))

    @extend_schema(request=None, responses={200: ExpenseSerializer},
                   description="Take the receipt reading's total, currency and date (converted into the base "
                               "currency at the rate of that date) and clear the review state; 400 when no "
                               "receipt of the expense was read. Honours If-Match.")
    @action(detail=True, methods=["post"], url_path="review/apply", pagination_class=None, filter_backends=[])
    def review_apply(self, request, pk=None):
        return self._review(request, services.expense_review_apply)

    @extend_schema(request=None, responses={200: ExpenseSerializer},
                   description="Keep the expense as it is and clear its review state (the reading stays on "
                               "file). Honours If-Match.")
    @action(detail=True, methods=["post"], url_path="review/dismiss", pagination_class=None, filter_backends=[])
    def review_dismiss(self, request, pk=None):
        return self._review(request, services.expense_review_dismiss)

    @extend_schema(request=BulkRequestSerializer, responses={200: OpenApiResponse(BulkResponseSerializer)},
                   description="Create up to 500 expenses (a client that recorded offline): each item is checked "
                               "on its own and answered in `results`; the valid ones are stored together.")
    @action(detail=False, methods=["post"], url_path="bulk", pagination_class=None, filter_backends=[])
    @idempotent
    def bulk(self, request):
        items = request.data.get("expenses") if isinstance(request.data, dict) else None
        if not isinstance(items, list):
            raise exceptions.ValidationError({"expenses": ["send a list of expenses: {\"expenses\": [...]}"]})
        if len(items) > services.BULK_MAX:
            raise exceptions.ValidationError({"expenses": [f"at most {services.BULK_MAX} per request "
                                                           f"({len(items)} sent)"]})
        # One serializer checks every item and answers every expense, as DRF's ListSerializer does with its
        # child: its fields are built once per request, not once per item.
        serializer = self.get_serializer()
        results, valid = [], []
        for index, item in enumerate(items):
            try:
                valid.append((index, serializer.run_validation(item)))
                results.append(None)
            except exceptions.ValidationError as problem:
                results.append({"index": index, "status": 400, "expense": None,
                                "error": validation_error(problem.detail)})
        created = services.expense_bulk_create(user=request.user, items=[data for _, data in valid])
        for (index, _), expense in zip(valid, created, strict=True):
            results[index] = {"index": index, "status": 201, "expense": serializer.to_representation(expense),
                              "error": None}
        return Response({"created": len(created), "failed": len(items) - len(created), "results": results})
