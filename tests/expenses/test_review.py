"""Expenses to review after receipt reading: created from a receipt alone, filled from a reading, a mismatch
recorded, Apply and Dismiss."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from expenses import selectors, services
from expenses.events import receipt_added
from expenses.models import Expense, ReceiptReading
from tests.expenses.v2.receipt_files import image
from tests.factories import ExpenseFactory
from xpenser_server.errors import InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def add_receipt(expense):
    upload = SimpleUploadedFile("photo.png", image("PNG"), content_type="image/png")
    return services.receipt_add(expense=expense, upload=upload)


def test_an_expense_to_review_has_no_amount_yet(user):
    when = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
    expense = services.expense_create_to_review(user=user, notes="from mail", sourceid="<m1@x>", date=when)
    stored = Expense.objects.owned_by(user).get(pk=expense.pk)
    assert (stored.review, stored.amount, stored.original_amount, stored.rawamount, stored.amount_currency) == \
        ("to_review", D("0.00"), D("0.00"), D("0.00"), user.base_currency)
    assert (stored.type, stored.notes, stored.sourceid, stored.date) == ("Receipt", "from mail", "<m1@x>", when)


def test_a_receipt_added_is_announced_once_it_commits(user, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, receipt, **kwargs):
        seen.append(receipt.pk)

    receipt_added.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            receipt = add_receipt(ExpenseFactory(owner=user))
            assert seen == []
        assert seen == [receipt.pk]
    finally:
        receipt_added.disconnect(receiver)


def test_a_reading_fills_an_expense_to_review_in_its_currency(ecb_rates, user):
    expense = services.expense_create_to_review(user=user, date=dt.datetime(2026, 11, 5, 12, tzinfo=dt.UTC))
    receipt = add_receipt(expense)
    reading = services.receipt_reading_record(receipt=receipt, total=D("12.50"), currency="EUR",
                                              date=dt.date(2026, 11, 2), merchant="Café Nord", text="TOTAL 12,50")
    assert (reading.status, reading.total, reading.currency, reading.merchant) == ("read", D("12.50"), "EUR",
                                                                                   "Café Nord")
    stored = Expense.objects.owned_by(user).get(pk=expense.pk)
    # 2 Nov 2026: 1 EUR = 1.1 USD in the sample feed (EUR base rates); the user's base is USD.
    assert (stored.original_amount, stored.original_currency, stored.amount_currency) == (D("12.50"), "EUR", "USD")
    assert stored.rate is not None and stored.amount == (D("12.50") * stored.rate).quantize(D("0.01"))
    assert stored.date.date() == dt.date(2026, 11, 2) and stored.notes == "Café Nord"
    assert stored.review == "to_review"  # still for the user to confirm
    review = selectors.expense_review(stored)
    assert (review.state, review.reading, review.total, review.mismatch) == ("to_review", "read", D("12.50"), False)


def test_a_total_that_differs_from_the_amount_entered_is_a_mismatch(user):
    expense = ExpenseFactory(owner=user, amount=D("45.00"))
    services.receipt_reading_record(receipt=add_receipt(expense), total=D("54.00"))
    stored = Expense.objects.owned_by(user).get(pk=expense.pk)
    assert (stored.review, stored.amount) == ("mismatch", D("45.00"))
    assert selectors.expense_review(stored).mismatch is True


def test_the_same_total_is_no_mismatch(user):
    expense = ExpenseFactory(owner=user, amount=D("45.00"))
    services.receipt_reading_record(receipt=add_receipt(expense), total=D("45.00"))
    stored = Expense.objects.owned_by(user).get(pk=expense.pk)
    assert stored.review == "" and selectors.expense_review(stored).mismatch is False


def test_an_unreadable_receipt_is_kept_and_flagged(user):
    expense = services.expense_create_to_review(user=user)
    receipt = add_receipt(expense)
    reading = services.receipt_reading_record(receipt=receipt, text="", error="no text found")
    assert (reading.status, reading.error, reading.total) == ("unreadable", "no text found", None)
    stored = Expense.objects.owned_by(user).get(pk=expense.pk)
    assert (stored.review, stored.amount, stored.receipts.count()) == ("to_review", D("0.00"), 1)
    with pytest.raises(InvalidInput, match="no receipt reading to apply"):
        services.expense_review_apply(expense=stored)


def test_apply_takes_the_reading_and_dismiss_keeps_the_amount(user):
    first = ExpenseFactory(owner=user, amount=D("45.00"))
    services.receipt_reading_record(receipt=add_receipt(first), total=D("54.00"), date=dt.date(2026, 10, 30))
    applied = services.expense_review_apply(expense=first)
    assert (applied.review, applied.amount, applied.rawamount, applied.date.date()) == \
        ("", D("54.00"), D("54.00"), dt.date(2026, 10, 30))
    second = ExpenseFactory(owner=user, amount=D("45.00"))
    services.receipt_reading_record(receipt=add_receipt(second), total=D("54.00"))
    dismissed = services.expense_review_dismiss(expense=second)
    stored = Expense.objects.owned_by(user).get(pk=second.pk)
    assert (dismissed.review, stored.review, stored.amount) == ("", "", D("45.00"))
    assert ReceiptReading.objects.owned_by(user).count() == 2


def test_a_pending_reading_is_noted_and_replaced_by_the_result(user):
    receipt = add_receipt(ExpenseFactory(owner=user))
    assert services.receipt_reading_pending(receipt=receipt).status == "pending"
    services.receipt_reading_record(receipt=receipt, total="9.99")
    assert ReceiptReading.objects.owned_by(user).get().status == "read"


def test_an_amount_the_user_gives_settles_the_review(user):
    expense = ExpenseFactory(owner=user, amount=D("45.00"))
    services.receipt_reading_record(receipt=add_receipt(expense), total=D("54.00"))
    stored = Expense.objects.owned_by(user).get(pk=expense.pk)
    assert services.expense_update(expense=stored, data={"notes": "x"}).review == "mismatch"
    assert services.expense_update(expense=stored, data={"amount": "45.00"}).review == "mismatch"  # the same
    assert services.expense_update(expense=stored, data={"amount": "50"}).review == ""
    to_review = services.expense_create_to_review(user=user)
    changed = services.expense_change(expense=to_review, fields={"amount": D("7.00")})
    assert Expense.objects.owned_by(user).get(pk=changed.pk).review == ""
