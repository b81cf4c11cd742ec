"""Free-form expense text (the syntax in README.md), without Django."""

import datetime as dt
from decimal import Decimal

import pytest

from expenses.parser import (
    MAX_AMOUNT,
    MAX_NOTES_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_TYPE_LENGTH,
    ParsedExpense,
    ParseError,
    TimerCommand,
    parse_expense,
    time_expense,
)

D = Decimal
# A Wednesday: `mon` is 2 Nov, `wed` today, `yesterday` 3 Nov.
TODAY = dt.date(2026, 11, 4)
ON = {"today": TODAY}


def exp(type_, amount, notes="", tags=(), kind="expense", raw=None, currency=None, date=None, time=None):
    return ParsedExpense(
        type=type_,
        amount=D(amount),
        rawamount=D(raw if raw is not None else amount),
        notes=notes,
        tags=tuple(tags),
        kind=kind,
        currency=currency,
        date=dt.date.fromisoformat(date) if date else None,
        time=dt.time.fromisoformat(time) if time else None,
    )


def mileage(amount, raw, notes="", tags=(), type_="mileage", **when):
    return exp(type_, amount, notes, tags, kind="mileage", raw=raw, **when)


def time(amount, minutes, notes="", tags=(), type_="Time", **when):
    return exp(type_, amount, notes, tags, kind="time", raw=minutes, **when)


