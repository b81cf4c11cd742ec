"""The web app with currencies: quick entry, the list, the expense form (converted amounts with the original)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import ExpenseFactory

pytestmark = pytest.mark.django_db
D = Decimal

def test_quick_entry_says_what_was_converted_and_what_waits(web, user, rates_today):
    page = web.post("/", {"q": "lunch 45 EUR"}, follow=True).content.decode()
    assert "Recorded lunch 49.50 USD (45.00 EUR at 1.1)" in page
    page = web.post("/", {"q": "asado 9000 ARS"}, follow=True).content.decode()
    assert "Recorded asado 9,000.00 ARS" in page
    assert "The exchange rates on file have no ARS rate" in page
    assert "1 expense waiting for an exchange rate" in page


def test_the_list_shows_converted_amounts_with_the_original(web, user, rates_today):
    web.post("/", {"q": "lunch 45 EUR"})
    ExpenseFactory(owner=user, type="old", amount=D("10.00"), amount_currency="GBP", original_currency="GBP")
    page = web.get("/expenses/").content.decode()
    assert "49.50" in page and "45.00 EUR" in page
    assert 'title="kept in its earlier base currency">GBP</abbr>' in page
    assert "total <strong>49.50 USD</strong>" in page
    assert "10.00 GBP in 1 expense kept in GBP (not added)" in page


def test_the_expense_form_offers_a_currency(web, user, rates_today):
    expense = ExpenseFactory(owner=user, amount=D("10.00"), date=timezone.now())
    page = web.get(f"/expenses/{expense.pk}/").content.decode()
    assert '<select name="currency"' in page and '<option value="USD" selected>' in page
    form = {"type": "lunch", "amount": "20", "currency": "GBP", "notes": "",
            "date": timezone.localtime(expense.date, user.tzinfo).strftime("%Y-%m-%dT%H:%M"),
            "report": str(expense.report_id), "tags": ""}
    assert web.post(f"/expenses/{expense.pk}/", form).status_code == 302
    expense.refresh_from_db()
    assert (expense.amount, expense.original_amount, expense.original_currency) == (D("25.88"), D("20.00"), "GBP")
    assert expense.rate == D("1.294117647059")


def test_charts_total_one_currency_and_say_which(web, user):
    ExpenseFactory(owner=user, amount=D("20.00"), date=timezone.now())
    ExpenseFactory(owner=user, amount=D("7.00"), amount_currency="GBP", original_currency="GBP", date=timezone.now())
    page = web.get("/charts/").content.decode()
    assert "<strong>20.00 USD</strong>" in page
    assert "not charted: 1 expense kept in GBP (7.00 GBP)" in page
    assert "All amounts in USD." in page
