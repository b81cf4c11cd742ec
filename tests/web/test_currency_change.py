"""Changing the base currency: the history converted at each expense's own date's rate (within the request, or
in the background through the task worker for large histories) or kept labelled with its currency; both ways
on a history spanning several rates of the shipped ECB file."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from expenses import selectors, services
from expenses.models import CurrencyChange, Expense
from xpenser_server.errors import InvalidInput

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]
D = Decimal
HISTORY = ["lunch 45 2026-10-26", "taxi 30 2026-10-30", "hotel 120 2026-11-03", "dinner 50 EUR 2026-11-02",
           "mileage 100 2026-10-28", "lunch 12 2026-12-25"]  # fmt: skip


@pytest.fixture
def history(user, ecb_rates):
    for text in HISTORY:
        services.expense_create_from_text(user=user, text=text)
    return user


def amounts(user) -> dict:
    return {e.type + e.date.strftime(" %m-%d"): (e.amount, e.amount_currency, e.rate)
            for e in Expense.objects.owned_by(user).order_by("id")}


IN_USD = {
    "lunch 10-26": (D("45.00"), "USD", D(1)),
    "taxi 10-30": (D("30.00"), "USD", D(1)),
    "hotel 11-03": (D("120.00"), "USD", D(1)),
    "dinner 11-02": (D("55.50"), "USD", D("1.11")),
    "mileage 10-28": (D("55.00"), "USD", D(1)),
    "lunch 12-25": (D("12.00"), "USD", D(1)),
}
IN_EUR = {
    "lunch 10-26": (D("41.67"), "EUR", D("0.925925925926")),
    "taxi 10-30": (D("27.27"), "EUR", D("0.909090909091")),
    "hotel 11-03": (D("107.14"), "EUR", D("0.892857142857")),
    "dinner 11-02": (D("50.00"), "EUR", D(1)),
    "mileage 10-28": (D("50.46"), "EUR", D("0.917431192661")),
    "lunch 12-25": (D("12.00"), "USD", D(1)),  # no rate for its date: kept in USD
}


def test_convert_both_ways_at_each_dates_rate(history):
    user = history
    assert amounts(user) == IN_USD
    before = {e.pk: e.modified for e in Expense.objects.owned_by(user)}
    change = services.base_currency_change(user=user, currency="EUR", history="convert")
    assert (change.status, change.total, change.done, change.kept) == ("done", 6, 6, 1)
    assert user.base_currency == "EUR"
    assert amounts(user) == IN_EUR
    assert all(e.modified > before[e.pk] for e in Expense.objects.owned_by(user) if e.amount_currency == "EUR")
    back = services.base_currency_change(user=user, currency="USD", history="convert")
    assert (back.total, back.kept) == (5, 0)
    assert amounts(user) == IN_USD  # from the amounts entered, not from the converted ones: nothing drifts


def test_keep_leaves_the_amounts_labelled_and_totals_add_up_one_currency(history):
    user = history
    change = services.base_currency_change(user=user, currency="EUR", history="keep")
    assert (change.history, change.status, change.total) == ("keep", "done", 0)
    assert amounts(user) == IN_USD
    totals = selectors.expense_totals(selectors.expense_queryset(user=user), currency=user.base_currency)
    assert (totals["total"], totals["others"]) == (None, [{"currency": "USD", "count": 6, "total": D("317.50")}])
    assert selectors.reports_with_totals(user=user).get().total == D("0.00")
    later = services.account_convert_kept_expenses(user=user)
    assert (later.from_currency, later.to_currency, later.total, later.kept) == ("EUR", "EUR", 6, 1)
    assert amounts(user) == IN_EUR


# The worker runs in this process and closes connections left in a transaction: these tests commit for real.
@pytest.mark.django_db(transaction=True)
def test_a_large_history_is_converted_by_the_task_worker(history, settings):
    user = history
    settings.XPENSER_CURRENCY_CHANGE_INLINE_LIMIT = 2
    change = services.base_currency_change(user=user, currency="EUR", history="convert")
    assert change.status == "queued" and amounts(user) == IN_USD and user.base_currency == "EUR"
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs["kwargs"]) == ("expenses.services.conversions.convert_history",
                                             {"user_id": user.pk, "change_id": change.pk})
    with pytest.raises(InvalidInput, match=r"still being converted into EUR \(0 of 6\)"):
        services.base_currency_change(user=user, currency="GBP", history="convert")
    call_command("db_worker", batch=True, verbosity=0)
    change.refresh_from_db()
    assert (change.status, change.done, change.kept) == ("done", 6, 1)
    assert amounts(user) == IN_EUR
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_nothing_to_do_is_nothing(user):
    assert services.base_currency_change(user=user, currency="usd", history="convert") is None
    assert not CurrencyChange.objects.owned_by(user).exists()
    with pytest.raises(InvalidInput, match="base_currency: 'EURO' is not a currency code"):
        services.base_currency_change(user=user, currency="EURO", history="convert")
    with pytest.raises(InvalidInput, match="currency_history: 'both' is not valid"):
        services.base_currency_change(user=user, currency="EUR", history="both")


@pytest.mark.django_db(transaction=True)
def test_the_settings_page_asks_and_shows_the_progress(web, history, settings):
    settings.XPENSER_CURRENCY_CHANGE_INLINE_LIMIT = 2
    form = {"name": "", "base_currency": "EUR", "mileage_rate": "0.55", "hourly_rate": "0", "time_zone": "UTC",
            "date_order": "mdy"}
    refused = web.post("/settings/", form)
    assert refused.status_code == 400
    assert refused.context["form"].errors["currency_history"] == ["Choose what happens to your expenses in USD."]
    assert web.post("/settings/", {**form, "currency_history": "convert"}).status_code == 302
    page = web.get("/settings/").content.decode()
    assert "Converting 6 expenses from USD into EUR" in page and '<progress max="100" value="0"' in page
    assert web.get("/settings/currency/progress/").json() == {
        "status": "queued", "to": "EUR", "done": 0, "total": 6, "kept": 0, "percent": 0}
    call_command("db_worker", batch=True, verbosity=0)
    assert web.get("/settings/currency/progress/").json()["status"] == "done"
    page = web.get("/settings/").content.decode()
    assert "5 expenses converted from USD into EUR; 1 kept its amount (no rate for its date)" in page
    assert "1 expense in USD (12.00 USD), not added to EUR totals" in page


def test_a_change_lost_with_its_worker_stops_blocking(history, settings):
    user = history
    settings.XPENSER_CURRENCY_CHANGE_INLINE_LIMIT = 2
    lost = services.base_currency_change(user=user, currency="EUR", history="convert")
    CurrencyChange.objects.owned_by(user).update(updated=lost.updated - dt.timedelta(minutes=31))
    again = services.base_currency_change(user=user, currency="EUR", history="convert")
    lost.refresh_from_db()
    assert (lost.status, again.status, again.total) == ("failed", "queued", 6)
