"""Parsing of free-form expense text: `type amount notes #tag1 #tag2` (the syntax is in README.md).

A currency may stand next to the amount (`45 EUR`, `EUR 45`, `€45`) and a date or time at the start or the
end of the text (entry_dates). The result says what was written; the services convert and date it.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from .entry_currency import SYMBOL_PATTERN, SYMBOL_PATTERN_SYMBOLS, currencies_next_to
from .entry_dates import leading_when, trailing_when

MAX_TYPE_LENGTH = 100
MAX_NOTES_LENGTH = 2000
MAX_TEXT_LENGTH = 4000
MAX_TAG_LENGTH = 100
MAX_TAGS = 100  # tags one expense carries (and one filter names)
MAX_AMOUNT = Decimal("9999999999.99")

CENT = Decimal("0.01")
FORMAT_HINT = "write it as 'type amount notes', e.g. 'lunch 45 with jack'"
TIME_HINT = "e.g. 'Time 37 mins contract review', 'Time start clientx' or 'Time stop'"

_SYMBOL = SYMBOL_PATTERN
_NUMBER = r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<dec>[0-9]*))?"
# The sign may come before or after the currency symbol: "$-45" and "-$45" are both refunds.
_AMOUNT_RE = re.compile(
    rf"(?:(?P<symbol>{_SYMBOL})(?P<sign>-)?|(?P<sign_first>-)(?P<symbol_after>{_SYMBOL})?)?{_NUMBER}"
)
_NUMBER_LIKE_RE = re.compile(rf"[-+]?(?:{_SYMBOL})?[-+]?[0-9.,]*[0-9][0-9.,]*(?:{_SYMBOL})?")
# The characters an amount, a number-like word or a number with a unit can start with.
_AMOUNT_FIRST = frozenset("0123456789+-.,$") | {symbol[0] for symbol in SYMBOL_PATTERN_SYMBOLS}
_WITH_UNIT_RE = re.compile(rf"(?P<prefix>-)?{_NUMBER}(?P<unit>[^\W\d_]+)")
_TAG_RE = re.compile(r"#(\w[\w-]*)")

MINUTE_UNITS = frozenset({"m", "min", "mins", "minute", "minutes"})
HOUR_UNITS = frozenset({"h", "hr", "hrs", "hour", "hours"})
DISTANCE_UNITS = frozenset({"mi", "mile", "miles", "km"})
MILEAGE_TYPES = frozenset({"mileage", "miles"})
TIME_TYPE = "time"


class ParseError(ValueError):
    """Expense text that cannot be understood; the message is meant for the user."""


@dataclass(frozen=True)
class ParsedExpense:
    """`currency` is the code written (None: the base currency); `date` and `time` are what was written
    (None: not written), in the user's time zone."""

    type: str
    amount: Decimal
    rawamount: Decimal
    notes: str
    tags: tuple[str, ...]
    kind: str
    currency: str | None = None
    date: dt.date | None = None
    time: dt.time | None = None


@dataclass(frozen=True)
class TimerCommand:
    """`Time start [notes]` or `Time stop [notes]`: `action` is "start" or "stop"."""

    action: str
    notes: str
    tags: tuple[str, ...]
    type: str


@dataclass(frozen=True)
class _Amount:
    token: str
    value: Decimal
    symbol: str
    unit: str = ""


