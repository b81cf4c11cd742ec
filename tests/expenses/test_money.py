"""An expense's currency: converted at the ECB rate of its date (the shipped sample file), the rate stored; an
expense whose rate is missing is saved, says so where the answer has room, and is converted once it arrives."""

import datetime as dt
from decimal import Decimal

import pytest

from currencies import services as rate_services
from currencies.ecb import RateDay
from expenses import selectors, services
from expenses.models import Expense
from tests.factories import ExpenseFactory
from xpenser_server.errors import InvalidInput

pytestmark = pytest.mark.django_db
D = Decimal


def create(user, text) -> Expense:
    expense = services.expense_create_from_text(user=user, text=text)
    return Expense.objects.owned_by(user).get(pk=expense.pk)


def money(expense):
    return (expense.amount, expense.amount_currency, expense.rawamount, expense.original_amount,
            expense.original_currency, expense.rate, expense.rate_date)


@pytest.mark.parametrize(
    ("base", "text", "amount", "rate", "published"),
    [
        ("USD", "lunch 45 EUR 2026-11-03", "50.40", "1.12", "2026-11-03"),
        ("USD", "lunch €45 3 Nov 2026", "50.40", "1.12", "2026-11-03"),
        # a Saturday: Friday's rate
        ("USD", "taxi £12.50 2026-10-31", "16.18", "1.294117647059", "2026-10-30"),
        ("USD", "sushi 4500 JPY 2026-10-26", "29.98", "0.006662553979", "2026-10-26"),
        ("EUR", "lunch $45 2026-11-03", "40.18", "0.892857142857", "2026-11-03"),
        ("CHF", "lunch 45 EUR 2026-11-03", "43.65", "0.97", "2026-11-03"),
        ("GBP", "hotel 120 CHF 2026-11-04", "106.42", "0.886831275720", "2026-11-04"),
    ],
)
def test_an_amount_in_another_currency_is_converted_at_the_rate_of_its_date(ecb_rates, user, base, text, amount,
                                                                          rate, published):
    user.base_currency = base
    expense = create(user, text)
    assert expense.amount == D(amount)
    assert expense.amount_currency == base
    assert expense.rate == D(rate)
    assert expense.rate_date == dt.date.fromisoformat(published)
    assert expense.rawamount == expense.original_amount  # what was entered
    assert expense.converted and not expense.awaiting_rate


def test_the_base_currency_needs_no_rate(user):
    expense = create(user, "lunch 45 USD yesterday")
    assert money(expense) == (D("45.00"), "USD", D("45.00"), D("45.00"), "USD", D(1), None)


def test_mileage_and_time_keep_their_raw_quantities(user):
    mileage = create(user, "mileage 100 client visit")
    assert money(mileage) == (D("55.00"), "USD", D("100.00"), D("55.00"), "USD", D(1), None)


def test_a_later_rate_update_never_rewrites_a_stored_conversion(ecb_rates, user):
    expense = create(user, "lunch 45 EUR 2026-11-03")
    rate_services.rates_import(days=[RateDay(dt.date(2026, 11, 3), {"USD": D("2")})])
    services.expenses_convert_awaiting()
    expense.refresh_from_db()
    assert (expense.amount, expense.rate) == (D("50.40"), D("1.12"))


def test_a_conversion_too_large_for_an_amount_is_a_clear_refusal(ecb_rates, user):
    with pytest.raises(InvalidInput, match="more than the largest amount"):
        create(user, "house 9999999999 EUR 2026-11-03")
    assert not Expense.objects.owned_by(user).exists()


# The missing-rate path

def test_without_a_rate_the_expense_is_saved_waiting_and_says_so(user):
    expense = create(user, "lunch 45 EUR 2026-11-03")
    assert money(expense) == (D("0.00"), "USD", D("45.00"), D("45.00"), "EUR", None, None)
    assert expense.awaiting_rate
    assert selectors.rate_warning(expense, user.tzinfo) == (
        "no exchange rates are on file yet: the expense is saved at 0.00 USD (entered: 45.00 EUR) "
        "and converted as soon as the rate arrives")


def test_a_day_past_the_rates_on_file_waits_for_its_rate(ecb_rates, user):
    expense = create(user, "lunch 45 EUR 2026-11-20")
    assert expense.awaiting_rate
    assert selectors.rate_warning(expense, user.tzinfo).startswith(
        "no EUR to USD rate is on file for 2026-11-20 yet")


