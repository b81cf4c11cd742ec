"""Several receipts at once, for the web app: attached to an expense, or to the one an entry text records.
Every file is checked before anything is written, so one bad file leaves nothing stored."""

from django.conf import settings
from django.db import transaction

from xpenser_server.errors import InvalidInput

from ..models import Expense, Receipt
from .entries import expense_create_from_text
from .receipts import clean_receipt_content, receipt_add, receipt_files_delete

NO_FILE = "receipt: choose a file first (a photo or a PDF of the receipt)"


def receipts_per_expense() -> int:
    return settings.XPENSER_RECEIPTS_PER_EXPENSE


def _check_all(uploads, room: int) -> None:
    if len(uploads) > room:
        limit = settings.XPENSER_RECEIPTS_PER_EXPENSE
        raise InvalidInput(f"receipt: an expense holds at most {limit} receipts; "
                           f"{len(uploads)} chosen, room for {room}")
    for upload in uploads:
        clean_receipt_content(upload, field="receipt")


def _add_all(expense: Expense, uploads) -> list[Receipt]:
    added = []
    try:
        for upload in uploads:
            added.append(receipt_add(expense=expense, upload=upload))
    except BaseException:
        for receipt in added:  # their rows go with the caller's transaction; their files go now
            receipt_files_delete(receipt)
        raise
    return added


@transaction.atomic
def receipts_add(*, expense: Expense, uploads) -> list[Receipt]:
    """Add every upload to the expense, in order, or none (InvalidInput / ReceiptTooLarge names the file)."""
    uploads = list(uploads)
    if not uploads:
        raise InvalidInput(NO_FILE)
    held = Receipt.objects.owned_by(expense.owner).filter(expense=expense).count()
    _check_all(uploads, settings.XPENSER_RECEIPTS_PER_EXPENSE - held)
    return _add_all(expense, uploads)


@transaction.atomic
def expense_create_from_text_with_receipts(*, user, text: str, report=None, uploads=()):
    """expense_create_from_text, with the uploads attached to the expense it records; nothing is recorded
    when a file is refused. A `Time start` takes no receipt (there is no expense yet)."""
    uploads = list(uploads)
    _check_all(uploads, settings.XPENSER_RECEIPTS_PER_EXPENSE)
    result = expense_create_from_text(user=user, text=text, report=report)
    expense = result if isinstance(result, Expense) else result.expense
    if uploads and expense is None:
        raise InvalidInput("receipt: “Time start” starts a timer and records no expense yet; attach the "
                           "receipt when you stop it, or on the expense afterwards")
    if uploads:
        _add_all(expense, uploads)
    return result
