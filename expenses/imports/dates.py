"""Dates as files write them: `2009-08-26 14:28:00`, `08/26/2009`, `26.08.2009`, `8/26/09`, `8/26'09`
(Quicken's apostrophe before a year from 2000), `26 Aug 2009`, ISO 8601 with a zone.

Numeric dates are read in one order for the whole file (date_order decides it from all the dates, or the
user names it); two-digit years follow POSIX `%y` (69-99: 1900s, 00-68: 2000s), except after Quicken's `'`,
which always means 2000 and later. Pure functions, no Django; naive results are in the account's zone.
"""

import datetime as dt
import re

from dateutil import parser as dateutil_parser

ORDERS = ("MDY", "DMY", "YMD")
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,4})\s*(?P<s1>[/.\-])\s*(?P<b>\d{1,2})\s*(?P<s2>[/.\-]?'|[/.\-])\s*(?P<c>\d{1,4})\.?"
    r"(?:[ T,]+(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?))?$"
)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")


def _numeric_parts(text: str):
    match = _NUMERIC.match(" ".join(text.split()))
    return match.groupdict() if match else None


def _is_year(part: str) -> bool:
    return len(part) in (3, 4)


def date_order(texts, *, default: str = "MDY") -> tuple[str, bool]:
    """The order of the numeric dates in `texts` and whether it was a guess.

    A day above 12 tells the day from the month; a file whose dates never show it is read in `default`
    (Quicken's own order) and reported as ambiguous. Raises ValueError when no order fits every date.
    """
    possible = {"MDY", "DMY"}
    ymd = seen = 0
    for text in texts:
        parts = _numeric_parts(str(text))
        if parts is None:
            continue
        seen += 1
        if _is_year(parts["a"]):
            ymd += 1
            continue
        first, second = int(parts["a"]), int(parts["b"])
        if first > 12:
            possible.discard("MDY")
        if second > 12:
            possible.discard("DMY")
    if seen and ymd == seen:
        return "YMD", False
    if not possible:
        raise ValueError("the dates mix day-first and month-first orders; name the order (date_order)")
    if len(possible) == 1:
        return possible.pop(), False
    return default, seen > 0


def _year(text: str, separator: str) -> int:
    year = int(text)
    if len(text) > 2:
        return year
    if separator.endswith("'"):
        return 2000 + year
    return 2000 + year if year < 69 else 1900 + year


def _time(text: str | None) -> dt.time:
    if not text:
        return dt.time()
    text = text.strip().upper()
    meridiem = text[-2:] if text[-2:] in ("AM", "PM") else ""
    clock = text[: -2].strip() if meridiem else text
    pieces = clock.split(":")
    hour, minute = int(pieces[0]), int(pieces[1])
    second = float(pieces[2]) if len(pieces) > 2 else 0.0
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range")
        hour = hour % 12 + (12 if meridiem == "PM" else 0)
    return dt.time(hour, minute, int(second))


def parse_date(text, *, order: str = "MDY", date_format: str | None = None) -> dt.datetime:
    """The moment written in `text`: naive unless the text names a zone. Raises ValueError."""
    raw = " ".join(str(text if text is not None else "").split())
    if not raw:
        raise ValueError("is empty")
    if date_format:
        try:
            return dt.datetime.strptime(raw, date_format)
        except ValueError:
            raise ValueError(f"{raw!r} does not match the date format {date_format!r}") from None
    if _ISO.match(raw):
        try:
            return dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{raw!r} is not a date") from None
    parts = _numeric_parts(raw)
    try:
        if parts is not None:
            return _numeric_date(parts, order)
        # Month names ("26 Aug 2009", "Aug 26, 2009"): the order matters only for all-number forms.
        return dateutil_parser.parse(raw, dayfirst=order == "DMY", yearfirst=order == "YMD")
    except (ValueError, OverflowError, TypeError):
        raise ValueError(f"{raw!r} is not a date" + ("" if parts is None else f" read as {order}")) from None


def _numeric_date(parts: dict, order: str) -> dt.datetime:
    a, b, c = parts["a"], parts["b"], parts["c"]
    if _is_year(a) or order == "YMD":
        year, month, day = _year(a, parts["s1"]), int(b), int(c)
    else:
        year = _year(c, parts["s2"])
        month, day = (int(a), int(b)) if order != "DMY" else (int(b), int(a))
    return dt.datetime.combine(dt.date(year, month, day), _time(parts["time"]))
