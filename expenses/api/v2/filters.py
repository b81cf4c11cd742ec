"""django-filter FilterSets of /api/v2/ lists (query parameters, each documented in the OpenAPI schema)."""

import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from reports.models import Report

from ...filters import AmountFilter, MomentFilter, moment_q, tag_filter_names
from ...models import Expense, Tag

DELETED_CHOICES = [("false", "live expenses only"), ("true", "deleted expenses only"), ("all", "both")]


@extend_schema_field(OpenApiTypes.STR)
class DateFilter(MomentFilter):
    """A date (`2024-05-01`, the whole day) or a moment (ISO 8601), in the user's time zone when without offset."""


@extend_schema_field(OpenApiTypes.DECIMAL)
class MoneyFilter(AmountFilter):
    pass


def _own_reports(request):
    return Report.objects.owned_by(request.user) if request is not None else Report.objects.none()


class ExpenseFilterSet(django_filters.FilterSet):
    """Live expenses unless `deleted` says otherwise; a sync (`modified_after`) includes the deleted ones."""

    report = django_filters.ModelChoiceFilter(queryset=_own_reports, field_name="report",
                                              help_text="A report id: only its expenses.")
    tag = django_filters.CharFilter(method="filter_tag", help_text="Tag names, comma-separated: any of them.")
    type = django_filters.CharFilter(field_name="type", lookup_expr="iexact", help_text="The type (any case).")
    search = django_filters.CharFilter(method="filter_search", help_text="Text in the type or the notes.")
    date_from = DateFilter(method="filter_date_from",
                             help_text="On or after this date or moment (ISO 8601; a date is a whole day).")
    date_to = DateFilter(method="filter_date_to", help_text="On or before this date or moment.")
    amount_min = MoneyFilter(field_name="amount", lookup_expr="gte", help_text="Amount at least this.")
    amount_max = MoneyFilter(field_name="amount", lookup_expr="lte", help_text="Amount at most this.")
    deleted = django_filters.ChoiceFilter(choices=DELETED_CHOICES, method="filter_deleted",
                                          help_text="false (default), true or all; a sync sends all.")

    class Meta:
        model = Expense
        fields = []

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        tz = request.user.tzinfo if request is not None and request.user.is_authenticated else None
        for name in ("date_from", "date_to"):
            self.form.fields[name].tz = tz

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("deleted") and "modified_after" not in self.data:
            queryset = queryset.filter(status=Expense.LIVE)
        return queryset

    def filter_deleted(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(status=Expense.DELETED if value == "true" else Expense.LIVE)

    def filter_tag(self, queryset, name, value):
        names = tag_filter_names([value], field="tag")
        if not names:
            return queryset
        return queryset.filter(pk__in=Tag.objects.owned_by(self.request.user).named_any(names).expense_ids())

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(type__icontains=value) | Q(notes__icontains=value))

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(moment_q("date", value, "gte"))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(moment_q("date", value, "lte"))


class ReportFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[(label.lower(), label) for _, label in Report.Status.choices], method="filter_status",
        help_text="Only the reports with this status.")

    class Meta:
        model = Report
        fields = []

    def filter_status(self, queryset, name, value):
        letter = {label.lower(): letter for letter, label in Report.Status.choices}[value]
        return queryset.filter(status=letter)
