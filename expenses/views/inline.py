"""Inline edit of one row of the list: the row's form and its display, as HTML fragments for app.js (the
full editor, lists.expense_edit, does the same without JavaScript)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .. import selectors
from ..forms import ExpenseForm
from .common import expense_or_404, locked_reports, report_choices
from .lists import expense_initial, save_expense_form


def _fragment(request, template: str, context: dict, status: int = 200):
    """A fragment in the user's time zone (pages get it from base.html, which fragments do not extend)."""
    with timezone.override(request.user.tzinfo):
        return render(request, template, context, status=status)


def _row(request, expense_id):
    """The expense again, as the list shows it (report and tags loaded)."""
    found = selectors.expense_queryset(user=request.user).filter(pk=expense_id)
    return found.select_related("report").prefetch_related("tags", selectors.RECEIPTS_IN_ORDER).get()


@login_required
@require_http_methods(["GET", "POST"])
def expense_row(request, expense_id):
    """GET: the row as a form (`?display=1`: as displayed, what Cancel puts back). POST: save it; 200 with the
    row as displayed, 400 with the form and its errors, 409 with the form asking to confirm a change of a
    submitted or approved report."""
    expense = expense_or_404(request, expense_id)
    reports = report_choices(request.user)
    status, locks = 200, locked_reports([expense.report])
    if request.method == "POST":
        form, saved, pending = save_expense_form(request, expense, reports)
        if saved:
            context = {"expense": _row(request, expense.pk), "selectable": True, "saved": True}
            return _fragment(request, "expenses/_expense_row.html", context)
        status, locks = (409, pending) if pending else (400, locks)
    elif request.GET.get("display"):
        context = {"expense": _row(request, expense.pk), "selectable": True}
        return _fragment(request, "expenses/_expense_row.html", context)
    else:
        form = ExpenseForm(initial=expense_initial(expense, request.user), reports=reports,
                           currency=expense.original_currency)
    context = {"form": form, "expense": expense, "locks": locks, "confirm_needed": status == 409}
    return _fragment(request, "expenses/_expense_row_form.html", context, status=status)
