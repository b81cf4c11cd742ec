"""Receipt files: what is accepted (judged by content, never by name), storing and removing them."""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from xpenser_server.errors import InvalidInput
from xpenser_server.text import clean_text

from ..models import Expense


class ReceiptTooLarge(InvalidInput):
    """A receipt over the size limit: answered 413."""

    status_code = 413


# Leading bytes of the receipt formats we keep: the client's name and content type are not trusted.
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


def clean_receipt(upload):
    """An uploaded receipt: an image or a PDF (judged by its content) within XPENSER_RECEIPT_MAX_BYTES."""
    if not hasattr(upload, "read") or not hasattr(upload, "size"):
        raise InvalidInput("receipt must be a file upload (multipart/form-data)")
    name = clean_text(getattr(upload, "name", "") or "receipt")
    limit = receipt_max_bytes()
    if upload.size > limit:
        raise ReceiptTooLarge(f"receipt: {name!r} is {_size_text(upload.size)}; the maximum is {_size_text(limit)}")
    if upload.size == 0:
        raise InvalidInput(f"receipt: {name!r} is empty")
    if _upload_kind(upload) is None:
        raise InvalidInput(f"receipt: {name!r} is not {RECEIPT_KINDS}")
    return upload


@transaction.atomic
def expense_receipt_attach(*, expense: Expense, upload) -> Expense:
    """Store the receipt file (replacing and removing any previous one) and bump `modified`.

    The stored name always ends in the extension of the detected format: receipts are also served
    without credentials (the legacy receipt URL), and must never come back as HTML or script whatever
    the uploaded file was called.
    """
    kind = _upload_kind(clean_receipt(upload))
    stem = Path(clean_text(getattr(upload, "name", "") or "")).stem
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem).strip("._")[:60] or "receipt"
    previous = expense.receipt.name if expense.receipt else ""
    expense.receipt.save(f"{stem}.{RECEIPT_EXTENSIONS[kind]}", upload, save=False)
    expense.save(update_fields=["receipt"])
    if previous and previous != expense.receipt.name:
        _delete_file_after_commit(expense.receipt.storage, previous)
    return expense


@transaction.atomic
def expense_receipt_remove(*, expense: Expense) -> Expense:
    previous = expense.receipt.name
    if previous:
        expense.receipt = ""
        expense.save(update_fields=["receipt"])
        _delete_file_after_commit(expense.receipt.storage, previous)
    return expense


def _delete_file_after_commit(storage, name):
    transaction.on_commit(lambda: storage.delete(name))
