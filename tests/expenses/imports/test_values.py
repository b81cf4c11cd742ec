"""Amounts and dates as importers meet them: separators, orders, two-digit years, Quicken's apostrophe."""

import datetime as dt
from decimal import Decimal

import pytest

from expenses.imports.dates import date_order, parse_date
from expenses.imports.numbers import decimal_separator, parse_amount
from expenses.imports.records import split_memo, split_tags


@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("1,234.56", ".", "1234.56"),
    ("1.234,56", ",", "1234.56"),
    ("1 234,56", ",", "1234.56"),
    ("1\u00a0234,56", ",", "1234.56"),
    ("1'234.56", ".", "1234.56"),
    ("-1,234.56", ".", "-1234.56"),
    ("(12.50)", ".", "-12.50"),
    ("12.50-", ".", "-12.50"),
    ("$45", ".", "45"),
    ("-$45.00", ".", "-45.00"),
    ("45,00 €", ",", "45.00"),
    ("EUR 45,00", ",", "45.00"),
    ("45.00 USD", ".", "45.00"),
    ("+7", ".", "7"),
    ("1,234", ".", "1234"),
    ("1.234", ",", "1234"),
])
def test_amounts_in_every_notation_read_with_the_files_decimal_separator(text, decimal, expected):
    assert parse_amount(text, decimal=decimal) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "12,3,4.5.6", "1.2.3", "--5", "", "   ", "4 5 x", "1e5"])
def test_what_is_no_amount_is_a_value_error_naming_it(text):
    with pytest.raises(ValueError, match="not an amount|empty"):
        parse_amount(text, decimal=".")


@pytest.mark.parametrize(("texts", "expected"), [
    (["1,234.56", "12.00"], "."),
    (["1.234,56", "12,00"], ","),
    (["-5,00", "12,5"], ","),
    (["1,234", "12.10"], "."),
    (["1.234.567", "3"], ","),  # 1.234.567: dots group thousands
    (["1,234", "5"], "."),  # nothing tells: the default
    ([], "."),
])
def test_the_decimal_separator_is_the_one_the_files_amounts_show(texts, expected):
    assert decimal_separator(texts) == expected


@pytest.mark.parametrize(("text", "order", "expected"), [
    ("08/26/2009", "MDY", dt.datetime(2009, 8, 26)),
    ("26/08/2009", "DMY", dt.datetime(2009, 8, 26)),
    ("26.08.2009", "DMY", dt.datetime(2009, 8, 26)),
    ("26-08-2009", "DMY", dt.datetime(2009, 8, 26)),
    ("2009/08/26", "MDY", dt.datetime(2009, 8, 26)),
    ("8/26/09", "MDY", dt.datetime(2009, 8, 26)),
    ("8/26/99", "MDY", dt.datetime(1999, 8, 26)),
    ("8/26'09", "MDY", dt.datetime(2009, 8, 26)),
    ("1/ 5'03", "MDY", dt.datetime(2003, 1, 5)),
    (" 1/ 5/98", "MDY", dt.datetime(1998, 1, 5)),
    ("5.1.'03", "DMY", dt.datetime(2003, 1, 5)),
    ("09/08/26", "YMD", dt.datetime(2009, 8, 26)),
    ("08/26/2009 2:30 PM", "MDY", dt.datetime(2009, 8, 26, 14, 30)),
    ("26.08.2009 14:30:15", "DMY", dt.datetime(2009, 8, 26, 14, 30, 15)),
    ("2009-08-26", "DMY", dt.datetime(2009, 8, 26)),
    ("2009-08-26 14:28:00", "MDY", dt.datetime(2009, 8, 26, 14, 28)),
    ("2009-08-26T14:28:00Z", "MDY", dt.datetime(2009, 8, 26, 14, 28, tzinfo=dt.UTC)),
    ("26 Aug 2009", "MDY", dt.datetime(2009, 8, 26)),
    ("Aug 26, 2009", "DMY", dt.datetime(2009, 8, 26)),
])
def test_dates_in_every_form_importers_meet(text, order, expected):
    assert parse_date(text, order=order) == expected


def test_a_strptime_format_reads_every_date_its_way():
    assert parse_date("2009|26|08", date_format="%Y|%d|%m") == dt.datetime(2009, 8, 26)
    with pytest.raises(ValueError, match="does not match the date format"):
        parse_date("26/08/2009", date_format="%Y|%d|%m")


@pytest.mark.parametrize("text", ["13/13/2009", "yesterday-ish", "02/30/2009", "", "2009-13-01"])
def test_what_is_no_date_is_a_value_error(text):
    with pytest.raises(ValueError):
        parse_date(text, order="MDY")


@pytest.mark.parametrize(("texts", "expected"), [
    (["01/02/2009", "13/02/2009"], ("DMY", False)),
    (["01/02/2009", "02/13/2009"], ("MDY", False)),
    (["01/02/2009", "03/04/2009"], ("MDY", True)),  # ambiguous: Quicken's order, said to be a guess
    (["2009-01-02", "2009/03/04"], ("YMD", False)),
    (["2009-01-02 10:00:00"], ("YMD", False)),
    ([], ("MDY", False)),
])
def test_the_date_order_comes_from_the_files_dates(texts, expected):
    assert date_order(texts) == expected


def test_dates_of_both_orders_in_one_file_are_refused():
    with pytest.raises(ValueError, match="mix day-first and month-first"):
        date_order(["13/01/2009", "01/13/2009"])


def test_trailing_hash_words_of_a_memo_are_tags_and_the_rest_its_notes():
    assert split_memo("with jack #cash #clientx") == ("with jack", ["cash", "clientx"])
    assert split_memo("#1 fan #cash") == ("#1 fan", ["cash"])
    assert split_memo("no tags") == ("no tags", [])
    assert split_memo("#only") == ("", ["only"])
    assert split_tags("a, b #c,,a") == ["a", "b", "c"]
    assert split_tags(["x", "#y"]) == ["x", "y"]
