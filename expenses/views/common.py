"""What the pages share: the filter parameters of the API lists, safe redirects and money text."""

from decimal import Decimal

from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from reports.models import Report
from reports.selectors import report_list

from .. import selectors
from ..models import Expense
from ..search import SEARCH_PARAMS

# The query parameters of the API's expense lists (docs/api.md, "Expense filters", plus the date range extension):
# the list page, the export page and the API download links all speak exactly these.
FILTER_PARAMS = (
    "report", "type", "notes", "tags", "date", "date_op", "date_from", "date_to", "amount", "amount_op",
    "created", "created_op", "modified", "modified_op", "status",
)  # fmt: skip


# The list page's own parameters on top of those: search, amount range, sorting, page size.
LIST_PARAMS = FILTER_PARAMS + SEARCH_PARAMS + ("per_page",)
# A change to a report in these states is confirmed first (by the web app only: the APIs never ask).
LOCKED_STATUSES = (Report.Status.SUBMITTED, Report.Status.APPROVED)


def filter_query(params, names=FILTER_PARAMS) -> QueryDict:
    """The filter parameters present in `params`, without empty values (pagination etc. dropped)."""
    query = QueryDict(mutable=True)
    for name in names:
        values = [v.strip() for v in params.getlist(name) if v.strip()]
        if values:
            query.setlist(name, values)
    return query


def query_string(query: QueryDict) -> str:
    """The filters as a readable query string (`report=*`, `tags=a,b` stay as typed)."""
    return query.urlencode(safe="*,")


def report_choices(user):
    return report_list(user=user).order_by("-is_default", "name")


def filter_context(user, query: QueryDict) -> dict:
    """What the shared filter form needs: choices and the current values."""
    return {
        "reports": report_choices(user),
        "tag_names": selectors.tag_list(user=user).values_list("name", flat=True),
        "type_names": selectors.expense_type_names(user=user),
        "current": {
            "report": query.get("report", ""),
            "type": query.get("type", ""),
            "tags": ", ".join(query.getlist("tags")),
            "date_from": query.get("date_from", ""),
            "date_to": query.get("date_to", ""),
            "status": query.get("status", ""),
            "search": query.get("search", ""),
            "amount_min": query.get("amount_min", ""),
            "amount_max": query.get("amount_max", ""),
        },
    }


def safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def money_text(value) -> str:
    return f"{Decimal(value or 0):,.2f}"


def expense_or_404(request, expense_id) -> Expense:
    expense = selectors.expense_get(user=request.user, expense_id=expense_id)
    if expense is None:
        raise Http404("No such expense")
    return expense


def is_locked(report) -> bool:
    return report is not None and report.status in LOCKED_STATUSES


def locked_reports(reports) -> list:
    """The submitted or approved reports among `reports`, each once, by name."""
    found = {report.pk: report for report in reports if is_locked(report)}
    return sorted(found.values(), key=lambda report: report.name.lower())


def confirmed(request) -> bool:
    return request.POST.get("confirm") == "1"


def confirm_page(request, reports, *, action: str, back: str):
    """409: asks before `action` changes a submitted or approved report; "Yes" posts the same form again
    with confirm=1 (every field is carried in hidden inputs)."""
    fields = [(name, value) for name, values in request.POST.lists() if name not in ("csrfmiddlewaretoken", "confirm")
              for value in values]
    context = {"reports": reports, "action": action, "fields": fields, "back": back, "target": request.path}
    return render(request, "expenses/confirm.html", context, status=409)
