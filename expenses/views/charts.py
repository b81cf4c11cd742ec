"""Charts: spending in a date range (the last 12 months unless chosen) by month, type, tag and report, as
server-side bars (SVG columns for months on wide screens, HTML bar lists everywhere) with their numbers."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from reports.selectors import report_get
from xpenser_server.errors import InvalidInput
from xpenser_server.ids import parse_id

from .. import selectors
from ..charts import bar_rows, column_chart
from .common import report_choices

MAX_MONTHS = 120
COLUMN_MONTHS = 18  # more months than this read better as a list of horizontal bars


def _day(params, name):
    text = params.get(name, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name}: {text!r} is not a date; use YYYY-MM-DD") from None


def date_range(params, today: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) chosen, by default the 12 months up to today; refused when reversed or too long."""
    until = _day(params, "date_to") or today
    since = _day(params, "date_from") or dt.date(until.year - (until.month < 12), until.month % 12 + 1, 1)
    if since > until:
        raise InvalidInput("date_from: the range starts after it ends")
    if (until.year - since.year) * 12 + until.month - since.month >= MAX_MONTHS:
        raise InvalidInput(f"date_to: choose a range of at most {MAX_MONTHS // 12} years")
    return since, until


def _months(since: dt.date, until: dt.date) -> list[tuple[int, int]]:
    first, last = since.year * 12 + since.month - 1, until.year * 12 + until.month - 1
    return [(n // 12, n % 12 + 1) for n in range(first, last + 1)]


def _list_url(since, until, report_id=None, **filters) -> str:
    params = {"report": report_id or "*", "date_from": since.isoformat(), "date_to": until.isoformat()}
    return reverse("expense-list") + "?" + urlencode({**params, **filters})


def _month_points(rows, months, tz):
    by_month = {}
    for row in rows:
        local = timezone.localtime(row["month"], tz) if timezone.is_aware(row["month"]) else row["month"]
        by_month[(local.year, local.month)] = row
    return [(dt.date(y, m, 1).strftime("%b %Y"), by_month.get((y, m), {}).get("total") or Decimal("0.00"),
             by_month.get((y, m), {}).get("count", 0)) for y, m in months]


@login_required
def charts(request):
    user, tz = request.user, request.user.tzinfo
    today = timezone.localtime(timezone.now(), tz).date()
    report, error = None, None
    chosen = request.GET.get("report", "").strip()
    if chosen and chosen != "*":
        report = report_get(user=user, report_id=parse_id(chosen)) if parse_id(chosen) else None
        if report is None:
            raise Http404("No such report")
    try:
        since, until = date_range(request.GET, today)
    except InvalidInput as err:
        error = err.message
        since, until = date_range({}, today)
    start = dt.datetime.combine(since, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    scope = {"user": user, "since": start, "until": end}
    rid = report.pk if report else None
    months = _months(since, until)
    month_points = _month_points(selectors.expense_totals_by_month(**scope, report=report), months, tz)
    month_urls = [_list_url(max(since, dt.date(y, m, 1)), min(until, dt.date(y + m // 12, m % 12 + 1, 1)
                            - dt.timedelta(days=1)), rid) for y, m in months]
    types = selectors.expense_totals_by_type(**scope, report=report)
    tags = selectors.expense_totals_by_tag(**scope, report=report)
    untagged = selectors.expense_totals_untagged(**scope, report=report)
    tag_points = [(f"#{row['name']}", row["total"], row["count"]) for row in tags]
    tag_urls = [_list_url(since, until, rid, tags=row["name"]) for row in tags]
    if untagged["count"]:
        tag_points.append(("(no tag)", untagged["total"], untagged["count"]))
        tag_urls.append("")
    by_report = [] if report else selectors.expense_totals_by_report(user=user, since=start, until=end)
    context = {
        "months_chart": column_chart(month_points),
        "month_rows": bar_rows(month_points, month_urls),
        "columns": len(months) <= COLUMN_MONTHS,
        "type_rows": bar_rows([(r["type"], r["total"], r["count"]) for r in types],
                              [_list_url(since, until, rid, type=r["type"]) for r in types]),
        "tag_rows": bar_rows(tag_points, tag_urls),
        "report_rows": bar_rows([(r["name"], r["total"], r["count"]) for r in by_report],
                                [_list_url(since, until, r["report_id"]) for r in by_report]),
        "total": sum((p[1] for p in month_points), Decimal("0.00")),
        "count": sum(p[2] for p in month_points),
        "since": since,
        "until": until,
        "error": error,
        "report": report,
        "reports": report_choices(user),
        "currency": user.base_currency,
        "others": selectors.expense_totals_in_other_currencies(**scope, report=report),
    }
    return render(request, "expenses/charts.html", context, status=400 if error else 200)
