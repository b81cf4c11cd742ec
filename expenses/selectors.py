"""Reads of expenses and tags. Every query starts from the requesting user's rows."""

from collections import defaultdict

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