ACCEPTED = [
    # contract examples
    ("lunch 45 with jack", {}, exp("lunch", "45.00", "with jack")),
    ("Lunch 45 with Jack", {}, exp("Lunch", "45.00", "with Jack")),
    ("Taxi 34 office to airport #cash #clientx", {}, exp("Taxi", "34.00", "office to airport", ["cash", "clientx"])),
    ("Tax 34 office to airport #cash #clientx", {}, exp("Tax", "34.00", "office to airport", ["cash", "clientx"])),
    ("Dinner with Jim 46.80 projectx", {}, exp("Dinner with Jim", "46.80", "projectx")),
    ("test expense 15 my notes", {}, exp("test expense", "15.00", "my notes")),
    ("Time 37 mins contract review", {}, time("0.00", "37.00", "contract review")),
    ("Time 37 mins contract review", {"hourly_rate": D("60")}, time("37.00", "37.00", "contract review")),
    ("mileage 100 client visit", {}, mileage("55.00", "100.00", "client visit")),
    # amount spellings
    ("lunch 45.5", {}, exp("lunch", "45.50")),
    ("lunch 45.", {}, exp("lunch", "45.00")),
    ("lunch 0.99 gum", {}, exp("lunch", "0.99", "gum")),
    ("lunch 0", {}, exp("lunch", "0.00")),
    ("lunch 007", {}, exp("lunch", "7.00")),
    ("laptop 1,234.56 new one", {}, exp("laptop", "1234.56", "new one")),
    ("car 1,234,567", {}, exp("car", "1234567.00")),
    ("lunch $45 with jack", {}, exp("lunch", "45.00", "with jack")),
    # symbols other than `$` now name their currency (type, amounts and notes as before)
    ("hotel €120.5", {}, exp("hotel", "120.50", currency="EUR")),
    ("train £1,000.00", {}, exp("train", "1000.00", currency="GBP")),
    ("sushi ¥3,000", {}, exp("sushi", "3000.00", currency="JPY")),
    ("refund -12.30 returned shoes", {}, exp("refund", "-12.30", "returned shoes")),
    ("refund $-5", {}, exp("refund", "-5.00")),
    ("refund -$5", {}, exp("refund", "-5.00")),
    ("refund -0", {}, exp("refund", "0.00")),
    ("big 9999999999.99", {}, exp("big", "9999999999.99")),
    ("Lunch 45 table 12 of 30", {}, exp("Lunch", "45.00", "table 12 of 30")),
    ("7eleven 5 snacks", {}, exp("7eleven", "5.00", "snacks")),
    ("Lunch at 3pm 20", {}, exp("Lunch at 3pm", "20.00")),
    ("Parking $ 4", {}, exp("Parking $", "4.00")),
    # whitespace and control characters
    ("  Dinner \t with\n Jim   46.80   project   x  ", {}, exp("Dinner with Jim", "46.80", "project x")),
    ("lunch\x00 45\x1b with\x7f jack", {}, exp("lunch", "45.00", "with jack")),
    ("lunch\u00a045\u00a0with jack", {}, exp("lunch", "45.00", "with jack")),
    # tags
    ("#cash lunch 45", {}, exp("lunch", "45.00", tags=["cash"])),
    ("lunch #biz 45 with #clientx jack", {}, exp("lunch", "45.00", "with jack", ["biz", "clientx"])),
    ("lunch 45 #Cash #cash #CASH #b", {}, exp("lunch", "45.00", tags=["Cash", "b"])),
    ("lunch 45 #5 #client-x #a_b", {}, exp("lunch", "45.00", tags=["5", "client-x", "a_b"])),
    ("lunch 45 # lone hash", {}, exp("lunch", "45.00", "# lone hash")),
    ("lunch 45 c#sharp #bad! ##x", {}, exp("lunch", "45.00", "c#sharp #bad! ##x")),
    # unicode
    ("Café crème 4.20 à Paris #déjeuner", {}, exp("Café crème", "4.20", "à Paris", ["déjeuner"])),
    ("Cafe\u0301 3 #nai\u0308ve #NAÏVE", {}, exp("Café", "3.00", tags=["naïve"])),
    ("晚餐 88 客户 #出差", {}, exp("晚餐", "88.00", "客户", ["出差"])),
    ("Coffee ☕ 3 ☕☕", {}, exp("Coffee ☕", "3.00", "☕☕")),
    # mileage
    (
        "Mileage 100 client visit",
        {"mileage_rate": D("0.655")},
        mileage("65.50", "100.00", "client visit", type_="Mileage"),
    ),
    ("MILEAGE 1 x", {"mileage_rate": D("0.575")}, mileage("0.58", "1.00", "x", type_="MILEAGE")),
    ("mileage 3 x", {"mileage_rate": D("0.575")}, mileage("1.73", "3.00", "x")),
    ("mileage 12.5 mi to the airport", {}, mileage("6.88", "12.50", "to the airport")),
    ("miles 20 miles #clientx", {}, mileage("11.00", "20.00", tags=["clientx"], type_="miles")),
    ("mileage 20 KM", {}, mileage("11.00", "20.00")),
    ("mileage 20km depot", {}, mileage("11.00", "20.00", "depot")),
    ("mileage 8mi", {"mileage_rate": 0.5}, mileage("4.00", "8.00")),
    ("mileage -10 correction", {}, mileage("-5.50", "-10.00", "correction")),
    ("mileage log 10 x", {}, exp("mileage log", "10.00", "x")),
    # time
    ("Time 37", {}, time("0.00", "37.00")),
    ("time 30 m standup", {"hourly_rate": D("100")}, time("50.00", "30.00", "standup", type_="time")),
    ("Time 1 min", {"hourly_rate": D("90")}, time("1.50", "1.00")),
    ("Time 45 minute call", {}, time("0.00", "45.00", "call")),
    ("Time 45 minutes call", {}, time("0.00", "45.00", "call")),
    ("Time 2 h", {"hourly_rate": D("50")}, time("100.00", "120.00")),
    ("Time 2 hr", {"hourly_rate": D("50")}, time("100.00", "120.00")),
    ("Time 2 hrs", {"hourly_rate": D("50")}, time("100.00", "120.00")),
    ("Time 1 hour", {"hourly_rate": D("50")}, time("50.00", "60.00")),
    ("Time 1.5 hours design #clientx", {"hourly_rate": D("80")}, time("120.00", "90.00", "design", ["clientx"])),
    ("TIME 90min review", {"hourly_rate": D("60")}, time("90.00", "90.00", "review", type_="TIME")),
    ("Time 1.5h", {}, time("0.00", "90.00")),
    ("Time 0.25HRS", {"hourly_rate": D("60")}, time("15.00", "15.00")),
    ("Time 10 mins", {"hourly_rate": D("0.01")}, time("0.00", "10.00")),
    ("Time 30 mins", {"hourly_rate": D("0.01")}, time("0.01", "30.00")),
    ("Time 7 mins", {"hourly_rate": D("33")}, time("3.85", "7.00")),
    ("Time 37 contract mins", {}, time("0.00", "37.00", "contract mins")),
    ("Time spent 30 mins", {}, exp("Time spent", "30.00", "mins")),
    # currencies: an ISO 4217 code in capitals next to the amount, or a symbol attached to it
    ("lunch 45 EUR", {}, exp("lunch", "45.00", currency="EUR")),
    ("lunch EUR 45", {}, exp("lunch", "45.00", currency="EUR")),
    ("lunch €45", {}, exp("lunch", "45.00", currency="EUR")),
    ("taxi £12.50", {}, exp("taxi", "12.50", currency="GBP")),
    ("sushi 4500 JPY with the team", {}, exp("sushi", "4500.00", "with the team", currency="JPY")),
    ("lunch 45 EUR with jack #cash", {}, exp("lunch", "45.00", "with jack", ["cash"], currency="EUR")),
    ("Dinner with Jim 46.80 CHF projectx", {}, exp("Dinner with Jim", "46.80", "projectx", currency="CHF")),
    ("lunch €45 EUR", {}, exp("lunch", "45.00", currency="EUR")),
    ("refund -€5", {}, exp("refund", "-5.00", currency="EUR")),
    ("refund €-5", {}, exp("refund", "-5.00", currency="EUR")),
    ("hotel CA$120", {}, exp("hotel", "120.00", currency="CAD")),
    ("fare A$30", {}, exp("fare", "30.00", currency="AUD")),
    ("taxi HK$88", {}, exp("taxi", "88.00", currency="HKD")),
    ("rice ₹250", {}, exp("rice", "250.00", currency="INR")),
    ("kimchi ₩9,000", {}, exp("kimchi", "9000.00", currency="KRW")),
    ("lunch US$12", {}, exp("lunch", "12.00")),  # the base currency: nothing to convert
    ("lunch 45 USD", {}, exp("lunch", "45.00")),
    ("lunch 45 EUR", {"base_currency": "EUR"}, exp("lunch", "45.00")),
    # `$` is the base currency when that is a dollar, else USD
    ("lunch $45", {"base_currency": "CAD"}, exp("lunch", "45.00")),
    ("lunch $45", {"base_currency": "EUR"}, exp("lunch", "45.00", currency="USD")),
    ("lunch 45 USD", {"base_currency": "EUR"}, exp("lunch", "45.00", currency="USD")),
    # words that are not current codes, or not in capitals, stay notes; a lone code stays the type
    ("charger 5 USB cable", {}, exp("charger", "5.00", "USB cable")),
    ("lunch 45 eur", {}, exp("lunch", "45.00", "eur")),
    ("lunch 45 XYZ", {}, exp("lunch", "45.00", "XYZ")),
    ("EUR 45 lunch", {}, exp("EUR", "45.00", "lunch")),
    ("mileage EUR 100", {}, exp("mileage EUR", "100.00")),
    ("Time 30 mins EUR", {}, time("0.00", "30.00", "EUR")),
    # dates at the start or the end of the text, in the user's day/month order
    ("lunch 45 yesterday", ON, exp("lunch", "45.00", date="2026-11-03")),
    ("yesterday lunch 45 with jack", ON, exp("lunch", "45.00", "with jack", date="2026-11-03")),
    ("lunch 45 today", ON, exp("lunch", "45.00", date="2026-11-04")),
    ("lunch 45 mon", ON, exp("lunch", "45.00", date="2026-11-02")),
    ("lunch 45 Wed", ON, exp("lunch", "45.00", date="2026-11-04")),
    ("lunch 45 on sun", ON, exp("lunch", "45.00", date="2026-11-01")),
    ("lunch 45 thursday", ON, exp("lunch", "45.00", date="2026-10-29")),
    ("monday lunch 45", ON, exp("lunch", "45.00", date="2026-11-02")),
    ("taxi 12 3 Nov", ON, exp("taxi", "12.00", date="2026-11-03")),
    ("3 Nov taxi 12", ON, exp("taxi", "12.00", date="2026-11-03")),
    ("taxi 12 Nov 3", ON, exp("taxi", "12.00", date="2026-11-03")),
    ("Nov 3 taxi 12 to the station", ON, exp("taxi", "12.00", "to the station", date="2026-11-03")),
    ("taxi 12 2026-11-03", ON, exp("taxi", "12.00", date="2026-11-03")),
    ("2026-11-03 taxi 12", ON, exp("taxi", "12.00", date="2026-11-03")),
    ("taxi 12 11/3", ON, exp("taxi", "12.00", date="2026-11-03")),
    ("taxi 12 3/11", {**ON, "day_first": True}, exp("taxi", "12.00", date="2026-11-03")),
    ("taxi 12 3/11", ON, exp("taxi", "12.00", date="2026-03-11")),
    ("taxi 12 3/11/2025", {**ON, "day_first": True}, exp("taxi", "12.00", date="2025-11-03")),
    ("hotel 120 on 3 November 2025", ON, exp("hotel", "120.00", date="2025-11-03")),
    ("hotel 120 Nov 3, 2025", ON, exp("hotel", "120.00", date="2025-11-03")),
    ("hotel 120 2 Dec", ON, exp("hotel", "120.00", date="2026-12-02")),  # within the coming month
    ("hotel 120 10 Dec", ON, exp("hotel", "120.00", date="2025-12-10")),  # else the most recent
    ("lunch 45 with jack at 13:30", ON, exp("lunch", "45.00", "with jack", time="13:30")),
    ("lunch 45 13:30", ON, exp("lunch", "45.00", time="13:30")),
    ("lunch 45 at 1pm", ON, exp("lunch", "45.00", time="13:00")),
    ("lunch 45 yesterday at 12:15am", ON, exp("lunch", "45.00", date="2026-11-03", time="00:15")),
    ("lunch 45 at 13:30 yesterday", ON, exp("lunch", "45.00", date="2026-11-03", time="13:30")),
    ("yesterday at 8:05 taxi 30", ON, exp("taxi", "30.00", date="2026-11-03", time="08:05")),
    ("lunch 45 EUR yesterday #cash", ON, exp("lunch", "45.00", tags=["cash"], currency="EUR", date="2026-11-03")),
    ("Time 37 mins review yesterday", {**ON, "hourly_rate": D("60")},
     time("37.00", "37.00", "review", date="2026-11-03")),
    ("mileage 100 client visit mon", ON, mileage("55.00", "100.00", "client visit", date="2026-11-02")),
    # a date word in the middle stays a note; words that only look like dates too
    ("lunch 45 monday meeting with jack", ON, exp("lunch", "45.00", "monday meeting with jack")),
    ("Sat nav 45", ON, exp("Sat nav", "45.00")),
    ("Sun cream 12", ON, exp("Sun cream", "12.00")),
    ("picnic 20 in the sun", ON, exp("picnic", "20.00", "in the sun")),
    ("lunch 45 2026-02-30", ON, exp("lunch", "45.00", "2026-02-30")),
    ("lunch 45 at 25:00", ON, exp("lunch", "45.00", "at 25:00")),
    ("lunch 45 at noon", ON, exp("lunch", "45.00", "at noon")),
    ("Nov 3", ON, exp("Nov", "3.00")),
    ("yesterday 45", ON, exp("yesterday", "45.00")),
    # the examples of docs/api.md and README.md
    ("3 Nov taxi £12.50 to the station", ON, exp("taxi", "12.50", "to the station", currency="GBP", date="2026-11-03")),
    ("hotel 120 on 3/11", {**ON, "day_first": True}, exp("hotel", "120.00", date="2026-11-03")),
    ("Time 37 mins review yesterday at 9:00", ON, time("0.00", "37.00", "review", date="2026-11-03", time="09:00")),
    ("lunch 45 on fri", ON, exp("lunch", "45.00", date="2026-10-30")),
    ("hotel 120 3 November 2025", ON, exp("hotel", "120.00", date="2025-11-03")),
    ("lunch 45 yesterday at 1pm", ON, exp("lunch", "45.00", date="2026-11-03", time="13:00")),
    ("lunch 45 EUR yesterday", ON, exp("lunch", "45.00", currency="EUR", date="2026-11-03")),
]


