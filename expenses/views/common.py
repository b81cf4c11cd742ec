"""What the pages share: the filter parameters of the API lists, safe redirects and money text."""

from decimal import Decimal

from django.http import Http404, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

from reports.selectors import report_list

from .. import selectors
from ..models import Expense

# The query parameters of the API's expense lists (docs/api.md, "Expense filters", plus the date range extension):
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
