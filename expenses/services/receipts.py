"""Receipt files: what is accepted, storing and removing them.

An expense holds several receipts (Receipt rows, in `position` order); the first one is also
`Expense.receipt`, the one the legacy families show at its unguessable public URL. `/api/v2/` adds and
removes receipts (each judged by decoding it: receipt_content); the older families replace or remove the
first one, judged as they always were (by content signature, never by name).
"""

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from xpenser_server.errors import InvalidInput
from xpenser_server.text import clean_text

from ..events import expenses_changed_on_commit, receipt_added
from ..models import Expense, Receipt
from ..receipt_content import ReceiptContent, UnreadableReceipt, receipt_content
from .locking import expense_locked


class ReceiptTooLarge(InvalidInput):
    """A receipt over the size limit: answered 413."""

    status_code = 413
    code = "too_large"


# Leading bytes of the receipt formats the older families keep: the client's name and type are not trusted.
RECEIPT_SIGNATURES = (
    (b"%PDF-", "PDF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)
RECEIPT_KINDS = "an image (JPEG, PNG, GIF, WebP, HEIC) or a PDF"
RECEIPT_EXTENSIONS = {"PDF": "pdf", "JPEG": "jpg", "PNG": "png", "GIF": "gif", "WebP": "webp", "HEIC": "heic"}
RECEIPT_MEDIA_TYPES = {
    "PDF": "application/pdf", "JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
    "WebP": "image/webp", "HEIC": "image/heic",
}  # fmt: skip


def receipt_kind(head: bytes) -> str | None:
    """The receipt format named by a file's first bytes (a key of RECEIPT_MEDIA_TYPES), or None."""
    for signature, kind in RECEIPT_SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
        return "HEIC"
    return None


def receipt_max_bytes() -> int:
    return settings.XPENSER_RECEIPT_MAX_BYTES


def _size_text(size: int) -> str:
    return f"{size / 1048576:g} MB" if size % 1048576 == 0 else f"{size} bytes"


def _upload_kind(upload) -> str | None:
    upload.seek(0)
    kind = receipt_kind(upload.read(16))
    upload.seek(0)
    return kind


def _upload_name(upload) -> str:
    return clean_text(getattr(upload, "name", "") or "receipt")


def check_upload(upload, field="receipt") -> None:
    """A file upload, not empty, within XPENSER_RECEIPT_MAX_BYTES (ReceiptTooLarge names the limit)."""
    if not hasattr(upload, "read") or not hasattr(upload, "size"):
        raise InvalidInput(f"{field} must be a file upload (multipart/form-data)")
    limit = receipt_max_bytes()
    if upload.size > limit:
        raise ReceiptTooLarge(f"{field}: {_upload_name(upload)!r} is {_size_text(upload.size)}; "
                              f"the maximum is {_size_text(limit)}")
    if upload.size == 0:
        raise InvalidInput(f"{field}: {_upload_name(upload)!r} is empty")


def clean_receipt(upload):
    """An uploaded receipt for the older families: an image or a PDF (by its content signature) within
    XPENSER_RECEIPT_MAX_BYTES."""
    check_upload(upload)
    if _upload_kind(upload) is None:
        raise InvalidInput(f"receipt: {_upload_name(upload)!r} is not {RECEIPT_KINDS}")
    return upload


def clean_receipt_content(upload, field="file") -> ReceiptContent:
    """An uploaded receipt for /api/v2/: decoded whole (a truncated file or a decompression bomb is refused)."""
    return clean_receipt_with(receipt_content, upload, field)


def clean_receipt_with(read, upload, field: str) -> ReceiptContent:
    """`read(data)` of an upload within the limits; what it finds unreadable is an InvalidInput naming it."""
    check_upload(upload, field)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        return read(data)
    except UnreadableReceipt as problem:
        raise InvalidInput(f"{field}: {_upload_name(upload)!r} is not a receipt we can keep: {problem}") from None


def _stored_name(upload, kind: str) -> str:
    # The stored name ends in the extension of the format found: receipts are also served without credentials
    # (the legacy URL) and must never come back as HTML or script whatever the upload was called.
    stem = Path(clean_text(getattr(upload, "name", "") or "")).stem
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem).strip("._")[:60] or "receipt"
    return f"{stem}.{RECEIPT_EXTENSIONS[kind]}"


def _store(expense: Expense, upload, content: ReceiptContent, position: int, announce: bool = True) -> Receipt:
    """Write the file and its thumbnail to storage and INSERT the row (receipt_added is sent once it commits,
    unless not `announce`); on failure nothing stays stored."""
    receipt = Receipt(owner_id=expense.owner_id, expense=expense, kind=content.kind, size=upload.size,
                      width=content.width, height=content.height, pages=content.pages, position=position,
                      name=_upload_name(upload)[:200])
    receipt.file.save(_stored_name(upload, content.kind), upload, save=False)
    try:
        if content.thumbnail:
            folder = receipt.file.name.rsplit("/", 1)[0]
            receipt.thumbnail.save(f"{folder}/thumbnail.jpg", ContentFile(content.thumbnail), save=False)
        receipt.save(force_insert=True)
    except BaseException:
        _delete_files(receipt)
        raise
    if announce:
        transaction.on_commit(lambda: receipt_added.send(sender=Receipt, receipt=receipt))
    return receipt


def _delete_files(receipt: Receipt) -> None:
    for field in (receipt.file, receipt.thumbnail):
        if field.name:
            field.storage.delete(field.name)


def receipt_files_delete(receipt: Receipt) -> None:
    """Remove a receipt's file and thumbnail from storage (a receipt whose row was rolled back)."""
    _delete_files(receipt)


def _delete_files_after_commit(receipt: Receipt) -> None:
    transaction.on_commit(lambda: _delete_files(receipt))


def _receipts(expense: Expense):
    return Receipt.objects.owned_by(expense.owner).filter(expense=expense)


def _show_first(expense: Expense) -> None:
    """`Expense.receipt` names the first receipt (or none); the save gives the expense a new `modified`."""
    first = _receipts(expense).order_by("position", "id").values_list("file", flat=True).first()
    expense.receipt = first or ""
    expense.save(update_fields=["receipt"])


@transaction.atomic
def receipt_add(*, expense: Expense, upload, expected=None) -> Receipt:
    """Add a receipt after the expense's others; refused (nothing stored) unless it decodes as a whole image
    or PDF within the limits. `expected`: the expense's `modified` stamps an `If-Match` allows."""
    return receipt_append(expense=expense, upload=upload, content=clean_receipt_content(upload), expected=expected)


def receipt_append(*, expense: Expense, upload, content: ReceiptContent, expected=None, announce=True) -> Receipt:
    """Store the upload, found to be `content`, after the expense's other receipts (in the caller's
    transaction); `announce`: send receipt_added once it commits."""
    expense = expense_locked(expense, expected)
    existing = _receipts(expense)
    limit = settings.XPENSER_RECEIPTS_PER_EXPENSE
    if existing.count() >= limit:
        raise InvalidInput(f"file: expense {expense.pk} already has {limit} receipts, the most it can hold")
    position = (existing.aggregate(last=Max("position"))["last"] or 0) + 1
    receipt = _store(expense, upload, content, position, announce)
    _show_first(expense)
    expenses_changed_on_commit(user=expense.owner, expense_ids=[expense.pk], action="updated")
    return receipt


@transaction.atomic
def receipt_delete(*, receipt: Receipt, expected=None) -> Expense:
    """Remove the receipt and its files (after the commit); the next one becomes the first."""
    expense = expense_locked(receipt.expense, expected)
    receipt.delete()
    _delete_files_after_commit(receipt)
    _show_first(expense)
    expenses_changed_on_commit(user=expense.owner, expense_ids=[expense.pk], action="updated")
    return expense


def _legacy_content(upload, kind: str) -> ReceiptContent:
    """The older families keep what passes their signature check; decoding only adds a size and thumbnail."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        found = receipt_content(data)
    except UnreadableReceipt:
        return ReceiptContent(kind, None, None, None, None)
    return found if found.kind == kind else ReceiptContent(kind, None, None, None, None)


@transaction.atomic
def expense_receipt_attach(*, expense: Expense, upload, announce=True) -> Expense:
    """Replace the expense's first receipt (or add one) with the upload, and bump `modified` (`announce`:
    send expense_changed; the writes that call it send their own)."""
    kind = _upload_kind(clean_receipt(upload))
    content = _legacy_content(upload, kind)
    first = _receipts(expense).order_by("position", "id").first()
    _store(expense, upload, content, first.position if first else 0)
    if first is not None:
        first.delete()
        _delete_files_after_commit(first)
    _show_first(expense)
    if announce:
        expenses_changed_on_commit(user=expense.owner, expense_ids=[expense.pk], action="updated")
    return expense


@transaction.atomic
def expense_receipt_remove(*, expense: Expense, announce=True) -> Expense:
    """Remove the expense's first receipt (the one the older families show); the next one takes its place."""
    first = _receipts(expense).order_by("position", "id").first()
    if first is not None:
        first.delete()
        _delete_files_after_commit(first)
        _show_first(expense)
        if announce:
            expenses_changed_on_commit(user=expense.owner, expense_ids=[expense.pk], action="updated")
    return expense
