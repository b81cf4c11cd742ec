"""Query-string filters shared by every expense list (docs/api.md, "Expense filters")."""

import datetime as dt
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.db.models import Q

from reports.models import Report
from xpenser_server.errors import InvalidInput, NotFound
from xpenser_server.ids import parse_id

from .dates import ACCEPTED_FORMS, parse_moment
from .models import Expense, Tag
from .parser import MAX_AMOUNT

OPERATORS = ("lt", "gt", "lte", "gte", "eq")


def _invalid(value, problem: str) -> forms.ValidationError:
    # The value goes in as a parameter: a `%` typed by the client must not be read as a format directive.
    return forms.ValidationError("%(value)s " + problem.replace("%", "%%"), params={"value": repr(value)})


class MomentField(forms.CharField):
    """A date or timestamp in one of the accepted forms, in the requesting user's time zone."""

    def __init__(self, *args, tz=None, **kwargs):
        self.tz = tz
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            moment = parse_moment(value, self.tz)
            # Both ends are compared in UTC; a moment at the edge of the calendar cannot be.
            moment.start.astimezone(dt.UTC)
            moment.end.astimezone(dt.UTC)
        except (ValueError, OverflowError):
            raise _invalid(value, f"is not a date; use {ACCEPTED_FORMS}") from None
        return moment


class AmountField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            amount = Decimal(value.replace(",", "").lstrip("$"))
        except InvalidOperation:
            raise _invalid(value, "is not a number") from None
        if not amount.is_finite():
            raise _invalid(value, "is not a number")
        # Beyond the column's range the database adapter itself would fail.
        if amount and (amount.adjusted() > 12 or abs(amount) > MAX_AMOUNT):
            raise _invalid(value, f"is too large (maximum {MAX_AMOUNT})")
        return amount


class MomentFilter(django_filters.Filter):
    field_class = MomentField


class AmountFilter(django_filters.Filter):
    field_class = AmountField


def _operator_filter():
    return django_filters.ChoiceFilter(
        choices=[(o, o) for o in OPERATORS],
        method="noop",
        error_messages={"invalid_choice": f"%(value)r is not an operator; use one of {', '.join(OPERATORS)}"},
    )


def moment_q(field: str, moment, op: str) -> Q:
    if op == "gt":
        return Q(**{f"{field}__gte": moment.end}) if moment.whole_day else Q(**{f"{field}__gt": moment.start})
    if op == "gte":
        return Q(**{f"{field}__gte": moment.start})
    if op == "lt":
        return Q(**{f"{field}__lt": moment.start})
    if op == "lte":
        return Q(**{f"{field}__lt": moment.end}) if moment.whole_day else Q(**{f"{field}__lte": moment.start})
    return Q(**{f"{field}__gte": moment.start, f"{field}__lt": moment.end})


class ExpenseFilter(django_filters.FilterSet):
    """Filters of both API families. `report` and `status` are resolved by the selector."""

    date = MomentFilter(method="filter_moment")
    created = MomentFilter(method="filter_moment")
    modified = MomentFilter(method="filter_moment")
    amount = AmountFilter(method="filter_amount")
    # Extension: an inclusive date range (the web app's filter form; exports accept the same URL).
    date_from = MomentFilter(method="filter_date_from")
    date_to = MomentFilter(method="filter_date_to")
    date_op = _operator_filter()
    created_op = _operator_filter()
    modified_op = _operator_filter()
    amount_op = _operator_filter()
    type = django_filters.CharFilter(field_name="type", lookup_expr="iexact")
    notes = django_filters.CharFilter(field_name="notes", lookup_expr="iexact")

    class Meta:
        model = Expense
        fields = []

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        for name in ("date", "date_from", "date_to", "created", "modified"):
            self.form.fields[name].tz = user.tzinfo

    def noop(self, queryset, name, value):
        return queryset

    def _op(self, name):
        return self.form.cleaned_data.get(f"{name}_op") or "eq"

    def filter_moment(self, queryset, name, value):
        return queryset.filter(moment_q(name, value, self._op(name)))

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(moment_q("date", value, "gte"))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(moment_q("date", value, "lte"))

    def filter_amount(self, queryset, name, value):
        lookup = {"lt": "lt", "gt": "gt", "lte": "lte", "gte": "gte", "eq": "exact"}[self._op(name)]
        return queryset.filter(**{f"amount__{lookup}": value})


# Tag names one filter takes: far more than anyone types, far below SQLite's limit on a statement's parameters.
MAX_FILTER_TAGS = 1000


def tag_filter_names(values, *, field="tags") -> list[str]:
    """The tag names of filter values (comma-separated, '#' optional); InvalidInput beyond MAX_FILTER_TAGS."""
    names = list(dict.fromkeys(
        name for raw in values for name in (part.strip().lstrip("#") for part in raw.split(",")) if name
    ))  # fmt: skip
    if len(names) > MAX_FILTER_TAGS:
        raise InvalidInput(f"{field}: {len(names)} tag names; a filter takes at most {MAX_FILTER_TAGS}")
    return names


def apply_expense_filters(queryset, *, user, params, default_report):
    """Filter the user's expenses by the query parameters; raise InvalidInput / NotFound on bad values.

    `default_report` is used when `report` is absent (the "current" report of the legacy API).
    """
    for name, values in params.lists():
        if any("\x00" in value for value in values):
            raise InvalidInput(f"{name}: contains a NUL character")
    report = params.get("report", "").strip()
    if report == "*":
        pass
    elif report == "":
        queryset = queryset.filter(report=default_report)
    elif report.isascii() and report.isdigit():
        report_id = parse_id(report)
        if report_id is None or not Report.objects.owned_by(user).filter(pk=report_id).exists():
            raise NotFound(f"report {report} not found")
        queryset = queryset.filter(report_id=report_id)
    else:
        raise InvalidInput(f"report: {report!r} is not a report id; use a number or '*' for all reports")

    status = params.get("status", "").strip().lower()
    if status in ("", "1", "live", "active"):
        queryset = queryset.filter(status=Expense.LIVE)
    elif status in ("-1", "deleted"):
        queryset = queryset.filter(status=Expense.DELETED)
    elif status != "all":
        raise InvalidInput(f"status: {status!r} is not valid; use 'all', 'deleted' or '1'")

    tags = tag_filter_names(params.getlist("tags") + params.getlist("tag"))
    if tags:
        queryset = queryset.filter(pk__in=Tag.objects.owned_by(user).named_any(tags).expense_ids())

    filterset = ExpenseFilter(params, queryset=queryset, user=user)
    if not filterset.is_valid():
        problems = [f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()]
        raise InvalidInput("; ".join(problems))
    return filterset.qs
