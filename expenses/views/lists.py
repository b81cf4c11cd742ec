"""The expense list (filtered exactly like the API lists) and the editor of one expense."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xpenser_server.errors import InvalidInput, NotFound

from .. import selectors, services
from ..forms import ExpenseForm
from ..models import Expense
from ..serializers import expense_tags
from .common import expense_or_404, filter_context, filter_query, money_text, query_string, report_choices, safe_next

PAGE_SIZE = 50


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
    totals = selectors.expense_totals(expenses, currency=user.base_currency)
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
        **filter_context(user, query),
    }
    return render(request, "expenses/expense_list.html", context, status=status)


def _local_input(value: dt.datetime, tz) -> str:
    return timezone.localtime(value, tz).strftime("%Y-%m-%dT%H:%M")


@login_required
def expense_edit(request, expense_id):
    user = request.user
    expense = expense_or_404(request, expense_id)
    reports = report_choices(user)
    initial = {
        "type": expense.type,
        "amount": f"{expense.original_amount:.2f}",
        "currency": expense.original_currency,
        "notes": expense.notes,
        "date": _local_input(expense.date, user.tzinfo),
        "report": str(expense.report_id),
        "tags": " ".join(t.name for t in expense_tags(expense)),
    }
    status = 200
    if request.method == "POST":
        form = ExpenseForm(request.POST, request.FILES, initial=initial, reports=reports,
                           currency=expense.original_currency)
        if form.is_valid():
            # Only what changed is written: an untouched date keeps its seconds, an untouched
            # mileage amount keeps its raw miles. The amount is in the currency beside it.
            data = {name: form.cleaned_data[name] for name in form.changed_data if name in services.UPDATABLE_FIELDS}
            if "amount" in data or "currency" in data:
                data.update(amount=form.cleaned_data["amount"], currency=form.cleaned_data["currency"])
            try:
                services.expense_update(
                    expense=expense, data=data, tag_ids_allowed=False, receipt=form.cleaned_data["receipt"],
                    remove_receipt=form.cleaned_data["remove_receipt"],
                )
            except InvalidInput as err:
                form.add_service_error(err.message)
            else:
                saved = f"{money_text(expense.amount)} {expense.amount_currency}"
                messages.success(request, f"Saved {expense.type} {saved}.")
                if warning := selectors.rate_warning(expense, user.tzinfo):
                    messages.warning(request, f"{expense.type}: {warning}.")
                return redirect(safe_next(request, "expense-list"))
        status = 400
    else:
        form = ExpenseForm(initial=initial, reports=reports, currency=expense.original_currency)
    context = {
        "form": form,
        "expense": expense,
        "rate_warning": selectors.rate_warning(expense, user.tzinfo),
        "tag_names": selectors.tag_list(user=user).values_list("name", flat=True),
        "next": safe_next(request, ""),
    }
    return render(request, "expenses/expense_edit.html", context, status=status)


@login_required
@require_POST
def expense_delete(request, expense_id):
    expense = services.expense_delete(expense=expense_or_404(request, expense_id))
    messages.success(request, f"Deleted {expense.type} {money_text(expense.amount)}. You can undo it from the list.")
    return redirect(safe_next(request, "expense-list"))


@login_required
@require_POST
def expense_undelete(request, expense_id):
    expense = services.expense_restore(expense=expense_or_404(request, expense_id))
    messages.success(request, f"Restored {expense.type} {money_text(expense.amount)}.")
    return redirect(safe_next(request, "expense-list"))