def test_a_currency_without_published_rates_waits_too(ecb_rates, user):
    expense = create(user, "asado 9000 ARS 2026-11-03")
    assert expense.awaiting_rate
    assert selectors.rate_warning(expense, user.tzinfo).startswith("the exchange rates on file have no ARS rate")


def test_waiting_expenses_are_converted_when_their_rates_arrive(user, other_user, django_capture_on_commit_callbacks):
    mine = create(user, "lunch 45 EUR 2026-11-03")
    other_user.base_currency = "GBP"
    theirs = create(other_user, "dinner 30 EUR 2026-11-02")
    unknown = create(user, "asado 9000 ARS 2026-11-03")
    before = mine.modified
    with django_capture_on_commit_callbacks(execute=True):
        rate_services.rates_import(days=[RateDay(dt.date(2026, 11, 2), {"USD": D("1.11"), "GBP": D("0.855")}),
                                         RateDay(dt.date(2026, 11, 3), {"USD": D("1.12"), "GBP": D("0.86")})])
    for expense in (mine, theirs, unknown):
        expense.refresh_from_db()
    assert money(mine) == (D("50.40"), "USD", D("45.00"), D("45.00"), "EUR", D("1.12"), dt.date(2026, 11, 3))
    assert mine.modified > before  # delta sync brings the converted amount
    assert (theirs.amount, theirs.amount_currency, theirs.rate) == (D("25.65"), "GBP", D("0.855"))
    assert unknown.awaiting_rate and unknown.amount == D("0.00")


def test_reports_total_one_currency_and_count_waiting_ones_as_nothing(ecb_rates, user):
    create(user, "lunch 45 EUR 2026-11-03")
    create(user, "coffee 3")
    create(user, "asado 9000 ARS 2026-11-03")
    ExpenseFactory(owner=user, amount=D("100.00"), amount_currency="GBP", original_currency="GBP")
    totals = selectors.expense_totals(selectors.expense_queryset(user=user), currency="USD")
    assert totals == {"count": 4, "total": D("53.40"), "currency": "USD", "awaiting": 1,
                      "others": [{"currency": "GBP", "count": 1, "total": D("100.00")}]}
    report = selectors.reports_with_totals(user=user).get()
    assert (report.count, report.total) == (4, D("53.40"))


# Writes of the form-like services

def test_a_new_date_converts_again_and_a_new_amount_is_in_the_base_currency(ecb_rates, user):
    expense = create(user, "lunch 45 EUR 2026-11-03")
    services.expense_update(expense=expense, data={"date": "2026-10-27"})
    assert (expense.amount, expense.rate, expense.rate_date) == (D("48.83"), D("1.085"), dt.date(2026, 10, 27))
    services.expense_update(expense=expense, data={"rawamount": "50"})
    assert (expense.original_amount, expense.amount) == (D("50.00"), D("54.25"))
    services.expense_update(expense=expense, data={"amount": "60"})  # the legacy and v1.0 meaning
    assert money(expense) == (D("60.00"), "USD", D("60.00"), D("60.00"), "USD", D(1), None)


def test_an_amount_with_a_currency_is_converted(ecb_rates, user):
    expense = services.expense_create(user=user, type="taxi", amount="12.50", currency="gbp", date="2026-11-03")
    assert (expense.amount, expense.original_currency, expense.rate) == (D("16.28"), "GBP", D("1.302325581395"))
    services.expense_update(expense=expense, data={"currency": "CHF"})
    assert (expense.amount, expense.original_amount, expense.original_currency) == (D("14.43"), D("12.50"), "CHF")
    with pytest.raises(InvalidInput, match="currency: 'XXQ' is not a currency code"):
        services.expense_create(user=user, type="taxi", amount="1", currency="XXQ")


def test_expenses_created_without_their_money_are_in_the_owners_base_currency(user):
    report = selectors.reports_with_totals(user=user).get()
    user.base_currency = "CHF"
    saved = Expense.objects.create(owner=user, report=report, type="a", amount=D("5.00"), rawamount=D("9.00"))
    bulk = Expense.objects.bulk_create([Expense(owner=user, report=report, type="b", amount=D("6.00"),
                                                rawamount=D("6.00"))])[0]
    for expense in (saved, bulk):
        expense.refresh_from_db()
        assert (expense.original_amount, expense.original_currency, expense.amount_currency, expense.rate) == (
            expense.amount, "CHF", "CHF", D(1))
