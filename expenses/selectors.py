"""Reads of expenses and tags. Every query starts from the requesting user's rows."""

from collections import defaultdict

from django.db.models import Count, F, Min, Sum
from django.db.models.functions import Lower, TruncMonth

from reports.selectors import report_default

from .filters import apply_expense_filters
from .models import Expense, Tag


def expense_queryset(*, user):
    """All of the user's expenses, deleted ones included: the single place expense reads are scoped."""
    return Expense.objects.filter(owner=user)


def expense_get(*, user, expense_id, include_deleted=True) -> Expense | None:
    qs = expense_queryset(user=user).select_related("report").prefetch_related("tags")
    if not include_deleted:
        qs = qs.filter(status=Expense.LIVE)
    return qs.filter(pk=expense_id).first()


def expense_list(*, user, params):
    """The user's expenses matching the query parameters of API-CONTRACT section 5, newest first."""
    return apply_expense_filters(
        expense_queryset(user=user), user=user, params=params, default_report=report_default(user=user)
    ).order_by("-date", "id")


EXPORT_FIELDS = (
    "id", "owner_id", "report_id", "type", "amount", "rawamount", "notes", "date", "status",
    "sourceid", "category", "receipt", "created", "modified",
)  # fmt: skip


def expense_rows(queryset, *, chunk_size=2000):
    """Stream plain dicts (no model instances) for exports, each with `tags` as [(id, name), ...].

    Rows come from a database cursor in chunks and tags are fetched once per chunk, so
    memory stays flat however many expenses there are.
    """
    rows = queryset.values(*EXPORT_FIELDS).iterator(chunk_size=chunk_size)
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= chunk_size:
            yield from _with_tags(chunk)
            chunk = []
    if chunk:
        yield from _with_tags(chunk)


def _with_tags(chunk):
    tags = defaultdict(list)
    links = (
        Expense.tags.through.objects.filter(expense_id__in=[r["id"] for r in chunk])
        .order_by("tag__name", "tag_id")
        .values_list("expense_id", "tag_id", "tag__name")
    )
    for expense_id, tag_id, name in links:
        tags[expense_id].append((tag_id, name))
    for row in chunk:
        row["tags"] = tags.get(row["id"], [])
        yield row


def tag_list(*, user):
    return Tag.objects.filter(owner=user).order_by("name", "id")


def tag_get(*, user, tag_id) -> Tag | None:
    return Tag.objects.filter(owner=user, pk=tag_id).first()


def _live_since(*, user, since, report=None):
    qs = expense_queryset(user=user).filter(status=Expense.LIVE, date__gte=since)
    return qs.filter(report=report) if report is not None else qs


def expense_totals_by_month(*, user, since, report=None) -> list[dict]:
    """[{month (aware datetime, first of the month in the user's tz), count, total}] of live expenses."""
    return list(
        _live_since(user=user, since=since, report=report)
        .annotate(month=TruncMonth("date", tzinfo=user.tzinfo))
        .values("month")
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by("month")
    )


def expense_totals_by_type(*, user, since, report=None) -> list[dict]:
    """[{type, count, total}] of live expenses, types compared case-insensitively, largest total first."""
    return list(
        _live_since(user=user, since=since, report=report)
        .values(key=Lower("type"))
        .annotate(type=Min("type"), count=Count("id"), total=Sum("amount"))
        .order_by("-total", "key")
    )


def expense_totals_by_tag(*, user, since, report=None) -> list[dict]:
    """[{name, count, total}] of live expenses per tag (an expense counts under each of its tags)."""
    expenses = _live_since(user=user, since=since, report=report)
    return list(
        Expense.tags.through.objects.filter(expense__in=expenses)
        .values(name=F("tag__name"))
        .annotate(count=Count("expense_id"), total=Sum("expense__amount"))
        .order_by("-total", "name")
    )


def expense_totals_untagged(*, user, since, report=None) -> dict:
    return _live_since(user=user, since=since, report=report).filter(tags=None).aggregate(
        count=Count("id"), total=Sum("amount")
    )


def expense_totals(queryset) -> dict:
    """{count, total} of the live expenses in the queryset (deleted ones never add up)."""
    return queryset.filter(status=Expense.LIVE).aggregate(count=Count("id"), total=Sum("amount"))


def expense_type_names(*, user, limit=200) -> list[str]:
    """The user's most used expense types (for the filter form's suggestions)."""
    rows = (
        expense_queryset(user=user)
        .values(key=Lower("type"))
        .annotate(name=Min("type"), uses=Count("id"))
        .order_by("-uses", "key")[:limit]
    )
    return [row["name"] for row in rows]
