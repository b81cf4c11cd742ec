"""expenses.0005: the expenses already stored were entered in their owner's base currency (rate 1)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps

from tests.expenses.migration_helpers import migrated_back_to

BEFORE = [("expenses", "0004_timers_from_users"), ("accounts", "0002_user_timer_moved_to_expenses")]


@pytest.mark.django_db(transaction=True)
def test_stored_expenses_get_their_owners_currency_and_rate_1():
    with migrated_back_to(BEFORE) as old:
        User, Report, Expense = (old.get_model(*name) for name in
                                 (("accounts", "User"), ("reports", "Report"), ("expenses", "Expense")))
        for email, currency in (("usd@test.com", "USD"), ("chf@test.com", "CHF")):
            user = User.objects.create(email=email, base_currency=currency)
            report = Report.objects.create(owner=user, name="My Expenses", is_default=True)
            Expense.objects.create(owner=user, report=report, type="mileage", amount=Decimal("55.00"),
                                   rawamount=Decimal("100.00"), date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    new = apps.get_model("expenses", "Expense")
    rows = new.objects.order_by("id").values_list("amount", "rawamount", "original_amount", "original_currency",
                                                  "amount_currency", "rate", "rate_date")
    assert list(rows) == [
        (Decimal("55.00"), Decimal("100.00"), Decimal("55.00"), "USD", "USD", Decimal(1), None),
        (Decimal("55.00"), Decimal("100.00"), Decimal("55.00"), "CHF", "CHF", Decimal(1), None),
    ]
