"""Reports with the count and total of their live expenses (the reports app knows nothing of expenses)."""

from decimal import Decimal

from django.db.models import Count, DecimalField, Max, Min, Q, Sum, Value
from django.db.models.functions import Coalesce

from reports.selectors import report_list

from ..models import Expense
from .expenses import expense_queryset, expense_totals_by_tag, expense_totals_by_type, expense_totals_untagged

LIVE_EXPENSES = Q(expenses__status=Expense.LIVE)


def reports_with_totals(*, user, status: str | None = None):
    """The user's reports annotated with `count` of their live expenses and the `total` of those whose amount
    is in the base currency (amounts kept in an earlier base currency are not added to it)."""
    in_base = LIVE_EXPENSES & Q(expenses__amount_currency=user.base_currency)
    return report_list(user=user, status=status).annotate(
        count=Count("expenses", filter=LIVE_EXPENSES),
        total=Coalesce(
            Sum("expenses__amount", filter=in_base),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
    )


def report_with_totals(*, user, report_id):
    """The user's report with that id, annotated like reports_with_totals, or None."""
    return reports_with_totals(user=user).filter(pk=report_id).first()


def report_breakdown(*, user, report) -> dict:
    """The report's totals: overall (count, total, first and last date), by type and by tag."""
    live = expense_queryset(user=user).live().filter(report=report)
    summary = live.aggregate(count=Count("id"), total=Sum("amount"), first=Min("date"), last=Max("date"))
    by_tag = [{"label": f"#{row['name']}", **row} for row in expense_totals_by_tag(user=user, report=report)]
    untagged = expense_totals_untagged(user=user, report=report)
    if untagged["count"]:
        by_tag.append({"label": "(no tag)", "name": "", **untagged})
    return {
        "totals": {"count": summary["count"], "total": summary["total"] or Decimal("0.00")},
        "first": summary["first"],
        "last": summary["last"],
        "by_type": expense_totals_by_type(user=user, report=report),
        "by_tag": by_tag,
    }
