"""Report pages: the list (with create), one report (totals by type and tag, downloads, rename, status,
default, its expenses) and its deletion (moving or deleting its expenses)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reports import services as report_services
from reports.models import Report
from xpenser_server.errors import InvalidInput

from .. import selectors, services
from ..downloads import FORMATS, PDF
from .common import confirm_page, confirmed, is_locked, report_choices

PAGE_SIZE = 50


@login_required
def report_index(request):
    user = request.user
    error, name = None, ""
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            report = report_services.report_create(user=user, name=name, unique_name=True)
        except InvalidInput as err:
            error = err.message
        else:
            messages.success(request, f"Created the report {report.name}.")
            return redirect("report-detail", report_id=report.pk)
    context = {
        "reports": selectors.reports_with_totals(user=user).order_by("-is_default", "-created", "-id"),
        "error": error,
        "name": name,
        "statuses": Report.Status.choices,
    }
    return render(request, "reports/report_list.html", context, status=400 if error else 200)


# Which fields each button on the report page may change; `rename` of a submitted report asks first.
ACTIONS = {"rename": ("name",), "status": ("status",), "default": ("is_default",)}


def _report_or_404(user, report_id):
    report = selectors.report_with_totals(user=user, report_id=report_id)
    if report is None:
        raise Http404("No such report")
    return report


@login_required
def report_detail(request, report_id):
    user = request.user
    report = _report_or_404(user, report_id)
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        fields = ACTIONS.get(action, ())
        data = {field: request.POST.get(field, "") for field in fields}
        if data.get("is_default") == "":
            data["is_default"] = "1"
        if action == "rename" and is_locked(report) and not confirmed(request):
            return confirm_page(request, [report], action="Renaming it", back=request.path)
        try:
            if not data:
                raise InvalidInput("action: choose rename, status or default")
            report_services.report_update(report=report, data=data, unique_name=True)
        except InvalidInput as err:
            error = err.message
            report = _report_or_404(user, report_id)
        else:
            messages.success(request, f"Saved the report {report.name}.")
            return redirect("report-detail", report_id=report.pk)
    expenses = (
        selectors.expense_queryset(user=user)
        .live()
        .filter(report=report)
        .select_related("report")
        .prefetch_related("tags", selectors.RECEIPTS_IN_ORDER)
        .order_by("-date", "-id")
    )
    context = {
        "report": report,
        "page": Paginator(expenses, PAGE_SIZE).get_page(request.GET.get("page")),
        "statuses": Report.Status.choices,
        "error": error,
        "downloads": [(fmt, spec.label) for fmt, spec in FORMATS.items()],
        "pdf": PDF,
        "other_reports": [r for r in report_choices(user) if r.pk != report.pk],
        **selectors.report_breakdown(user=user, report=report),
    }
    return render(request, "reports/report_detail.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def report_remove(request, report_id):
    """GET: what deleting the report does to its expenses (move them, or delete them too). POST: do it."""
    user = request.user
    report = _report_or_404(user, report_id)
    error = None
    if request.method == "POST":
        fate = request.POST.get("expenses", "move")
        move_to = request.POST.get("move_to", "") if fate == "move" else None
        if is_locked(report) and not confirmed(request):
            return confirm_page(request, [report], action="Deleting it", back=request.path)
        try:
            services.report_delete(report=report, move_to=move_to, delete_expenses=fate == "delete")
        except InvalidInput as err:
            error = err.message
        else:
            messages.success(request, f"Deleted the report {report.name}.")
            return redirect("report-list")
    context = {"report": report, "other_reports": [r for r in report_choices(user) if r.pk != report.pk],
               "error": error}
    return render(request, "reports/report_delete.html", context, status=400 if error else 200)
