"""An expense's receipts on its editor page: add one or several (a file, a phone photo, a drop), view each and
its thumbnail, delete each. Every read starts from the owner's receipts, so nobody reaches another's files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from xpenser_server.errors import InvalidInput, NotFound

from .. import selectors, services
from ..receipt_files import receipt_file_response
from .common import confirm_page, confirmed, expense_or_404, is_locked, locked_reports, safe_next
from .lists import render_editor

LOCKED_UPLOAD = ("receipt: tick “Change it anyway” to add receipts to an expense of a submitted or approved "
                 "report, and choose the files again")


def _receipt_or_404(request, expense_id, receipt_id):
    receipt = selectors.receipt_get(user=request.user, expense_id=expense_id, receipt_id=receipt_id)
    if receipt is None:
        raise Http404("No such receipt")
    return receipt


def _file(name: str):
    try:
        return receipt_file_response(name)
    except NotFound:
        raise Http404("The receipt file is missing") from None


@login_required
@require_safe
def receipt_file(request, expense_id, receipt_id):
    return _file(_receipt_or_404(request, expense_id, receipt_id).file.name)


@login_required
@require_safe
def receipt_thumbnail(request, expense_id, receipt_id):
    receipt = _receipt_or_404(request, expense_id, receipt_id)
    if not receipt.thumbnail:
        raise Http404("This receipt has no thumbnail")
    return _file(receipt.thumbnail.name)


def _names(receipts) -> str:
    return ", ".join(f"“{receipt.name or 'receipt'}”" for receipt in receipts)


@login_required
@require_POST
def receipt_upload(request, expense_id):
    """Add the uploaded files (`receipt`, one or several) to the expense; 400/413 with the reason and nothing
    stored when any file is refused; 409 when the expense's report is submitted or approved and the change
    is not confirmed."""
    expense = expense_or_404(request, expense_id)
    uploads = request.FILES.getlist("receipt")
    if uploads and is_locked(expense.report) and not confirmed(request):
        return render_editor(request, expense, status=409, receipt_error=LOCKED_UPLOAD)
    try:
        added = services.receipts_add(expense=expense, uploads=uploads)
    except InvalidInput as err:
        return render_editor(request, expense, status=err.status_code, receipt_error=err.message)
    noun = "receipt" if len(added) == 1 else "receipts"
    messages.success(request, f"Attached {len(added)} {noun} to {expense.type}: {_names(added)}.")
    return redirect(safe_next(request, reverse("expense-edit", args=[expense.pk])) + "#receipts")


@login_required
@require_POST
def receipt_remove(request, expense_id, receipt_id):
    receipt = _receipt_or_404(request, expense_id, receipt_id)
    expense = receipt.expense
    back = safe_next(request, reverse("expense-edit", args=[expense.pk]))
    locks = locked_reports([expense.report])
    if locks and not confirmed(request):
        return confirm_page(request, locks, action=f"Deleting the receipt {_names([receipt])} of {expense.type}",
                            back=back)
    services.receipt_delete(receipt=receipt)
    messages.success(request, f"Deleted the receipt {_names([receipt])} of {expense.type}.")
    return redirect(back + "#receipts")
