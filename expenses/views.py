"""Pages of the web app: quick entry, the expense list and editor, charts and export links.

Views stay thin: every read goes through the selectors (scoped to request.user), every write through the services.
"""

import datetime as dt
from decimal import Decimal
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from reports.selectors import report_default, report_get, report_list
from xpenser_server.errors import InvalidInput, NotFound

from . import selectors, services
from .charts import bar_chart, column_chart
from .forms import ExpenseForm
from .models import Expense

PAGE_SIZE = 50
RECENT_COUNT = 10
# The query parameters of the API's expense lists (API-CONTRACT section 5, plus the date range extension):
# the list page, the export page and the API download links all speak exactly these.
FILTER_PARAMS = (
    "report", "type", "notes", "tags", "date", "date_op", "date_from", "date_to", "amount", "amount_op",
    "created", "created_op", "modified", "modified_op", "status",
)  # fmt: skip


def filter_query(params) -> QueryDict:
    """The API filter parameters present in `params`, without empty values (pagination etc. dropped)."""
    query = QueryDict(mutable=True)
    for name in FILTER_PARAMS:
        values = [v.strip() for v in params.getlist(name) if v.strip()]
        if values:
            query.setlist(name, values)
    return query


def query_string(query: QueryDict) -> str:
    """The filters as a readable query string (`report=*`, `tags=a,b` stay as typed)."""
    return query.urlencode(safe="*,")


def _filter_context(user, query: QueryDict) -> dict:
    """What the shared filter form needs: choices and the current values."""
    return {
        "reports": report_list(user=user).order_by("-is_default", "name"),
        "tag_names": selectors.tag_list(user=user).values_list("name", flat=True),
        "type_names": selectors.expense_type_names(user=user),
        "current": {
            "report": query.get("report", ""),
            "type": query.get("type", ""),
            "tags": ", ".join(query.getlist("tags")),
            "date_from": query.get("date_from", ""),
            "date_to": query.get("date_to", ""),
            "status": query.get("status", ""),
        },
    }


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _money(value) -> str:
    return f"{Decimal(value or 0):,.2f}"


def describe_expense(expense: Expense, currency: str) -> str:
    parts = [f"Recorded {expense.type} {_money(expense.amount)} {currency}"]
    if expense.rawamount != expense.amount:
        unit = "minutes" if expense.type.casefold() == "time" else "miles"
        parts[0] += f" ({expense.rawamount.normalize():f} {unit})"
    if expense.notes:
        parts.append(f"notes: {expense.notes}")
    tags = [t.name for t in expense.tags.all()]
    if tags:
        parts.append("tags: " + " ".join(f"#{t}" for t in tags))
    parts.append(f"in {expense.report.name}")
    return " · ".join(parts)


def describe_result(result, user) -> str:
    if isinstance(result, Expense):
        return describe_expense(result, user.base_currency)
    started = timezone.localtime(result.started, user.tzinfo).strftime("%H:%M")
    if result.action == "started":
        return f"Timer started at {started}" + (f" for {result.notes}" if result.notes else "")
    return f"Timer stopped (started at {started}). " + describe_expense(result.expense, user.base_currency)


@login_required
def home(request):
    """Quick entry (`lunch 45 with jack #cash`, `Time start`), the running timer, and recent expenses."""
    user = request.user
    text, chosen_report, error = "", "", None
    if request.method == "POST":
        text = request.POST.get("q", "")
        chosen_report = request.POST.get("report", "").strip()
        try:
            result = services.expense_create_from_text(user=user, text=text, report=chosen_report or None)
        except InvalidInput as err:
            error = err.message
        else:
            messages.success(request, describe_result(result, user))
            return redirect("home")
    default = report_get(user=user, report_id=report_default(user=user).pk)
    recent = (
        selectors.expense_queryset(user=user)
        .filter(report=default, status=Expense.LIVE)
        .select_related("report")
        .prefetch_related("tags")
        .order_by("-date", "-id")[:RECENT_COUNT]
    )
    context = {
        "text": text,
        "error": error,
        "chosen_report": chosen_report,
        "reports": report_list(user=user).order_by("-is_default", "name"),
        "default_report": default,
        "recent": recent,
        "timer_started_at": user.timer_started_at,
        "timer_notes": user.timer_notes,
        "timer_tags": user.timer_tags.split(),
    }
    return render(request, "expenses/home.html", context, status=400 if error else 200)


