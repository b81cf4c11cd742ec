"""Receipt reading's suggestion on the expense page: Apply (take the receipt's values) or Dismiss."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from xpenser_server.errors import InvalidInput

from .. import services
from .common import expense_or_404, money_text, safe_next


def _answer(request, expense_id, service, done: str):
    expense = expense_or_404(request, expense_id)
    try:
        expense = service(expense=expense)
    except InvalidInput as problem:
        messages.error(request, f"{problem.message}.")
    else:
        messages.success(request, done.format(type=expense.type, amount=money_text(expense.amount),
                                              currency=expense.amount_currency))
    return redirect(safe_next(request, reverse("expense-edit", args=[expense.pk])))


@login_required
@require_POST
def expense_review_apply(request, expense_id):
    return _answer(request, expense_id, services.expense_review_apply,
                   "Applied the receipt: {type} {amount} {currency}.")


@login_required
@require_POST
def expense_review_dismiss(request, expense_id):
    return _answer(request, expense_id, services.expense_review_dismiss, "Kept {type} {amount} {currency} as it is.")
