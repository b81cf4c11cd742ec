"""Receipt text to facts: totals in both number conventions, dates in common forms, currencies, merchants."""

import datetime as dt
from decimal import Decimal as D

import pytest

from ocr.parsing import find_date, line_amounts, receipt_facts

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(("line", "amounts"), [
    ("TOTAL 1.234,56 €", [D("1234.56")]),
    ("Total $1,234.56", [D("1234.56")]),
    ("2 x Coffee   7.00", [D("7.00")]),
    ("Summe EUR 12,50", [D("12.50")]),
    ("Date 02.11.2026 12:30", []),
    ("TOTAL 45.O0", [D("45.00")]),  # OCR's O for 0
    ("Subtotal 10.00 Tax 0.70", [D("10.00"), D("0.70")]),
])  # fmt: skip
def test_amounts_are_read_in_both_conventions(line, amounts):
    assert line_amounts(line) == amounts


def test_the_total_line_wins_over_subtotal_tax_cash_and_change():
    text = "CORNER BISTRO\n12 Main St\n11/02/2026\nSoup 6.50\nBurger 12.00\nSubtotal 18.50\nTax 1.30\n" \
           "TOTAL $19.80\nCash 40.00\nChange 20.20\nThank you!"
    facts = receipt_facts(text, today=TODAY)
    assert facts == type(facts)(D("19.80"), "USD", dt.date(2026, 11, 2), "CORNER BISTRO")


def test_a_grand_total_wins_over_a_total_before_the_tip():
    text = "Hotel Astoria\nTotal 100.00\nTip 15.00\nGRAND TOTAL 115.00"
    assert receipt_facts(text, today=TODAY).total == D("115.00")


def test_the_amount_on_the_line_after_a_total_label():
    assert receipt_facts("Shop\nAmount due\n€ 1.020,00\n", today=TODAY).total == D("1020.00")


def test_continental_receipt_in_euros_with_a_day_first_date():
    text = "Bäckerei Müller\nHauptstr. 4\n03.04.2026 08:12\nCroissant 2,40 €\nSUMME 2,40 €\n"
    facts = receipt_facts(text, base_currency="USD", today=TODAY)
    assert (facts.total, facts.currency, facts.date, facts.merchant) == (D("2.40"), "EUR", dt.date(2026, 4, 3),
                                                                         "Bäckerei Müller")


@pytest.mark.parametrize(("text", "month_first", "day"), [
    ("2026-11-02", False, dt.date(2026, 11, 2)),
    ("02/11/2026", False, dt.date(2026, 11, 2)),
    ("02/11/2026", True, dt.date(2026, 2, 11)),
    ("25/11/2026", True, dt.date(2026, 11, 25)),  # 25 cannot be a month
    ("02.11.26", False, dt.date(2026, 11, 2)),
    ("2 Nov 2026", False, dt.date(2026, 11, 2)),
    ("Nov 2, 2026", False, dt.date(2026, 11, 2)),
    ("12 Dec 2099", False, None),  # in the future: not a purchase date
    ("31/02/2026", False, None),
])  # fmt: skip
def test_dates_in_common_forms(text, month_first, day):
    assert find_date(text, month_first=month_first, today=TODAY) == day


def test_a_currency_code_next_to_an_amount_and_not_a_word_that_looks_like_one():
    assert receipt_facts("ALL ITEMS\nTOTAL CHF 12.50", today=TODAY).currency == "CHF"
    assert receipt_facts("ALL ITEMS\nTOTAL 12.50", today=TODAY).currency == ""
    assert receipt_facts("Shop\nTotal £3.20", today=TODAY).currency == "GBP"


def test_text_without_amounts_has_no_total():
    facts = receipt_facts("Thank you for your visit", today=TODAY)
    assert (facts.total, facts.date) == (None, None)


def test_the_merchant_is_the_first_name_like_line_and_not_a_greeting_or_phone():
    assert receipt_facts("Welcome!\nTel 555 1234\nHOTEL ASTORIA\n50 Main St\nTOTAL 3.00", today=TODAY).merchant \
        == "HOTEL ASTORIA"