@pytest.mark.parametrize(("text", "rates", "expected"), ACCEPTED)
def test_accepted(text, rates, expected):
    assert parse_expense(text, **rates) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Time start clientx", TimerCommand(action="start", notes="clientx", tags=(), type="Time")),
        ("time START clientx #x #y", TimerCommand(action="start", notes="clientx", tags=("x", "y"), type="time")),
        ("Time start", TimerCommand(action="start", notes="", tags=(), type="Time")),
        ("#biz Time start big   project", TimerCommand(action="start", notes="big project", tags=("biz",), type="Time")),
        ("Time stop", TimerCommand(action="stop", notes="", tags=(), type="Time")),
        ("TIME Stop wrapped up #done", TimerCommand(action="stop", notes="wrapped up", tags=("done",), type="TIME")),
        ("Time stop 5 mins", TimerCommand(action="stop", notes="5 mins", tags=(), type="Time")),
    ],
)
def test_timer_commands(text, expected):
    assert parse_expense(text) == expected


def test_accepted_table_is_large_enough():
    assert len(ACCEPTED) >= 130


def test_dates_default_to_the_machines_today():
    assert parse_expense("lunch 45 yesterday").date == dt.date.today() - dt.timedelta(days=1)


def test_results_are_frozen_with_exact_decimals():
    parsed = parse_expense("lunch 45 with jack")
    assert str(parsed.amount) == "45.00"
    assert str(parsed.rawamount) == "45.00"
    with pytest.raises(AttributeError):
        parsed.amount = D("1")  # type: ignore[misc]


