"""Reads of expenses. Every query starts from Expense.objects.owned_by(the requesting user)."""

from django.db.models import Count, F, Min, Prefetch, Q, Sum
from django.db.models.functions import Coalesce, Lower, TruncMonth

from reports.selectors import report_default
from xpenser_server.ids import parse_id

from ..filters import apply_expense_filters
from ..models import Expense, Tag

# The expense's tags as a list in `tag_list` (the wire shapes sort them by name): no ORDER BY to compile.
TAGS_BY_NAME = Prefetch("tags", queryset=Tag.objects.order_by(), to_attr="tag_list")


def expense_queryset(*, user):
    """All of the user's expenses, deleted ones included."""
    return Expense.objects.owned_by(user)


def expense_get(*, user, expense_id, include_deleted=True) -> Expense | None:
    """The user's expense with that id, its tags in `tag_list` (by name), or None. Two queries."""
    expense_id = parse_id(expense_id)
    if expense_id is None:  # not an id, or beyond the database's range
        return None
    found = expense_queryset(user=user).filter(pk=expense_id)
    if not include_deleted:
        found = found.live()
    try:
        return found.prefetch_related(TAGS_BY_NAME).get()  # get(): no ORDER BY for a lookup by primary key
    except Expense.DoesNotExist:
        return None


def expense_list(*, user, params):
    """The user's expenses matching the list filters (docs/api.md, "Expense filters"), newest first."""
    queryset = apply_expense_filters(
        expense_queryset(user=user), user=user, params=params, default_report=report_default(user=user)
    )
    if params.get("modified") or params.get("created"):
        # Delta sync: the (owner, modified) index finds the few changed rows. Ordering by an expression
        # (same order) stops SQLite's planner from walking all the user's rows in (owner, date) index order
        # to skip the sort: 750 ms against 5 ms with 100k expenses (bench/RESULTS.md).
        return queryset.order_by(Coalesce("date", "date").desc(), "id")
    return queryset.order_by("-date", "id")


def _live_since(*, user, since=None, report=None, until=None, other_currencies=False):
    """Live expenses dated from `since` (inclusive) to `until` (exclusive), either bound optional, whose amount
    is in the base currency (charts add up one currency), or with `other_currencies` those left in another."""
    qs = expense_queryset(user=user).live()
    if since is not None:
        qs = qs.filter(date__gte=since)
    if until is not None:
        qs = qs.filter(date__lt=until)
    qs = qs.exclude(amount_currency=user.base_currency) if other_currencies else \
        qs.filter(amount_currency=user.base_currency)
    return qs.filter(report=report) if report is not None else qs


def expense_totals_in_other_currencies(*, user, since=None, report=None, until=None) -> list[dict]:
    """[{currency, count, total}] of the live expenses of the period left in another currency (not charted)."""
    return _by_currency(_live_since(user=user, since=since, report=report, until=until, other_currencies=True))


def _by_currency(queryset) -> list[dict]:
    return list(queryset.values(currency=F("amount_currency")).annotate(count=Count("id"), total=Sum("amount"))
                .order_by("currency"))


def expense_totals_by_month(*, user, since=None, report=None, until=None) -> list[dict]:
    """[{month (aware datetime, first of the month in the user's tz), count, total}] of live expenses."""
    return list(
        _live_since(user=user, since=since, report=report, until=until)
        .annotate(month=TruncMonth("date", tzinfo=user.tzinfo))
        .values("month")
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by("month")
    )


def expense_totals_by_type(*, user, since=None, report=None, until=None) -> list[dict]:
    """[{type, count, total}] of live expenses, types compared case-insensitively, largest total first."""
    return list(
        _live_since(user=user, since=since, report=report, until=until)
        .values(key=Lower("type"))
        .annotate(type=Min("type"), count=Count("id"), total=Sum("amount"))
        .order_by("-total", "key")
    )


def expense_totals_by_tag(*, user, since=None, report=None, until=None) -> list[dict]:
    """[{name, count, total}] of live expenses per tag (an expense counts under each of its tags)."""
    return list(
        _live_since(user=user, since=since, report=report, until=until)
        .tag_links()
        .values(name=F("tag__name"))
        .annotate(count=Count("expense_id"), total=Sum("expense__amount"))
        .order_by("-total", "name")
    )


def expense_totals_untagged(*, user, since=None, report=None, until=None) -> dict:
    return _live_since(user=user, since=since, report=report, until=until).filter(tags=None).aggregate(
        count=Count("id"), total=Sum("amount")
    )


def expense_totals_by_report(*, user, since=None, until=None) -> list[dict]:
    """[{report_id, name, report_status, count, total}] of live expenses per report, largest total first."""
    return list(
        _live_since(user=user, since=since, until=until)
        .values("report_id", name=F("report__name"), report_status=F("report__status"))
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by("-total", "name", "report_id")
    )


def expense_totals(queryset, *, currency: str) -> dict:
    """Totals of the live expenses in the queryset (deleted ones never add up), in one currency:
    {count, total (of those whose amount is in `currency`), currency, awaiting (waiting for a rate: 0.00 in the
    total), others ([{currency, count, total}] of amounts kept in other currencies, not added)}."""
    live = queryset.live()
    totals = live.aggregate(
        count=Count("id"), total=Sum("amount", filter=Q(amount_currency=currency)),
        awaiting=Count("id", filter=Q(rate__isnull=True)),
    )  # fmt: skip
    totals["currency"] = currency
    totals["others"] = _by_currency(live.exclude(amount_currency=currency)) if totals["count"] else []
    return totals


def expense_type_names(*, user, limit=200) -> list[str]:
    """The user's most used expense types (for the filter form's suggestions)."""
    rows = (
        expense_queryset(user=user)
        .values(key=Lower("type"))
        .annotate(name=Min("type"), uses=Count("id"))
        .order_by("-uses", "key")[:limit]
    )
    return [row["name"] for row in rows]
