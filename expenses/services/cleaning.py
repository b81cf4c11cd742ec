"""Validation of the values an expense is made of; each raises InvalidInput naming the field and the problem."""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from xpenser_server.errors import InvalidInput
from xpenser_server.text import clean_line, clean_text

from .. import parser
from ..dates import ACCEPTED_FORMS, parse_datetime_input

CENT = Decimal("0.01")
MIN_YEAR, MAX_YEAR = 1900, 2999  # expense dates outside these are typing mistakes
MAX_TAG_LENGTH = parser.MAX_TAG_LENGTH
MAX_TAGS = parser.MAX_TAGS
STATUS_VALUES = {"1": 1, "-1": -1}
_GROUPED_NUMBER = re.compile(r"[-+]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?")  # 1,234.56 (not 0,500)
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+(_\d+)*\.?\d*|\.\d+)")  # 45, 45.5, .5, 1_000: what Decimal reads, no exponent


def clean_amount(value, *, field="amount") -> Decimal:
    """A money value from a form field ('45', '45.5', '$1,234.56') as a Decimal with two places."""
    if isinstance(value, bool):
        raise InvalidInput(f"{field}: {value!r} is not a number")
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    else:
        text = str(value if value is not None else "").strip()
        if not text:
            raise InvalidInput(f"{field} is required")
        number = text.lstrip("$€£¥").lstrip()
        if "," in number and not _GROUPED_NUMBER.fullmatch(number):
            # "12,5" is not 125: a comma only separates thousands (1,234.56).
            raise InvalidInput(f"{field}: {text!r} is not a number; write decimals with a point (12.50)")
        if not _PLAIN_NUMBER.fullmatch(number.replace(",", "")):  # no exponents (1e5), NaN or Infinity
            raise InvalidInput(f"{field}: {text!r} is not a number")
        try:
            amount = Decimal(number.replace(",", ""))
        except InvalidOperation:
            raise InvalidInput(f"{field}: {text!r} is not a number") from None
    if not amount.is_finite():
        raise InvalidInput(f"{field}: {value!r} is not a number")
    # Magnitude first: quantizing an absurd exponent ('1e999999') would itself fail.
    if amount and (amount.adjusted() > 12 or abs(amount) > parser.MAX_AMOUNT):
        raise InvalidInput(f"{field}: {value!r} is too large (maximum {parser.MAX_AMOUNT})")
    if (amount and amount.adjusted() < -2) or amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise InvalidInput(f"{field}: {value!r} has more than two decimal places")
    return amount.quantize(CENT)


def clean_type(value) -> str:
    text = clean_line(value)
    if not text:
        raise InvalidInput("type is required")
    if len(text) > parser.MAX_TYPE_LENGTH:
        raise InvalidInput(f"type is longer than {parser.MAX_TYPE_LENGTH} characters")
    return text


def clean_notes(value) -> str:
    text = clean_text(value).strip()
    if len(text) > parser.MAX_NOTES_LENGTH:
        raise InvalidInput(f"notes are longer than {parser.MAX_NOTES_LENGTH} characters")
    return text


def clean_date(value, *, user) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    text = clean_text(value).strip()
    try:
        when = parse_datetime_input(text, user.tzinfo)
    except (ValueError, OverflowError):
        raise InvalidInput(f"date: {text!r} is not a date; use {ACCEPTED_FORMS}") from None
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        raise InvalidInput(f"date: {text!r} is out of range; use a year from {MIN_YEAR} to {MAX_YEAR}")
    return when


def clean_status(value) -> int:
    status = str(value).strip()
    if status not in STATUS_VALUES:
        raise InvalidInput(f"status: {status!r} is not valid; use 1 (live) or -1 (deleted)")
    return STATUS_VALUES[status]


def clean_short_text(value, *, limit: int = 100) -> str:
    """sourceid and category: printable text, cut to the column's length."""
    return clean_text(value or "")[:limit]


def split_tag_values(values) -> list[str]:
    """Tag values from forms: repeated fields and/or comma/space separated, '#' optional."""
    if isinstance(values, str):
        values = [values]
    names = []
    for raw in values or []:
        for part in str(raw).replace(",", " ").split():
            name = part.lstrip("#")
            if name:
                names.append(name)
    if len(set(names)) > MAX_TAGS:
        raise InvalidInput(f"tags: {len(set(names))} names; an expense carries at most {MAX_TAGS}")
    return names


def clean_tag_name(value, *, field="tag name") -> str:
    """A tag name as stored: printable, single-spaced, without a leading '#', non-empty and short enough."""
    name = clean_line(value).lstrip("#")
    if not name:
        raise InvalidInput(f"{field} is required")
    if "," in name:
        # Lists of tags are comma-separated everywhere (forms, filters, CSV): a comma cannot be in a name.
        raise InvalidInput(f"{field}: {name!r} contains a comma; tag names cannot")
    if len(name) > MAX_TAG_LENGTH:
        raise InvalidInput(f"{field} is longer than {MAX_TAG_LENGTH} characters")
    return name
