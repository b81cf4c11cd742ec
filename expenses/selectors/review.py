"""Reads of receipt readings: the one an expense's review suggestion comes from, and that suggestion."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..models import Expense, ReceiptReading

STATUS_ORDER = {ReceiptReading.READ: 0, ReceiptReading.PENDING: 1, ReceiptReading.UNREADABLE: 2}


def expense_readings(expense: Expense) -> list[ReceiptReading]:
    """The readings of the expense's receipts, in the receipts' order (no query when the expense comes with
    its `receipt_list`, as /api/v2/ reads it)."""
    receipts = getattr(expense, "receipt_list", None)
    if receipts is not None:
        return [receipt.reading for receipt in receipts if _reading_of(receipt) is not None]
    return list(ReceiptReading.objects.owned_by(expense.owner).filter(receipt__expense=expense)
                .order_by("receipt__position", "receipt_id"))


def _reading_of(receipt) -> ReceiptReading | None:
    try:
        return receipt.reading
    except ReceiptReading.DoesNotExist:
        return None


def expense_reading(expense: Expense) -> ReceiptReading | None:
    """The reading a suggestion comes from: the first receipt read, else one waiting, else one unreadable."""
    readings = expense_readings(expense)
    return min(readings, key=lambda r: STATUS_ORDER[r.status]) if readings else None


@dataclass(frozen=True)
class ReviewSuggestion:
    """An expense's review state and what its receipt reading suggests (`reading`: pending | read | unreadable,
    or '' without any receipt read). `mismatch`: the receipt's total differs from the expense's amount."""

    state: str
    reading: str
    total: Decimal | None
    currency: str
    date: dt.date | None
    merchant: str
    mismatch: bool
    error: str


def expense_review(expense: Expense) -> ReviewSuggestion:
    """The expense's review state with the suggestion of its receipt reading (one query)."""
    reading = expense_reading(expense)
    if reading is None:
        return ReviewSuggestion(expense.review, "", None, "", None, "", False, "")
    read = reading.status == ReceiptReading.READ
    mismatch = read and expense.original_amount != 0 and (
        reading.total != expense.original_amount
        or bool(reading.currency and reading.currency != expense.original_currency))
    return ReviewSuggestion(expense.review, reading.status, reading.total, reading.currency, reading.date,
                            reading.merchant, mismatch, reading.error)
