"""The expense list (the API filters plus search, amount range, sorting and page size) and the editor of one
expense."""

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
from ..search import PAGE_SIZES, SORTS, page_size, sort_key
from ..serializers import expense_tags
from .common import (
    LIST_PARAMS,
    confirm_page,
    confirmed,
    expense_or_404,
    filter_context,
    filter_query,
    locked_reports,
    money_text,
    query_string,
    report_choices,
    safe_next,
)
from .undo import offer_undo


def query_with(query, **changes) -> str:
    """`query` as a query string with some parameters replaced (None drops one)."""
    copy = query.copy()
    for name, value in changes.items():
        copy.pop(name, None)
        if value is not None:
            copy[name] = value
    return query_string(copy)


def sort_columns(query) -> dict:
    """Per column: the link that sorts by it (again: the other way round) and its aria-sort state."""
    try:
        current = sort_key(query)
    except InvalidInput:
        current = "-date"
    columns = {}
    for name in SORTS:
        state = "ascending" if current == name else "descending" if current == f"-{name}" else "none"
        following = f"-{name}" if state == "ascending" or (state == "none" and name in ("date", "amount")) else name
        columns[name] = {"url": "?" + query_with(query, sort=following, page=None), "state": state}
    return columns


def _hidden_fields(query, leave_out: str) -> list[tuple[str, str]]:
    """The current parameters as hidden inputs of a form that sets `leave_out` itself."""
    return [(name, value) for name, values in query.lists() if name != leave_out for value in values]


@login_required
def expense_list(request):
    """The user's expenses filtered like the API lists plus the list's own search, sorted and paginated."""
    user = request.user
    query = filter_query(request.GET, LIST_PARAMS)
    error, status, per_page = None, 200, 50
    try:
        expenses = selectors.expense_search(user=user, params=query)
        per_page = page_size(query)
    except (InvalidInput, NotFound) as err:
        error, status = err.message, err.status_code
        expenses = Expense.objects.none()
    totals = selectors.expense_totals(expenses, currency=user.base_currency)
    listed = expenses.select_related("report").prefetch_related("tags", selectors.RECEIPTS_IN_ORDER)
    page = Paginator(listed, per_page).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "totals": totals,
        "error": error,
        "query": query_string(query),
        "filters_used": any(name in query for name in LIST_PARAMS if name not in ("sort", "per_page")),
        "include_deleted": query.get("status", "").lower() == "all",
        "sort_columns": sort_columns(query),
        "page_sizes": PAGE_SIZES,
        "per_page": per_page,
        "search_keep": _hidden_fields(query, "search"),
        "per_page_keep": _hidden_fields(query, "per_page"),
        "open_filters": any(name in query for name in LIST_PARAMS if name not in ("search", "sort", "per_page")),
        "this_url": request.get_full_path(),
        **filter_context(user, query),
    }
    return render(request, "expenses/expense_list.html", context, status=status)


def _local_input(value: dt.datetime, tz) -> str:
    return timezone.localtime(value, tz).strftime("%Y-%m-%dT%H:%M")


def expense_initial(expense, user) -> dict:
    """The editor's starting values: an untouched field is not written back (it keeps its seconds, miles)."""
    return {
        "type": expense.type,
        "amount": f"{expense.original_amount:.2f}",
        "currency": expense.original_currency,
        "notes": expense.notes,
        "date": _local_input(expense.date, user.tzinfo),
        "report": str(expense.report_id),
        "tags": " ".join(t.name for t in expense_tags(expense)),
    }


def edit_locks(form, expense, reports) -> list:
    """The submitted or approved reports this edit changes: the expense's own and the one it moves to."""
    chosen = form.cleaned_data.get("report") if form.is_bound and hasattr(form, "cleaned_data") else None
    target = next((report for report in reports if str(report.pk) == str(chosen)), None)
    return locked_reports([expense.report, *([target] if target else [])])


def save_expense_form(request, expense, reports):
    """Validate and save an editor's form; returns (form, saved, locks): `locks` not empty means the change
    touches a submitted or approved report and was not confirmed (nothing saved)."""
    form = ExpenseForm(request.POST, request.FILES, initial=expense_initial(expense, request.user), reports=reports,
                       currency=expense.original_currency)
    if not form.is_valid():
        return form, False, []
    locks = edit_locks(form, expense, reports)
    if locks and not confirmed(request):
        return form, False, locks
    data = {name: form.cleaned_data[name] for name in form.changed_data if name in services.UPDATABLE_FIELDS}
    if "amount" in data or "currency" in data:  # the amount is in the currency beside it
        data.update(amount=form.cleaned_data["amount"], currency=form.cleaned_data["currency"])
    try:
        services.expense_update(expense=expense, data=data, tag_ids_allowed=False)
    except InvalidInput as err:
        form.add_service_error(err.message)
        return form, False, []
    return form, True, []


def render_editor(request, expense, *, form=None, status=200, locks=None, receipt_error=None):
    """The editor page: the expense's form (or a fresh one) and its receipts; `receipt_error`: a refused upload."""
    user = request.user
    if form is None:
        form = ExpenseForm(initial=expense_initial(expense, user), reports=report_choices(user),
                           currency=expense.original_currency)
    context = {
        "form": form,
        "expense": expense,
        "locks": locked_reports([expense.report]) if locks is None else locks,
        "confirm_needed": status == 409 and receipt_error is None,
        "receipts": selectors.receipt_list(user=user, expense=expense),
        "receipt_error": receipt_error,
        "receipt_confirm_needed": status == 409 and receipt_error is not None,
        "receipt_limit": services.receipts_per_expense(),
        "receipt_max_mb": services.receipt_max_bytes() / 1048576,
        "rate_warning": selectors.rate_warning(expense, user.tzinfo),
        "review": selectors.expense_review(expense),
        "tag_names": selectors.tag_list(user=user).values_list("name", flat=True),
        "next": safe_next(request, ""),
    }
    return render(request, "expenses/expense_edit.html", context, status=status)


@login_required
def expense_edit(request, expense_id):
    user = request.user
    expense = expense_or_404(request, expense_id)
    if request.method != "POST":
        return render_editor(request, expense)
    form, saved, pending = save_expense_form(request, expense, report_choices(user))
    if saved:
        messages.success(request, f"Saved {expense.type} {money_text(expense.amount)} {expense.amount_currency}.")
        if warning := selectors.rate_warning(expense, user.tzinfo):
            messages.warning(request, f"{expense.type}: {warning}.")
        return redirect(safe_next(request, "expense-list"))
    return render_editor(request, expense, form=form, status=409 if pending else 400, locks=pending or None)


@login_required
@require_POST
def expense_delete(request, expense_id):
    from_ = expense_or_404(request, expense_id)
    back = safe_next(request, "/expenses/")
    locks = locked_reports([from_.report])
    if locks and not confirmed(request):
        return confirm_page(request, locks, action=f"Deleting {from_.type} {money_text(from_.amount)}", back=back)
    expense = services.expense_delete(expense=from_)
    offer_undo(request, [expense.pk], f"Deleted {expense.type} {money_text(expense.amount)}.")
    return redirect(back)


@login_required
@require_POST
def expense_undelete(request, expense_id):
    expense = services.expense_restore(expense=expense_or_404(request, expense_id))
    messages.success(request, f"Restored {expense.type} {money_text(expense.amount)}.")
    return redirect(safe_next(request, "expense-list"))