def test_time_expense_rounds_minutes_and_amount():
    parsed = time_expense("Time", D("37.004"), "  contract   review ", ("x", "X", "y"), hourly_rate=D("60"))
    assert parsed == time("37.00", "37.00", "contract review", ["x", "y"])
    assert time_expense("Time", D("1"), "", (), hourly_rate=D("0.30")) == time("0.01", "1.00")


REJECTED = [
    ("", "expense text is empty"),
    ("   \t\n ", "expense text is empty"),
    ("\x00\x01", "expense text is empty"),
    ("lunch with jack", "no amount found in 'lunch with jack'"),
    ("#cash #clientx", "no amount found"),
    ("45 lunch with jack", "missing expense type before the amount '45'"),
    ("$12", "missing expense type before the amount '$12'"),
    ("lunch 45.123 with jack", "amount '45.123' has more than two decimals"),
    ("lunch 1,234.567", "amount '1,234.567' has more than two decimals"),
    ("lunch 12,50", "amount '12,50' is not a valid number"),
    ("lunch 1,2345", "amount '1,2345' is not a valid number"),
    ("lunch 1.2.3", "amount '1.2.3' is not a valid number"),
    ("lunch 45€", "amount '45€' is not a valid number"),
    ("lunch +45", "amount '+45' is not a valid number"),
    ("lunch 10000000000", "amount '10000000000' is too large"),
    ("lunch -10000000000", "is too large"),
    ("Time 99999999999 mins", "is too large"),
    ("a" * (MAX_TYPE_LENGTH + 1) + " 5", "expense type is too long"),
    ("lunch 5 " + "n" * (MAX_NOTES_LENGTH + 1), "notes are too long"),
    ("Time start " + "n" * (MAX_NOTES_LENGTH + 1), "notes are too long"),
    ("lunch 5 " + "n " * MAX_TEXT_LENGTH, "expense text is too long"),
    ("lunch 5 #" + "t" * 101, "is too long"),
    ("Time", "'Time' needs a duration, 'start' or 'stop'"),
    ("time contract review #x", "'time' needs a duration"),
    ("Time 0 mins", "time '0 mins' must be more than zero minutes"),
    ("Time -30", "time '-30' must be more than zero minutes"),
    ("Time -1h", "time '-1h' must be more than zero minutes"),
    ("Time 30km", "unknown unit 'km' in '30km'"),
    ("Time 3pm", "unknown unit 'pm'"),
    ("mileage 10min", "unknown unit 'min' in '10min'"),
    ("Time $30", "time '$30' must be a duration, not a money amount"),
    ("mileage $30", "mileage '$30' must be a distance"),
    ("Time 1.555 hours", "amount '1.555' has more than two decimals"),
    ("lunch €45 GBP", "amount '€45' has two currencies (EUR and GBP)"),
    ("lunch EUR 45 USD", "has two currencies (EUR and USD)"),
    ("lunch 45₹", "amount '45₹' is not a valid number"),
    ("Time €30", "time '€30' must be a duration, not a money amount"),
]


@pytest.mark.parametrize(("text", "message"), REJECTED)
def test_rejected(text, message):
    with pytest.raises(ParseError) as caught:
        parse_expense(text)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_long_text_is_quoted_shortened():
    with pytest.raises(ParseError) as caught:
        parse_expense("word " * 100)
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize(
    ("text", "rates"),
    [("mileage 9999999999 x", {"mileage_rate": D("2")}), ("Time 600 mins", {"hourly_rate": MAX_AMOUNT})],
)
def test_converted_amount_too_large(text, rates):
    with pytest.raises(ParseError, match="is too large"):
        parse_expense(text, **rates)
