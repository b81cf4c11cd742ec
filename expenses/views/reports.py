"""Report pages: the list (with create) and one report (rename, status, default, its expenses)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from reports import services as report_services
from reports.models import Report
from xpenser_server.errors import InvalidInput

from .. import selectors

PAGE_SIZE = 50


@login_required
def report_index(request):
    user = request.user
    error, name = None, ""
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            report = report_services.report_create(user=user, name=name)
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


# Which fields each button on the report page may change.
ACTIONS = {"rename": ("name",), "status": ("status",), "default": ("is_default",)}


@login_required
def report_detail(request, report_id):
    user = request.user
    report = selectors.report_with_totals(user=user, report_id=report_id)
    if report is None:
        raise Http404("No such report")
    error = None
    if request.method == "POST":
        fields = ACTIONS.get(request.POST.get("action", ""), ())
        data = {field: request.POST.get(field, "") for field in fields}
        if data.get("is_default") == "":
            data["is_default"] = "1"
        try:
            if not data:
                raise InvalidInput("action: choose rename, status or default")
            report_services.report_update(report=report, data=data)
        except InvalidInput as err:
            error = err.message
            report = selectors.report_with_totals(user=user, report_id=report_id)
        else:
            messages.success(request, f"Saved the report {report.name}.")
            return redirect("report-detail", report_id=report.pk)
    expenses = (
        selectors.expense_queryset(user=user)
        .live()
        .filter(report=report)
        .prefetch_related("tags")
        .order_by("-date", "-id")
    )
    context = {
        "report": report,
        "page": Paginator(expenses, PAGE_SIZE).get_page(request.GET.get("page")),
        "statuses": Report.Status.choices,
        "error": error,
    }
    return render(request, "reports/report_detail.html", context, status=400 if error else 200)
