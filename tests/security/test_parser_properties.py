"""Properties of the free-form parser (expenses/parser.py, syntax in README.md), checked by hypothesis over
bounded, derandomized examples: it never raises anything but ParseError, and what is written comes back."""

import contextlib
import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expenses.parser import MAX_AMOUNT, ParsedExpense, ParseError, TimerCommand, parse_expense

BOUNDED = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow])
TODAY = dt.date(2026, 11, 4)
# Words that cannot be read as a date, a unit, a currency or a command: "qz" and lowercase letters.
WORD = st.text("abcdefghijklmnoprstuvwy", min_size=1, max_size=8).map(lambda s: "qz" + s)
CENTS = st.integers(min_value=1, max_value=int(MAX_AMOUNT * 100))


@BOUNDED
@given(st.text(max_size=300))
def test_any_text_parses_or_is_a_parse_error(text):
    try:
        parsed = parse_expense(text, today=TODAY)
    except ParseError as exc:
        assert str(exc)  # a message for the user
        return
    assert isinstance(parsed, ParsedExpense | TimerCommand)


@BOUNDED
@given(st.lists(st.sampled_from(["lunch", "45", "4.5", "$3", "-2", "#cash", "#", "EUR", "€9", "1,234.56",
                                 "yesterday", "mon", "3/11", "at", "13:30", "Time", "start", "mileage", "km",
                                 "mins", "0", "9999999999999", "..", ",", "²", "٣", "\x00", "+24:00"]),
                max_size=8).map(" ".join))
def test_token_soup_parses_or_is_a_parse_error(text):
    with contextlib.suppress(ParseError):
        parse_expense(text, today=TODAY)


@BOUNDED
@given(type_words=st.lists(WORD, min_size=1, max_size=3), cents=CENTS, notes=st.lists(WORD, max_size=4),
       tags=st.lists(WORD, max_size=3), separators=st.booleans())
def test_type_amount_notes_tags_round_trip(type_words, cents, notes, tags, separators):
    amount = Decimal(cents) / 100
    written = f"{amount:,.2f}" if separators else f"{amount:.2f}"
    text = " ".join([*type_words, written, *notes, *(f"#{t}" for t in tags)])
    parsed = parse_expense(text, today=TODAY)
    assert parsed.type == " ".join(type_words)
    assert parsed.amount == parsed.rawamount == amount
    assert parsed.notes == " ".join(notes)
    assert parsed.tags == tuple(dict.fromkeys(tags))  # each tag once, in the order written
    assert parsed.kind == "expense" and parsed.currency is None and parsed.date is None


@BOUNDED
@given(type_word=WORD, cents=CENTS, tags=st.lists(WORD, min_size=1, max_size=3), where=st.integers(0, 2))
def test_tags_count_wherever_they_stand(type_word, cents, tags, where):
    amount = f"{Decimal(cents) / 100:.2f}"
    words = [type_word, amount, "qznote"]
    for n, tag in enumerate(tags):
        words.insert(min(where + n, len(words)), f"#{tag}")
    parsed = parse_expense(" ".join(words), today=TODAY)
    assert set(parsed.tags) == set(tags) and parsed.amount == Decimal(amount) and parsed.type == type_word


@BOUNDED
@given(type_word=WORD, cents=CENTS, days_ago=st.integers(0, 300))
def test_a_trailing_iso_date_is_the_date(type_word, cents, days_ago):
    day = TODAY - dt.timedelta(days=days_ago)
    parsed = parse_expense(f"{type_word} {Decimal(cents) / 100:.2f} {day.isoformat()}", today=TODAY)
    assert parsed.date == day and parsed.notes == ""


@BOUNDED
@given(type_word=WORD, decimals=st.integers(3, 6), cents=CENTS)
def test_more_than_two_decimals_or_too_large_is_refused(type_word, decimals, cents):
    amount = f"{Decimal(cents) / 100:.{decimals}f}"
    if amount.rstrip("0").split(".")[1].__len__() > 2:
        try:
            parse_expense(f"{type_word} {amount}", today=TODAY)
        except ParseError:
            return
        raise AssertionError(f"{amount} was accepted")
    try:
        parse_expense(f"{type_word} {cents * 10**6}", today=TODAY)
    except ParseError as exc:
        assert "too large" in str(exc) or "maximum" in str(exc)
