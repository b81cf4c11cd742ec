"""Charts: spending of the last 12 months by month, type and tag, as server-side SVG bars plus tables."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from reports.selectors import report_get
from xpenser_server.ids import parse_id

from .. import selectors
from ..charts import bar_chart, column_chart
from .common import report_choices


def _months_back(now_local: dt.datetime, count: int) -> list[tuple[int, int]]:
    first = now_local.year * 12 + now_local.month - 1 - (count - 1)
    return [divmod(first + i, 12) for i in range(count)]


@login_required
def charts(request):
    """Spending of the last 12 months by month, type and tag, as inline SVG bars plus tables."""
    user = request.user
    tz = user.tzinfo
    months = [(year, month + 1) for year, month in _months_back(timezone.localtime(timezone.now(), tz), 12)]
    since = dt.datetime(months[0][0], months[0][1], 1, tzinfo=tz)
    report = None
    chosen = request.GET.get("report", "").strip()
    if chosen and chosen != "*":
        report = report_get(user=user, report_id=parse_id(chosen)) if parse_id(chosen) else None
        if report is None:
            raise Http404("No such report")

    by_month = {}
    for row in selectors.expense_totals_by_month(user=user, since=since, report=report):
        local = timezone.localtime(row["month"], tz) if timezone.is_aware(row["month"]) else row["month"]
        by_month[(local.year, local.month)] = row
    month_points = [
        (
            dt.date(year, month, 1).strftime("%b %Y"),
            by_month.get((year, month), {}).get("total") or Decimal("0.00"),
            by_month.get((year, month), {}).get("count", 0),
        )
        for year, month in months
    ]
    type_points = [
        (row["type"], row["total"], row["count"])
        for row in selectors.expense_totals_by_type(user=user, since=since, report=report)
    ]
    tag_points = [
        (f"#{row['name']}", row["total"], row["count"])
        for row in selectors.expense_totals_by_tag(user=user, since=since, report=report)
    ]
    untagged = selectors.expense_totals_untagged(user=user, since=since, report=report)
    if untagged["count"]:
        tag_points.append(("(no tag)", untagged["total"], untagged["count"]))
    context = {
        "months_chart": column_chart(month_points),
        "types_chart": bar_chart(type_points),
        "tags_chart": bar_chart(tag_points),
        "total": sum((p[1] for p in month_points), Decimal("0.00")),
        "count": sum(p[2] for p in month_points),
        "since": since,
        "report": report,
        "reports": report_choices(user),
        "currency": user.base_currency,
        "others": selectors.expense_totals_in_other_currencies(user=user, since=since, report=report),
    }
    return render(request, "expenses/charts.html", context)

