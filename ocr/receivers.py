"""A receipt was added (and committed): note its reading as pending and queue the job that reads it."""

import logging

from django.conf import settings
from django.dispatch import receiver

from expenses.events import receipt_added
from expenses.services import receipt_reading_pending

from .tasks import read_receipt

logger = logging.getLogger(__name__)


@receiver(receipt_added, dispatch_uid="ocr-read-added-receipt")
def receipt_added_read(sender, receipt, **kwargs):
    """Queue the reading of a new receipt. When the queue cannot take it, the reading stays pending (the
    request that stored the receipt is not failed) and `manage.py read_receipts` reads it later."""
    if not settings.XPENSER_OCR_ENABLED:
        return
    receipt_reading_pending(receipt=receipt)
    try:
        read_receipt.enqueue(user_id=receipt.owner_id, receipt_id=receipt.pk)
    except Exception:
        logger.exception("receipt %s: its reading could not be queued; it stays pending", receipt.pk)
