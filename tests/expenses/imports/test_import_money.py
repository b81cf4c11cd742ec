"""Currencies in import files: a `currency` column converts at the rate of each date, the money of this server's
v2 exports is kept as it was, an unknown code is an error on its row, a missing rate is saved waiting."""

import datetime as dt
from decimal import Decimal

import pytest

from expenses import services
from expenses.models import Expense

pytestmark = pytest.mark.django_db
D = Decimal


def money(user) -> list:
    return sorted(Expense.objects.owned_by(user).values_list("type", "amount", "rawamount", "original_amount",
                                                             "original_currency", "amount_currency", "rate",
                                                             "rate_date"))


def test_a_currency_column_is_the_money_of_each_row_converted_at_its_days_rate(user, ecb_rates):
    data = b"date,type,amount,currency\n2026-11-03,lunch,45,EUR\n2026-11-03,taxi,10,usd\n"
    result = services.expense_import(user=user, upload=data, fields={})
    assert result.stored and result.rows[0].values["original_currency"] == "EUR"
    (lunch, taxi) = sorted(money(user))
    assert lunch[0] == "lunch" and lunch[3:6] == (D("45.00"), "EUR", "USD") and lunch[7] == dt.date(2026, 11, 3)
    assert lunch[1] == (D(45) * lunch[6]).quantize(D("0.01")) and lunch[2] == D("45.00")
    assert taxi[1:] == (D("10.00"), D("10.00"), D("10.00"), "USD", "USD", D(1), None)


def test_the_money_of_a_v2_export_is_kept_with_its_rate(user):
    data = (b"date,type,amount,original_amount,original_currency,amount_currency,rate,rate_date\n"
            b"2026-11-03,lunch,49.50,45.00,EUR,USD,1.1,2026-11-02\n")
    services.expense_import(user=user, upload=data, fields={})
    assert money(user) == [("lunch", D("49.50"), D("45.00"), D("45.00"), "EUR", "USD", D("1.1"), dt.date(2026, 11, 2))]


def test_another_base_currency_converts_the_original_money_again(user, ecb_rates):
    user.base_currency = "GBP"
    user.save()
    data = (b"date,type,amount,original_amount,original_currency,amount_currency,rate,rate_date\n"
            b"2026-11-03,lunch,49.50,45.00,EUR,USD,1.1,2026-11-02\n")
    services.expense_import(user=user, upload=data, fields={})
    ((_, amount, _, original, code, target, rate, day),) = money(user)
    assert (original, code, target, day) == (D("45.00"), "EUR", "GBP", dt.date(2026, 11, 3))
    assert amount == (D(45) * rate).quantize(D("0.01")) and rate != D("1.1")


def test_an_unknown_currency_is_an_error_on_its_row_and_nothing_is_stored(user):
    data = b"date,type,amount,currency\n2026-11-03,lunch,45,EUR\n2026-11-03,charger,5,USB\n"
    with pytest.raises(services.ImportFailed) as failed:
        services.expense_import(user=user, upload=data, fields={})
    row = failed.value.result.rows[1]
    assert row.status == "error" and row.errors[0].startswith("original_currency: 'USB' is not a currency code")
    assert not Expense.objects.owned_by(user).exists()


def test_a_row_whose_rate_is_missing_is_saved_waiting_for_it(user):
    data = b"date,type,amount,currency\n2026-11-03,sushi,4500,JPY\n"
    result = services.expense_import(user=user, upload=data, fields={})
    assert result.rows[0].values["rate"] is None and result.rows[0].values["amount"] == "0.00"
    assert money(user) == [("sushi", D("0.00"), D("4500.00"), D("4500.00"), "JPY", "USD", None, None)]
