"""The European Central Bank's euro foreign exchange reference rates in its XML format (pure Python).

The feeds (eurofxref-daily.xml, eurofxref-hist-90d.xml, eurofxref-hist.xml) are a gesmes envelope of
`<Cube time="YYYY-MM-DD">` days, each holding `<Cube currency="USD" rate="1.0804"/>`: units of the
currency for one euro. They are parsed with defusedxml (no entity expansion, no external references).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

FEEDS = {
    "daily": "eurofxref-daily.xml",
    "90d": "eurofxref-hist-90d.xml",
    "history": "eurofxref-hist.xml",
}
DEFAULT_BASE_URL = "https://www.ecb.europa.eu/stats/eurofxref/"
MAX_RATE = Decimal("999999999999")


class FeedError(ValueError):
    """A file that is not an ECB reference rate feed; the message says what is wrong."""


@dataclass(frozen=True)
class RateDay:
    day: dt.date
    rates: dict[str, Decimal]  # currency -> units per euro


def parse_feed(source) -> list[RateDay]:
    """The days of a feed (a path or a binary file object), oldest first. Raises FeedError."""
    days: list[RateDay] = []
    current: dict[str, Decimal] | None = None
    try:
        for event, element in iterparse(source, events=("start", "end")):
            if _local(element.tag) != "Cube":
                continue
            if event == "start" and "time" in element.attrib:
                current = {}
                day = _day(element.attrib["time"])
            elif event == "end" and "currency" in element.attrib and current is not None:
                current[_currency(element.attrib["currency"])] = _rate(element.attrib.get("rate", ""))
            elif event == "end" and "time" in element.attrib and current is not None:
                if current:
                    days.append(RateDay(day, current))
                current = None
                element.clear()
    except (ParseError, DefusedXmlException) as err:
        raise FeedError(f"not a readable ECB rates file: {err}") from None
    if not days:
        raise FeedError("no rates found: expected the ECB's <Cube time=...><Cube currency=... rate=.../> format")
    return sorted(days, key=lambda rate_day: rate_day.day)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise FeedError(f"day {text!r} is not a date (YYYY-MM-DD)") from None


def _currency(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise FeedError(f"currency {text!r} is not a three-letter code")
    return code


def _rate(text: str) -> Decimal:
    try:
        rate = Decimal(text.strip())
    except InvalidOperation:
        raise FeedError(f"rate {text!r} is not a number") from None
    if not rate.is_finite() or rate <= 0 or rate > MAX_RATE:
        raise FeedError(f"rate {text!r} is not a positive number")
    return rate
