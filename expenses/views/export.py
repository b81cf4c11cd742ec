"""Export: downloads of the chosen expenses (named after their report, always as attachments), with the
API's own URL of each list for scripts."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from xpenser_server.errors import InvalidInput, NotFound

from .. import selectors
from ..downloads import FORMATS
from .common import FILTER_PARAMS, LIST_PARAMS, filter_context, filter_query, query_string

# The API list each download matches, for `curl -u you@example.com URL` (the API reads the API filters only).
API_URLS = {"csv": "/api/expenses/?format=csv", "json": "/api/v1.0/expenses/?format=json",
            "qif": "/api/expenses/?format=qif", "xml": "/api/v1.0/expenses/?format=xml"}


@login_required
def export(request):
    """Download buttons for the expenses the filters choose, each with the matching API URL."""
    user = request.user
    query = filter_query(request.GET, LIST_PARAMS)
    api_query = query_string(filter_query(query, FILTER_PARAMS))
    error, status, totals = None, 200, {"count": 0, "total": None, "currency": user.base_currency}
    try:
        totals = selectors.expense_totals(selectors.expense_search(user=user, params=query),
                                          currency=user.base_currency)
    except (InvalidInput, NotFound) as err:
        error, status = err.message, err.status_code
    links = []
    for fmt, spec in FORMATS.items():
        url = reverse("expense-download", args=[fmt]) + (f"?{query_string(query)}" if query else "")
        api = API_URLS[fmt] + (f"&{api_query}" if api_query else "") if fmt in API_URLS else ""
        links.append({"label": spec.label, "url": url, "description": spec.description, "api": api})
    context = {
        "links": [] if error else links,
        "error": error,
        "totals": totals,
        "query": query_string(query),
        "web_only": any(name in query for name in LIST_PARAMS if name not in FILTER_PARAMS),
        **filter_context(user, query),
    }
    return render(request, "expenses/export.html", context, status=status)
