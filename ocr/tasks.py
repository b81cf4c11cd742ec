"""The background job of receipt reading (django-tasks)."""

from django.contrib.auth import get_user_model

from expenses.models import Receipt
from jobs.retry import job

from .services import receipt_read_checked


@job()
def read_receipt(*, user_id: int, receipt_id: int) -> str:
    """Read one receipt of the user (checked first if it never was) and record the result: the reading's status
    ("gone" when the receipt was removed before its turn, "refused" when its check refused it)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    receipt = Receipt.objects.owned_by(user).select_related("expense", "owner").filter(pk=receipt_id).first() \
        if user is not None else None
    if receipt is None:
        return "gone"
    return receipt_read_checked(receipt=receipt)
