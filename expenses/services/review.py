"""Expenses to review after receipt reading: created from a receipt alone, filled from what a receipt's reading
found, and the user's Apply (take the reading's values) or Dismiss (keep the expense as it is).

The reading itself (OCR) lives in the `ocr` app, which records its results here; expenses never imports it.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xpenser_server.errors import InvalidInput
from xpenser_server.text import clean_line, clean_text

from ..events import expenses_changed_on_commit
from ..models import Expense, Receipt, ReceiptReading
from ..selectors.review import expense_reading
from .cleaning import clean_amount
from .expenses import resolve_report
from .locking import expense_locked
from .money import clean_currency, expense_money_in_base, expense_money_set

TO_REVIEW_TYPE = "Receipt"  # the type of an expense recorded from a receipt alone, until the user names it


@transaction.atomic
def expense_create_to_review(*, user, notes="", sourceid=None, date=None) -> Expense:
    """An expense recorded from a receipt alone (amount 0, marked "to review"): its receipts' readings fill in
    the amount, currency and date, and the user then applies or dismisses the suggestion.

    `date`: a datetime (default now); `sourceid`: the message id of a mail capture, say.
    """
    if date is not None and not isinstance(date, dt.datetime):
        raise InvalidInput(f"date: {date!r} is not a date and time")
    expense = Expense(owner=user, report=resolve_report(user=user, report=None), type=TO_REVIEW_TYPE,
                      notes=clean_text(notes).strip(), date=date or timezone.now(),
                      sourceid=clean_line(sourceid or "")[:100], category=None, review=Expense.TO_REVIEW)
    expense_money_in_base(expense, amount=Decimal("0.00"), base=user.base_currency)
    expense.rawamount = expense.amount
    expense.save()
    expense.tag_list = []
    expenses_changed_on_commit(user=user, expense_ids=[expense.pk], action="created")
    return expense


def receipt_reading_pending(*, receipt: Receipt) -> ReceiptReading:
    """Note that the receipt waits for its reading (the job is queued); a reading already there is kept."""
    reading, _ = ReceiptReading.objects.owned_by(receipt.owner).get_or_create(
        receipt=receipt, defaults={"owner_id": receipt.owner_id})
    return reading


@transaction.atomic
def receipt_reading_record(*, receipt: Receipt, total=None, currency="", date=None, merchant="", text="",
                           error="") -> ReceiptReading:
    """Store what reading the receipt found and act on the expense: an expense to review that still has no
    amount takes the reading's; one whose amount differs from the receipt's total is marked "mismatch".

    Without a total the reading is `unreadable` (with `error` saying why); the receipt stays as it was.
    """
    total = clean_amount(total, field="total") if total is not None else None
    currency = clean_currency(currency) if currency else ""
    values = {"status": ReceiptReading.READ if total is not None else ReceiptReading.UNREADABLE,
              "total": total, "currency": currency, "date": date, "merchant": clean_line(merchant)[:200],
              "text": clean_text(text), "owner_id": receipt.owner_id,
              "error": "" if total is not None else (clean_line(error) or "no total found on the receipt")[:500]}
    reading, _ = ReceiptReading.objects.owned_by(receipt.owner).update_or_create(receipt=receipt, defaults=values)
    if total is None:
        return reading
    expense = expense_locked(receipt.expense, None)
    if expense.deleted:
        return reading
    if expense.review == Expense.TO_REVIEW and expense.original_amount == 0:
        _take_reading(expense, reading)
        expense.save()
    elif expense.review == "" and _differs(expense, reading):
        expense.review = Expense.MISMATCH
        expense.save(update_fields=["review"])
    else:
        return reading
    expenses_changed_on_commit(user=expense.owner, expense_ids=[expense.pk], action="updated")
    return reading


def _differs(expense: Expense, reading: ReceiptReading) -> bool:
    if reading.currency and reading.currency != expense.original_currency:
        return True
    return reading.total != expense.original_amount


def _take_reading(expense: Expense, reading: ReceiptReading) -> None:
    """Set the expense's money (and date, and notes when it has none) from the reading, converted at the rate
    of the expense's (new) date; nothing saved."""
    user = expense.owner
    if reading.date is not None:
        local = timezone.localtime(expense.date, user.tzinfo)
        expense.date = dt.datetime.combine(reading.date, local.time(), tzinfo=user.tzinfo)
    currency = reading.currency or expense.original_currency
    if currency == user.base_currency:
        expense_money_in_base(expense, amount=reading.total, base=currency)
    else:
        expense_money_set(expense, amount=reading.total, currency=currency, target=user.base_currency,
                          tz=user.tzinfo)
    expense.rawamount = reading.total
    if not expense.notes and reading.merchant:
        expense.notes = reading.merchant


@transaction.atomic
def expense_review_apply(*, expense: Expense, expected=None) -> Expense:
    """Take the total, currency, date (and merchant, as notes when there are none) of the expense's receipt
    reading and clear its review state. InvalidInput when no receipt of it was read."""
    current = expense_locked(expense, expected)
    reading = expense_reading(current)
    if reading is None or reading.status != ReceiptReading.READ:
        raise InvalidInput(f"expense {current.pk} has no receipt reading to apply")
    _take_reading(current, reading)
    current.review = ""
    current.save()
    expenses_changed_on_commit(user=current.owner, expense_ids=[current.pk], action="updated")
    return current


@transaction.atomic
def expense_review_dismiss(*, expense: Expense, expected=None) -> Expense:
    """Keep the expense as it is and clear its review state (the reading stays on file)."""
    current = expense_locked(expense, expected)
    if current.review:
        current.review = ""
        current.save(update_fields=["review"])
        expenses_changed_on_commit(user=current.owner, expense_ids=[current.pk], action="updated")
    return current
