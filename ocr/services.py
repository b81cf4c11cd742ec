"""Reading a stored receipt: its file's text (engine), the facts in it (parsing), recorded on the expense."""

import logging

from django.conf import settings

from expenses import parser
from expenses.models import Receipt, ReceiptReading
from expenses.services import receipt_check, receipt_is_checked, receipt_is_refused, receipt_reading_record

from .engine import ReceiptUnreadable, receipt_text
from .parsing import receipt_facts

logger = logging.getLogger(__name__)


def _receipt_bytes(receipt: Receipt) -> bytes:
    try:
        with receipt.file.open("rb") as stored:
            return stored.read()
    except OSError as problem:
        raise ReceiptUnreadable(f"the receipt's file cannot be opened: {problem}") from None


def receipt_read(*, receipt: Receipt) -> ReceiptReading:
    """Run Tesseract on the receipt and record what it says; a receipt that cannot be read is recorded as
    unreadable with the reason (the receipt itself stays). Tesseract missing or a language not installed
    raise (a setup problem: the job fails and can run again)."""
    try:
        text = receipt_text(_receipt_bytes(receipt), languages=settings.XPENSER_OCR_LANGUAGES)
    except ReceiptUnreadable as problem:
        return receipt_reading_record(receipt=receipt, error=str(problem))
    except RuntimeError as problem:  # pytesseract's timeout
        logger.warning("receipt %s: %s", receipt.pk, problem)
        return receipt_reading_record(receipt=receipt, error="reading the receipt took too long")
    facts = receipt_facts(text, base_currency=receipt.owner.base_currency)
    total = facts.total if facts.total is not None and abs(facts.total) <= parser.MAX_AMOUNT else None
    return receipt_reading_record(receipt=receipt, total=total, currency=facts.currency, date=facts.date,
                                  merchant=facts.merchant, text=text, error="no total found in the text")


def receipt_read_checked(*, receipt: Receipt) -> str:
    """Read the receipt once its check has passed, and return the reading's status. A receipt never checked (a
    mailed one whose check_receipt job has not run yet, failed or could not be queued) is checked first, here:
    OCR never opens a file that was not decoded within the limits. "refused" for a receipt its check refused
    (never read), "gone" when it was removed meanwhile."""
    reading = ReceiptReading.objects.owned_by(receipt.owner).filter(receipt=receipt).first()
    if receipt_is_refused(reading):
        return "refused"
    if reading is None and not receipt_is_checked(receipt):  # a reading means it was checked (or read) before
        checked = receipt_check(receipt=receipt, announce=False)  # announced, it would queue a second reading
        if checked != "checked":
            return checked
    return receipt_read(receipt=receipt).status
