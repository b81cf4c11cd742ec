"""`/api/v2/tags/` and `/api/v2/reports/`: small lists (keyset pages by id), each item with `If-Match` on writes."""

from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response

from reports import services as report_services
from reports.models import Report
from xpenser_server.ids import parse_id

from ... import selectors, services
from ...models import Tag
from . import conditional
from .base import V2ViewMixin
from .filters import ReportFilterSet
from .idempotency import idempotent
from .pagination import KeysetPagination
from .resource_serializers import ReportSerializer, TagSerializer


class ItemViewMixin(V2ViewMixin):
    """Reads and writes of one kind of item: `kind` names it in messages and `detail_url` in `Location`."""

    kind = ""
    detail_url = ""
    pagination_class = KeysetPagination
    lookup_value_regex = "[0-9]+"

    def lookup(self, pk):
        raise NotImplementedError

    def changed_at(self, item):
        """The newest change that shapes the item's answer (the owner's clock covers tags and totals)."""
        clock = selectors.sync_clock_stamp(user=self.request.user)
        own = getattr(item, "modified", None) or getattr(item, "created", None)
        return max(stamp for stamp in (clock, own) if stamp is not None) if clock or own else None

    def get_object(self):
        pk = self.kwargs["pk"]
        item = self.lookup(pk)
        if item is None:
            raise exceptions.NotFound(f"{self.kind} {pk} not found")
        return item

    def check_unchanged(self, item):
        conditional.check_if_match(self.request, conditional.data_etag(self.get_serializer(item).data),
                                   f"{self.kind} {item.pk}")

    def item_response(self, item, status_code=status.HTTP_200_OK):
        response = Response(self.get_serializer(item).data, status=status_code)
        if status_code == status.HTTP_201_CREATED:
            response["Location"] = self.request.build_absolute_uri(reverse(self.detail_url, args=[item.pk]))
        return self.set_last_modified(response, self.changed_at(item))

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        stamps = [self.changed_at(None), *(getattr(item, "modified", None) for item in page)]
        return self.set_last_modified(response, max((s for s in stamps if s is not None), default=None))

    def retrieve(self, request, pk=None):
        return self.item_response(self.get_object())

    def update(self, request, pk=None):
        return self._change(request, partial=False)

    def partial_update(self, request, pk=None):
        return self._change(request, partial=True)


class TagViewSet(ItemViewMixin, viewsets.GenericViewSet):
    serializer_class = TagSerializer
    queryset = Tag.objects.none()  # the schema's model; requests read get_queryset()
    kind, detail_url = "tag", "v2:tag-detail"

    def get_queryset(self):
        return selectors.tag_list(user=self.request.user)

    def lookup(self, pk):
        return selectors.tag_get(user=self.request.user, tag_id=pk)

    @extend_schema(responses={201: TagSerializer})
    @idempotent
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tag = services.tag_create(user=request.user, name=serializer.validated_data["name"])
        return self.item_response(tag, status.HTTP_201_CREATED)

    def _change(self, request, partial):
        tag = self.get_object()
        serializer = self.get_serializer(tag, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.check_unchanged(tag)
        if "name" in serializer.validated_data:
            tag = services.tag_rename(tag=tag, name=serializer.validated_data["name"])
        return self.item_response(tag)

    @extend_schema(responses={204: None}, description="Delete the tag; its expenses lose it (and count as changed).")
    def destroy(self, request, pk=None):
        tag = self.get_object()
        self.check_unchanged(tag)
        services.tag_delete(tag=tag)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportViewSet(ItemViewMixin, viewsets.GenericViewSet):
    serializer_class = ReportSerializer
    queryset = Report.objects.none()  # the schema's model; requests read get_queryset()
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReportFilterSet
    kind, detail_url = "report", "v2:report-detail"

    def get_queryset(self):
        return selectors.reports_with_totals(user=self.request.user)

    def lookup(self, pk):
        pk = parse_id(pk)
        return selectors.report_with_totals(user=self.request.user, report_id=pk) if pk is not None else None

    @extend_schema(responses={201: ReportSerializer})
    @idempotent
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = report_services.report_create(user=request.user, name=data["name"], status=data.get("status"),
                                               is_default=data.get("is_default"))
        return self.item_response(self.lookup(report.pk), status.HTTP_201_CREATED)

    def _change(self, request, partial):
        report = self.get_object()
        serializer = self.get_serializer(report, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.check_unchanged(report)
        report_services.report_update(report=report, data=serializer.validated_data)
        return self.item_response(self.lookup(report.pk))

    @extend_schema(
        responses={204: None},
        parameters=[OpenApiParameter("move_to", OpenApiTypes.INT, description="Move its expenses into this report "
                                     "first (a report with live expenses is only deleted so).")],
        description="Delete a report (never the default one).",
    )
    def destroy(self, request, pk=None):
        report = self.get_object()
        self.check_unchanged(report)
        services.report_delete(report=report, move_to=request.query_params.get("move_to"))
        return Response(status=status.HTTP_204_NO_CONTENT)