def parse_expense(
    text: str, *, mileage_rate: Decimal = Decimal("0.55"), hourly_rate: Decimal = Decimal("0.00"),
    base_currency: str = "USD", today: dt.date | None = None, day_first: bool = False,
) -> ParsedExpense | TimerCommand:  # fmt: skip
    """Parse `type amount notes #tags`, a mileage or time entry, or a `Time start|stop` command.

    `today` (the user's local date, default the machine's) resolves `yesterday` and weekday names;
    `day_first` reads `3/11` as 3 November.
    """
    cleaned = _clean_text(text)
    if not cleaned:
        raise ParseError(f"expense text is empty: {FORMAT_HINT}")
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise ParseError(f"expense text is too long ({len(cleaned)} characters, maximum {MAX_TEXT_LENGTH})")
    words, tags = _split_tags(cleaned.split())
    if len(words) > 1 and words[0].casefold() == TIME_TYPE and words[1].casefold() in ("start", "stop"):
        return TimerCommand(action=words[1].casefold(), notes=_notes(words[2:]), tags=tags, type=words[0])

    words, when = _leading_when(words, today, day_first)
    is_time = bool(words) and words[0].casefold() == TIME_TYPE
    is_mileage = bool(words) and words[0].casefold() in MILEAGE_TYPES
    units = MINUTE_UNITS | HOUR_UNITS if is_time else DISTANCE_UNITS if is_mileage else frozenset()
    index, amount = _find_amount(words, units=units)
    if amount is None:
        if is_time:
            raise ParseError(f"'{words[0]}' needs a duration, 'start' or 'stop': {TIME_HINT}")
        raise ParseError(f"no amount found in {_quote(cleaned)}: {FORMAT_HINT}")
    if index == 0:
        raise ParseError(f"missing expense type before the amount {_quote(amount.token)}: {FORMAT_HINT}")
    rest = words[index + 1 :]
    if when is None and (found := trailing_when(rest, today=today, day_first=day_first)):
        rest, when = rest[: -found[0]], found[1]
    dated = {"date": when.date, "time": when.time} if when else {}
    type_words, currency = words[:index], None
    if not _is_measure(type_words):
        found = _currency(amount, type_words, rest, base_currency)
        if not _is_measure(found[0]):  # `mileage EUR 100` stays the expense type "mileage EUR"
            type_words, rest, currency = found
    type_ = _type(type_words)
    kind = type_.casefold()

    if kind == TIME_TYPE:
        unit = amount.unit
        if not unit and rest and rest[0].casefold() in MINUTE_UNITS | HOUR_UNITS:
            unit, rest = rest[0].casefold(), rest[1:]
        shown = f"{amount.token} {unit}" if unit and not amount.unit else amount.token
        if amount.symbol:
            raise ParseError(f"time {_quote(shown)} must be a duration, not a money amount: {TIME_HINT}")
        minutes = amount.value * 60 if unit in HOUR_UNITS else amount.value
        if minutes <= 0:
            raise ParseError(f"time {_quote(shown)} must be more than zero minutes")
        return replace(time_expense(type_, minutes, _notes(rest), tags, hourly_rate=hourly_rate), **dated)

    if kind in MILEAGE_TYPES:
        if amount.symbol:
            raise ParseError(f"mileage {_quote(amount.token)} must be a distance, not a money amount")
        if not amount.unit and rest and rest[0].casefold() in DISTANCE_UNITS:
            rest = rest[1:]
        miles = _cents(amount.value)
        converted = miles * _decimal(mileage_rate)
        _check_size(converted, amount.token)
        return ParsedExpense(type_, _cents(converted), miles, _notes(rest), tags, "mileage", **dated)

    value = _cents(amount.value)
    currency = None if currency == base_currency else currency
    return ParsedExpense(type_, value, value, _notes(rest), tags, "expense", currency, **dated)


def time_expense(
    type: str, minutes: Decimal, notes: str, tags: tuple[str, ...], *, hourly_rate: Decimal
) -> ParsedExpense:
    """The kind="time" expense for `minutes` of work: amount = hours x hourly_rate, to the cent."""
    minutes = _decimal(minutes)
    if minutes < 0:
        raise ParseError(f"time '{minutes} mins' must not be negative")
    _check_size(minutes, f"{minutes} mins")
    raw = _cents(minutes)
    amount = raw * _decimal(hourly_rate) / 60
    _check_size(amount, f"{raw} mins")
    return ParsedExpense(
        type=_type(type.split()),
        amount=_cents(amount),
        rawamount=raw,
        notes=_notes(notes.split()),
        tags=_unique_tags(tags),
        kind="time",
    )


