"""Parsing and formatting of the API's dates and timestamps."""

import datetime as dt
from dataclasses import dataclass

from dateutil import parser as dateutil_parser

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
ACCEPTED_FORMS = "'01 Aug 2009', '2009-08-26', '2009-08-26 00:00:00' or ISO 8601 ('2009-08-26T00:00:00Z')"

_DATE_ONLY = ("%d %b %Y", "%d %B %Y", "%Y-%m-%d")
_DATETIME = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")


# The widest UTC offset accepted (PostgreSQL refuses offsets beyond it; real zones stay within -12 and +14 h).
MAX_OFFSET = dt.timedelta(hours=15, minutes=59)


def _offset_checked(when: dt.datetime, value: str) -> dt.datetime:
    """`when`, unless its UTC offset is a day or more (Python cannot use it) or beyond MAX_OFFSET."""
    try:
        offset = when.utcoffset()
    except ValueError:
        offset = None
        out_of_range = True
    else:
        out_of_range = offset is not None and abs(offset) > MAX_OFFSET
    if out_of_range:
        raise ValueError(f"unrecognised date {value!r}: a UTC offset lies between -15:59 and +15:59")
    return when


@dataclass(frozen=True)
class Moment:
    """A parsed filter value: an aware start instant and its precision (a whole day or one second)."""

    start: dt.datetime
    whole_day: bool

    @property
    def end(self) -> dt.datetime:
        return self.start + (dt.timedelta(days=1) if self.whole_day else dt.timedelta(seconds=1))


def parse_moment(value: str, tz: dt.tzinfo) -> Moment:
    """Parse a date or timestamp in any accepted form; naive values are in `tz`. Raises ValueError."""
    text = " ".join((value or "").replace("+", " ").split()) if "T" not in (value or "") else value.strip()
    if not text:
        raise ValueError("empty value")
    for fmt in _DATE_ONLY:
        try:
            day = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return Moment(day.replace(tzinfo=tz), whole_day=True)
    for fmt in _DATETIME:
        try:
            when = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return Moment(when.replace(tzinfo=tz), whole_day=False)
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"unrecognised date {value!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=tz)
    return Moment(_offset_checked(when, value), whole_day=False)


def existing_time(when: dt.datetime) -> dt.datetime:
    """`when` as the wall-clock time it is stored as: a local time that a daylight-saving change skips (02:30
    on a spring-forward night) moves on by the gap (03:30), so what a write answers is what a read gives."""
    return when.astimezone(dt.UTC).astimezone(when.tzinfo)


def parse_datetime_input(value: str, tz: dt.tzinfo) -> dt.datetime:
    """Parse an expense date given on create/update: every filter form plus common free forms."""
    try:
        return existing_time(parse_moment(value, tz).start)
    except ValueError as refused:
        if "UTC offset" in str(refused):
            raise
    try:
        when = dateutil_parser.parse(value, dayfirst=False)
    except (ValueError, OverflowError, TypeError):
        raise ValueError(f"unrecognised date {value!r}") from None
    return _offset_checked(when, value) if when.tzinfo else existing_time(when.replace(tzinfo=tz))


def is_utc(tz) -> bool:
    """Whether `tz` is UTC (the default zone), as datetime.UTC or zoneinfo's "UTC"."""
    return tz is dt.UTC or getattr(tz, "key", None) == "UTC"


def format_timestamp(value: dt.datetime | None, tz: dt.tzinfo) -> str | None:
    """`YYYY-MM-DD HH:MM:SS` in the user's time zone (text from selectors.expense_rows is already that)."""
    if value is None or type(value) is str:
        return value
    if value.tzinfo is dt.UTC and is_utc(tz) and value.year >= 1000:
        # Already in the user's zone (UTC, the default): astimezone(ZoneInfo) would cost twice the formatting.
        return value.isoformat(" ", "seconds")[:19]
    local = value.astimezone(tz)
    # Four-digit year always (strftime and isoformat do not pad years before 1000 the same way);
    # isoformat is several times faster than strftime, and this runs three times per exported row.
    if local.year < 1000:
        return f"{local.year:04d}-{local:%m-%d %H:%M:%S}"
    return local.isoformat(" ", "seconds")[:19]
