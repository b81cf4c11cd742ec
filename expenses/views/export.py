"""Export: download links for the API's expense lists with the chosen filters (the session authenticates)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from xpenser_server.errors import InvalidInput, NotFound

from .. import selectors
from .common import filter_context, filter_query, query_string

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
    error, status, totals = None, 200, {"count": 0, "total": None, "currency": user.base_currency}
    try:
        totals = selectors.expense_totals(selectors.expense_list(user=user, params=query), currency=user.base_currency)
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
        **filter_context(user, query),
    }
    return render(request, "expenses/export.html", context, status=status)
