"""Money in /api/v2/: an expense's original amount and currency, the rate that converted it, a warning while
no rate is on file; an explicit `currency` on create, PATCH, PUT and bulk, through the money services."""

import datetime as dt
from decimal import Decimal

import pytest

from expenses.models import Expense
from tests.expenses.v2.conftest import error
from tests.factories import ExpenseFactory

pytestmark = pytest.mark.django_db
D = Decimal
MONEY_KEYS = {"original_amount", "original_currency", "amount_currency", "rate", "rate_date", "warnings"}


def money(body: dict) -> tuple:
    return tuple(body[name] for name in ("amount", "rawamount", "original_amount", "original_currency",
                                         "amount_currency", "rate", "rate_date", "warnings"))


def stored(pk) -> tuple:
    expense = Expense.objects.get(pk=pk)
    return (expense.amount, expense.rawamount, expense.original_amount, expense.original_currency,
            expense.amount_currency, expense.rate, expense.rate_date)


def test_lunch_45_eur_as_an_entry_shows_the_original_money_and_the_converted_amount(api, rates_today):
    response = api.post("entries/", {"text": "lunch 45 EUR"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reading"]["currency"] == "EUR" and body["reading"]["amount"] == "45.00"
    assert money(body["expense"]) == ("49.50", "45.00", "45.00", "EUR", "USD", "1.1", rates_today.isoformat(), [])
    assert stored(body["expense"]["id"]) == (D("49.50"), D("45.00"), D("45.00"), "EUR", "USD", D("1.1"), rates_today)
    again = api.get(f"expenses/{body['expense']['id']}").json()
    assert money(again) == money(body["expense"])


def test_an_entry_in_the_base_currency_has_rate_1_and_no_rate_date(api):
    body = api.post("entries/", {"text": "lunch 45"}).json()
    assert body["reading"]["currency"] is None
    assert money(body["expense"]) == ("45.00", "45.00", "45.00", "USD", "USD", "1", None, [])


def test_create_with_a_currency_converts_at_the_rate_of_the_expense_date(api, ecb_rates):
    # ECB sample: 3 Nov 2026 1 EUR = 1.1498 USD, 0.87513 GBP (rates of the nearest earlier published day).
    response = api.post("expenses/", {"type": "taxi", "amount": "12.50", "currency": "gbp",
                                      "date": "2026-11-03T12:00:00Z"})
    assert response.status_code == 201, response.content
    body = response.json()
    expense = Expense.objects.get(pk=body["id"])
    assert (body["original_amount"], body["original_currency"], body["amount_currency"]) == ("12.50", "GBP", "USD")
    assert body["rate"] == expense.rate_text and D(body["rate"]) == expense.rate
    assert body["amount"] == f"{(D('12.50') * expense.rate).quantize(D('0.01'))}"
    assert body["rate_date"] == "2026-11-03" and body["warnings"] == []


def test_a_missing_rate_saves_the_expense_with_a_warning_never_a_500(api):
    response = api.post("expenses/", {"type": "sushi", "amount": "4500", "currency": "JPY"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert money(body)[:7] == ("0.00", "4500.00", "4500.00", "JPY", "USD", None, None)
    assert len(body["warnings"]) == 1 and "no exchange rates are on file yet" in body["warnings"][0]
    assert "4500.00 JPY" in body["warnings"][0]
    assert Expense.objects.get(pk=body["id"]).rate is None


def test_an_unknown_currency_is_a_400_naming_the_field_and_stores_nothing(api):
    problem = error(api.post("expenses/", {"type": "lunch", "amount": "4", "currency": "USB"}), 400, "invalid")
    assert list(problem["fields"]) == ["currency"] and "USB" in problem["fields"]["currency"][0]
    assert not Expense.objects.exists()


def test_patch_with_a_currency_converts_and_keeps_everything_consistent(api, user, rates_today):
    expense = ExpenseFactory(owner=user, amount=D("20.00"), date=dt.datetime.now(dt.UTC))
    response = api.patch(f"expenses/{expense.pk}", {"amount": "10", "currency": "EUR"})
    assert response.status_code == 200, response.content
    assert money(response.json()) == ("11.00", "10.00", "10.00", "EUR", "USD", "1.1", rates_today.isoformat(), [])
    # The currency alone: the amount entered is taken as in that currency.
    body = api.patch(f"expenses/{expense.pk}", {"currency": "GBP"}).json()
    assert (body["original_amount"], body["original_currency"]) == ("10.00", "GBP")
    assert abs(D(body["rate"]) - D("1.1") / D("0.85")) < D("1e-9")
    assert body["amount"] == f"{(D(10) * D(body['rate'])).quantize(D('0.01'))}" == "12.94"
    # An amount alone is in the base currency again, at rate 1.
    body = api.patch(f"expenses/{expense.pk}", {"amount": "7"}).json()
    assert money(body) == ("7.00", "7.00", "7.00", "USD", "USD", "1", None, [])
    assert stored(expense.pk) == (D("7.00"), D("7.00"), D("7.00"), "USD", "USD", D(1), None)


def test_put_back_what_was_read_keeps_the_original_money(api, rates_today):
    made = api.post("expenses/", {"type": "lunch", "amount": "45", "currency": "EUR"}).json()
    read = api.get(f"expenses/{made['id']}")
    body = {**read.json(), "notes": "with jack"}
    response = api.put(f"expenses/{made['id']}", body, headers={"If-Match": read["ETag"]})
    assert response.status_code == 200, response.content
    assert money(response.json()) == money(made) and response.json()["notes"] == "with jack"


def test_put_with_a_new_date_converts_again_at_that_days_rate(api, ecb_rates):
    made = api.post("expenses/", {"type": "lunch", "amount": "100", "currency": "EUR",
                                  "date": "2026-11-03T12:00:00Z"}).json()
    body = api.patch(f"expenses/{made['id']}", {"date": "2026-10-27T12:00:00Z"}).json()
    assert body["rate_date"] == "2026-10-27" and body["original_amount"] == "100.00"
    assert body["amount"] == f"{(D(100) * D(body['rate'])).quantize(D('0.01'))}"
    assert body["rate"] != made["rate"]


def test_bulk_create_takes_a_currency_per_item(api, rates_today):
    response = api.post("expenses/bulk", {"expenses": [
        {"type": "lunch", "amount": "45", "currency": "EUR"},
        {"type": "taxi", "amount": "10"},
        {"type": "bad", "amount": "1", "currency": "XXXX"},
    ]})
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [item["status"] for item in results] == [201, 201, 400]
    assert money(results[0]["expense"])[:6] == ("49.50", "45.00", "45.00", "EUR", "USD", "1.1")
    assert money(results[1]["expense"])[:6] == ("10.00", "10.00", "10.00", "USD", "USD", "1")
    assert list(results[2]["error"]["fields"]) == ["currency"]
    assert stored(results[0]["expense"]["id"])[:6] == (D("49.50"), D("45.00"), D("45.00"), "EUR", "USD", D("1.1"))


def test_the_list_carries_the_money_fields(api, user, rates_today):
    api.post("entries/", {"text": "lunch 45 EUR"})
    item = api.get("expenses/").json()["results"][0]
    assert set(item) >= MONEY_KEYS and "currency" not in item
    assert (item["original_currency"], item["amount"]) == ("EUR", "49.50")