def _clean_text(text: str) -> str:
    normalized = unicodedata.normalize("NFC", str(text or ""))
    return "".join(ch for ch in normalized if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs")).strip()


def _split_tags(tokens: list[str]) -> tuple[list[str], tuple[str, ...]]:
    words: list[str] = []
    tags: list[str] = []
    for token in tokens:
        match = _TAG_RE.fullmatch(token)
        if match:
            tags.append(match.group(1))
        else:
            words.append(token)
    return words, _unique_tags(tags)


def _unique_tags(tags) -> tuple[str, ...]:
    seen: set[str] = set()
    unique: list[str] = []
    for tag in tags:
        name = str(tag).lstrip("#")
        if not name or name.casefold() in seen:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ParseError(f"tag {_quote('#' + name)} is too long (maximum {MAX_TAG_LENGTH} characters)")
        seen.add(name.casefold())
        unique.append(name)
    return tuple(unique)


def _find_amount(words: list[str], *, units: frozenset[str]) -> tuple[int, _Amount | None]:
    """The index and value of the first amount; a number with one of `units` attached counts second."""
    for index, token in enumerate(words):
        if token[0] not in _AMOUNT_FIRST:  # most words: no regular expression to run
            continue
        match = _AMOUNT_RE.fullmatch(token)
        if match:
            return index, _amount(token, match)
        if _NUMBER_LIKE_RE.fullmatch(token):
            raise ParseError(
                f"amount {_quote(token)} is not a valid number: use digits with an optional '.' "
                "and up to two decimals, e.g. '45', '46.80' or '1,234.56'"
            )
        if units and index == 1:
            match = _WITH_UNIT_RE.fullmatch(token)
            if match:
                unit = match.group("unit").casefold()
                if unit not in units:
                    accepted = ", ".join(sorted(units, key=lambda u: (len(u), u)))
                    raise ParseError(
                        f"unknown unit {_quote(match.group('unit'))} in {_quote(token)}: use one of {accepted}"
                    )
                return index, _amount(token, match, unit=unit)
    return -1, None


def _amount(token: str, match: re.Match, unit: str = "") -> _Amount:
    decimals = match.group("dec") or ""
    if len(decimals) > 2:
        raise ParseError(f"amount {_quote(token)} has more than two decimals")
    digits = match.group("int").replace(",", "")
    value = Decimal(f"{digits}.{decimals or '0'}")
    groups = match.groupdict()
    if groups.get("sign") or groups.get("sign_first") or groups.get("prefix"):
        value = -value
    _check_size(value, token)
    return _Amount(token, value, groups.get("symbol") or groups.get("symbol_after") or "", unit)


def _is_measure(type_words: list[str]) -> bool:
    kind = " ".join(type_words).casefold()
    return kind == TIME_TYPE or kind in MILEAGE_TYPES


def _leading_when(words: list[str], today: dt.date, day_first: bool):
    """The words without a date/time phrase they start with, and the phrase; the phrase is only taken when
    a type and an amount follow it (`3 Nov taxi 12`; in `Nov 3` alone, 3 is the amount)."""
    found = leading_when(words, today=today, day_first=day_first)
    if found is None:
        return words, None
    rest = words[found[0] :]
    try:
        index, _ = _find_amount(rest, units=frozenset())
    except ParseError:
        index = 1  # the same token fails the whole parse below
    return (rest, found[1]) if index >= 1 else (words, None)


def _currency(amount: _Amount, type_words: list[str], rest: list[str], base_currency: str):
    """(type words, rest, the currency written or None), see entry_currency."""
    type_words, rest, found = currencies_next_to(amount.symbol, type_words, rest, base_currency)
    if len(found) > 1:
        raise ParseError(f"amount {_quote(amount.token)} has two currencies ({' and '.join(sorted(found))}): "
                         "write one, e.g. 'lunch 45 EUR' or 'lunch €45'")
    return type_words, rest, found.pop() if found else None


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _check_size(value: Decimal, shown: str) -> None:
    if abs(value) > MAX_AMOUNT:
        raise ParseError(f"amount {_quote(shown)} is too large (maximum {MAX_AMOUNT})")


def _cents(value: Decimal) -> Decimal:
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded else Decimal("0.00")


def _type(words: list[str]) -> str:
    type_ = " ".join(words)
    if len(type_) > MAX_TYPE_LENGTH:
        raise ParseError(f"expense type is too long ({len(type_)} characters, maximum {MAX_TYPE_LENGTH})")
    return type_


def _notes(words: list[str]) -> str:
    notes = " ".join(words)
    if len(notes) > MAX_NOTES_LENGTH:
        raise ParseError(f"notes are too long ({len(notes)} characters, maximum {MAX_NOTES_LENGTH})")
    return notes


def _quote(text: str, limit: int = 60) -> str:
    return f"'{text if len(text) <= limit else text[: limit - 1] + '…'}'"
