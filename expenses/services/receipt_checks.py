"""Receipts stored first and checked afterwards, for mail that must be answered at once.

`receipt_add_unchecked` keeps what can be judged cheaply before the answer (the size, the format and an
image's declared pixels, so a decompression bomb announced by its header is refused at once) and stores the
file in the caller's transaction; once that commits, a job (capture's `check_receipt`) runs receipt_check, which
decodes the file whole, as an
upload is checked, and makes its thumbnail. A file that fails there (truncated, undecodable, a PDF that unpacks
to too much) is kept but refused: its reading says `unreadable` with "refused: <why>", shown on the expense, and
it is never read by OCR. A receipt that passes sends receipt_added, which queues its reading.

Either outcome changes what v2 shows of the expense (the receipt's thumbnail and size, or its review's reading):
the check gives the expense a new `modified` (its ETag, delta sync) and sends expense_changed ("updated", the
webhooks' `expense.updated`). A deleted expense gets the new `modified` only (v2 still serves it, and its
ETag must change with what it shows); no event says a deleted expense was updated.
"""

from django.core.files.base import ContentFile
from django.db import transaction

from xpenser_server.errors import NotFound

from ..events import expenses_changed_on_commit, receipt_added
from ..models import Expense, Receipt, ReceiptReading
from ..receipt_content import ReceiptContent, UnreadableReceipt, receipt_content, receipt_header
from .locking import expense_locked
from .receipts import clean_receipt_with, receipt_append
from .review import receipt_reading_record

REFUSED = "refused: "  # how the reading of a receipt refused by its check begins


def clean_receipt_header(upload, field="file") -> ReceiptContent:
    """The checks made before a mail is answered: a non-empty file within the size limit, of a format we keep,
    an image not declaring more than XPENSER_RECEIPT_MAX_PIXELS (nothing is decoded)."""
    return clean_receipt_with(receipt_header, upload, field)


@transaction.atomic
def receipt_add_unchecked(*, expense: Expense, upload) -> Receipt:
    """Add a receipt after the expense's others, judged by its header only; the caller queues receipt_check
    (capture's `check_receipt` job) for once its transaction commits."""
    return receipt_append(expense=expense, upload=upload, content=clean_receipt_header(upload), announce=False)


def receipt_is_checked(receipt: Receipt) -> bool:
    """Checked before (its thumbnail made, or refused, or read): a job run again leaves it as it is."""
    return bool(receipt.thumbnail) or ReceiptReading.objects.owned_by(receipt.owner).filter(receipt=receipt).exists()


def receipt_is_refused(reading: ReceiptReading | None) -> bool:
    return reading is not None and reading.status == ReceiptReading.UNREADABLE and reading.error.startswith(REFUSED)


def receipt_check(*, receipt: Receipt, announce: bool = True) -> str:
    """Decode the stored receipt whole: "checked" (its size and thumbnail recorded, receipt_added sent unless
    `announce` is False: the caller reads it itself), "refused" (kept, its reading says why) or "gone" (removed
    meanwhile). Storage errors raise (try again)."""
    try:
        with receipt.file.open("rb") as stored:
            data = stored.read()
    except FileNotFoundError:
        if not Receipt.objects.owned_by(receipt.owner).filter(pk=receipt.pk).exists():
            return "gone"
        raise
    try:
        content = receipt_content(data)
    except UnreadableReceipt as problem:
        with transaction.atomic():
            if not _expense_changed(receipt):
                return "gone"
            receipt_reading_record(receipt=receipt, error=f"{REFUSED}{problem}")
        return "refused"
    return _record_content(receipt, content, announce)


def _expense_changed(receipt: Receipt) -> bool:
    """In the caller's transaction: give the receipt's expense a new `modified` and, unless the expense is
    deleted, send expense_changed once it commits; False (nothing done) when the receipt is gone."""
    try:
        expense = expense_locked(receipt.expense)
    except NotFound:
        return False
    if not Receipt.objects.owned_by(receipt.owner).select_for_update().filter(pk=receipt.pk).exists():
        return False
    expense.save(update_fields=["modified"])
    if not expense.deleted:
        expenses_changed_on_commit(user=expense.owner, expense_ids=[expense.pk], action="updated")
    return True


def _record_content(receipt: Receipt, content: ReceiptContent, announce: bool) -> str:
    thumbnail = ""
    if content.thumbnail:
        folder = receipt.file.name.rsplit("/", 1)[0]
        thumbnail = receipt.thumbnail.storage.save(f"{folder}/thumbnail.jpg", ContentFile(content.thumbnail))
    shown = (bool(thumbnail), content.width, content.height, content.pages)
    with transaction.atomic():
        updated = _expense_changed(receipt) if shown != (bool(receipt.thumbnail), receipt.width, receipt.height,
                                                         receipt.pages) else True
        updated = updated and Receipt.objects.owned_by(receipt.owner).filter(pk=receipt.pk).update(
            thumbnail=thumbnail, width=content.width, height=content.height, pages=content.pages)
        if updated:
            receipt.thumbnail.name, receipt.width, receipt.height = thumbnail, content.width, content.height
            receipt.pages = content.pages
            if announce:
                transaction.on_commit(lambda: receipt_added.send(sender=Receipt, receipt=receipt))
    if not updated and thumbnail:
        receipt.thumbnail.storage.delete(thumbnail)
    return "checked" if updated else "gone"
