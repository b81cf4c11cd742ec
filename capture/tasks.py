"""The check of a mailed receipt, a job queued once the message's transaction commits (the SMTP answer does not
wait for it): expenses.services.receipt_check decodes the file whole, makes its thumbnail, and refuses (keeps
and flags) a file that fails."""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

from expenses import services as expense_services
from expenses.models import Receipt
from jobs.retry import job

logger = logging.getLogger(__name__)


@job()
def check_receipt(*, user_id: int, receipt_id: int) -> str:
    """Check one receipt of the user stored unchecked; "gone" when it was removed, "already checked" when a
    run before this one did it."""
    user = get_user_model().objects.filter(pk=user_id).first()
    receipt = Receipt.objects.owned_by(user).select_related("expense", "owner").filter(pk=receipt_id).first() \
        if user is not None else None
    if receipt is None:
        return "gone"
    if expense_services.receipt_is_checked(receipt):
        return "already checked"
    return expense_services.receipt_check(receipt=receipt)


def check_receipt_after_commit(receipt: Receipt) -> None:
    transaction.on_commit(lambda: _enqueue(receipt))


def _enqueue(receipt: Receipt) -> None:
    try:
        check_receipt.enqueue(user_id=receipt.owner_id, receipt_id=receipt.pk)
    except Exception:  # the mail is recorded all the same; the receipt stays unchecked (no thumbnail, no reading)
        logger.exception("receipt %s: its check could not be queued", receipt.pk)
