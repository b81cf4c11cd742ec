"""Receipt files: to the expense's owner, and at the legacy public URL (the unguessable path is the key)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_safe

from xpenser_server.errors import NotFound

from ..models import Expense
from ..receipt_files import receipt_file_response
from .common import expense_or_404


@login_required
def expense_receipt(request, expense_id):
    expense = expense_or_404(request, expense_id)
    if not expense.receipt:
        raise Http404("This expense has no receipt")
    try:
        return receipt_file_response(expense.receipt.name)
    except NotFound:
        raise Http404("The receipt file is missing") from None


@require_safe
def receipt_public(request, path):
    """`GET /static/xpenser/media/Receipts/<path>` without credentials (an old client downloads receipts so).

    Only names stored as an expense's receipt are served, so nothing else in the media storage can be
    reached through this URL.
    """
    name = f"Receipts/{path}"
    if not Expense.objects.with_receipt(name).exists():
        raise Http404("no such receipt")
    try:
        return receipt_file_response(name)
    except NotFound:
        raise Http404("no such receipt") from None