@login_required
def expense_list(request):
    """The user's expenses filtered exactly like the API lists, paginated, with the total of the matches."""
    user = request.user
    query = filter_query(request.GET)
    error, status = None, 200
    try:
        expenses = selectors.expense_list(user=user, params=query)
    except (InvalidInput, NotFound) as err:
        error, status = err.message, err.status_code
        expenses = Expense.objects.none()
    totals = selectors.expense_totals(expenses)
    page = Paginator(expenses.select_related("report").prefetch_related("tags"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "totals": totals,
        "error": error,
        "query": query_string(query),
        "include_deleted": query.get("status", "").lower() == "all",
        "this_url": request.get_full_path(),
        **_filter_context(user, query),
    }
    return render(request, "expenses/expense_list.html", context, status=status)


def _expense_or_404(request, expense_id) -> Expense:
    expense = selectors.expense_get(user=request.user, expense_id=expense_id)
    if expense is None:
        raise Http404("No such expense")
    return expense


def _local_input(value: dt.datetime, tz) -> str:
    return timezone.localtime(value, tz).strftime("%Y-%m-%dT%H:%M")


@login_required
def expense_edit(request, expense_id):
    user = request.user
    expense = _expense_or_404(request, expense_id)
    reports = report_list(user=user).order_by("-is_default", "name")
    initial = {
        "type": expense.type,
        "amount": f"{expense.amount:.2f}",
        "notes": expense.notes,
        "date": _local_input(expense.date, user.tzinfo),
        "report": str(expense.report_id),
        "tags": " ".join(t.name for t in expense.tags.all()),
    }
    status = 200
    if request.method == "POST":
        form = ExpenseForm(request.POST, request.FILES, initial=initial, reports=reports)
        if form.is_valid():
            # Only what changed is written: an untouched date keeps its seconds, an untouched
            # mileage amount keeps its raw miles.
            data = {name: form.cleaned_data[name] for name in form.changed_data if name in services.UPDATABLE_FIELDS}
            try:
                with transaction.atomic():
                    if "tags" in data:
                        tags = services.tags_resolve(user=user, values=data["tags"], ids_allowed=False)
                        data["tags"] = [str(tag.pk) for tag in tags]
                    services.expense_update(expense=expense, data=data)
                    if form.cleaned_data["receipt"]:
                        services.expense_receipt_attach(expense=expense, upload=form.cleaned_data["receipt"])
                    elif form.cleaned_data["remove_receipt"]:
                        services.expense_receipt_remove(expense=expense)
            except InvalidInput as err:
                form.add_service_error(err.message)
            else:
                messages.success(request, f"Saved {expense.type} {_money(expense.amount)} {user.base_currency}.")
                return redirect(_safe_next(request, "expense-list"))
        status = 400
    else:
        form = ExpenseForm(initial=initial, reports=reports)
    context = {
        "form": form,
        "expense": expense,
        "tag_names": selectors.tag_list(user=user).values_list("name", flat=True),
        "next": _safe_next(request, ""),
    }
    return render(request, "expenses/expense_edit.html", context, status=status)


@login_required
@require_POST
def expense_delete(request, expense_id):
    expense = _expense_or_404(request, expense_id)
    if expense.status != Expense.DELETED:
        services.expense_delete(expense=expense)
    messages.success(request, f"Deleted {expense.type} {_money(expense.amount)}. You can undo it from the list.")
    return redirect(_safe_next(request, "expense-list"))


@login_required
@require_POST
def expense_undelete(request, expense_id):
    expense = _expense_or_404(request, expense_id)
    if expense.status != Expense.LIVE:
        services.expense_update(expense=expense, data={"status": str(Expense.LIVE)})
    messages.success(request, f"Restored {expense.type} {_money(expense.amount)}.")
    return redirect(_safe_next(request, "expense-list"))


@login_required
def expense_receipt(request, expense_id):
    """The receipt file, to its owner only, with a media type taken from its content (never its name)."""
    expense = _expense_or_404(request, expense_id)
    if not expense.receipt:
        raise Http404("This expense has no receipt")
    try:
        handle = expense.receipt.open("rb")
    except FileNotFoundError:
        raise Http404("The receipt file is missing") from None
    kind = services.receipt_kind(handle.read(16))
    handle.seek(0)
    filename = PurePosixPath(expense.receipt.name).name
    if kind is None:
        return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/octet-stream")
    response = FileResponse(handle, filename=filename, content_type=services.RECEIPT_MEDIA_TYPES[kind])
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


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
        report = report_get(user=user, report_id=int(chosen)) if chosen.isdigit() else None
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
        "reports": report_list(user=user).order_by("-is_default", "name"),
    }
    return render(request, "expenses/charts.html", context)


EXPORTS = (
    ("CSV", "/api/expenses/", "csv", "Spreadsheets (Excel, LibreOffice, Numbers)"),
    ("JSON", "/api/expenses/", "json", "The legacy API's Django-serializer records"),
    ("QIF", "/api/expenses/", "qif", "Quicken, GnuCash and other money programs"),
    ("XML", "/api/v1.0/expenses/", "xml", "The v1.0 API's flat records"),
    ("JSON (v1.0)", "/api/v1.0/expenses/", "json", "The v1.0 API's flat records"),
)


@login_required
def export(request):
    """Download links for the API's expense lists with the chosen filters (the browser session authenticates)."""
    user = request.user
    query = filter_query(request.GET)
    error, status, totals = None, 200, {"count": 0, "total": None}
    try:
        totals = selectors.expense_totals(selectors.expense_list(user=user, params=query))
    except (InvalidInput, NotFound) as err:
        error, status = err.message, err.status_code
    links = []
    for label, path, fmt, description in EXPORTS:
        url = f"{path}?format={fmt}" + (f"&{query_string(query)}" if query else "")
        links.append({"label": label, "url": url, "description": description})
    context = {
        "links": [] if error else links,
        "error": error,
        "totals": totals,
        "query": query_string(query),
        **_filter_context(user, query),
    }
    return render(request, "expenses/export.html", context, status=status)
