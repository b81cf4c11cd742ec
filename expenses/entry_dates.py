"""Dates and times written at the start or the end of an expense text (pure Python: no Django).

`yesterday`, `today`, weekday names (`monday`, and `mon` at the end: the most recent one, today included),
`3 Nov`, `Nov 3` (optionally with a year; without one, the most recent such day or one in the coming month),
`2026-11-03`, `3/11` (day/month order is the user's setting), each optionally preceded by `on`; times
`at 13:30`, `at 1pm`, `at 1:30pm` (`13:30` also without `at`).
"""

import datetime as dt
import re
from dataclasses import dataclass

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")  # fmt: skip
MONTHS = {**{name: n for n, name in enumerate(_MONTH_NAMES, 1)},
          **{name[:3]: n for n, name in enumerate(_MONTH_NAMES, 1)}, "sept": 9}  # fmt: skip
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS = {name: n for n, name in enumerate(_DAY_NAMES)}
# Abbreviations count at the end of the text only: at the start, `Sat nav 45` and `Sun cream 12` are types.
WEEKDAY_ABBREVIATIONS = {**{name[:3]: n for n, name in enumerate(_DAY_NAMES)}, "tues": 1, "thur": 3, "thurs": 3}
RELATIVE_DAYS = {"today": 0, "yesterday": -1}
# A word before a trailing weekday that makes it a noun ("in the sun"), not a date.
_NOUN_MARKERS = frozenset({"the", "a"})

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?")
_DAY_NUMBER = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?,?")
_YEAR = re.compile(r"\d{4}")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(am|pm)?")
_HOUR = re.compile(r"(\d{1,2})(am|pm)")
MIN_YEAR, MAX_YEAR = 1900, 2999
FUTURE_DAYS = 31
MAX_PHRASE_WORDS = 6  # on + three date words + at + a time


@dataclass(frozen=True)
class When:
    date: dt.date | None
    time: dt.time | None


def leading_when(words: list[str], *, today: dt.date | None, day_first: bool) -> tuple[int, When] | None:
    """The longest date/time phrase the words start with: (its word count, When), or None.

    `today` is the user's local date (None: the machine's)."""
    if not words or not _may_start_phrase(words[0].casefold()):
        return None
    today = today or dt.date.today()
    for count in range(min(MAX_PHRASE_WORDS, len(words)), 0, -1):
        when = _phrase([w.casefold() for w in words[:count]], today, day_first, at_end=False)
        if when is not None:
            return count, when
    return None


def trailing_when(words: list[str], *, today: dt.date | None, day_first: bool) -> tuple[int, When] | None:
    """The longest date/time phrase the words end with: (its word count, When), or None."""
    if not words or not _may_end_phrase(words):
        return None
    today = today or dt.date.today()
    for count in range(min(MAX_PHRASE_WORDS, len(words)), 0, -1):
        when = _phrase([w.casefold() for w in words[-count:]], today, day_first, at_end=True)
        if when is not None:
            before = words[-count - 1].casefold() if count < len(words) else ""
            if before in _NOUN_MARKERS and count == 1:
                return None
            return count, when
    return None


def _may_start_phrase(word: str) -> bool:
    """A cheap test first: most texts start with words no phrase can start with."""
    return word[:1].isdigit() or word in RELATIVE_DAYS or word in WEEKDAYS or word in ("on", "at") \
        or word in MONTHS


def _may_end_phrase(words: list[str]) -> bool:
    """A cheap test first: most texts end with words no phrase can end with (`12 of 30` ends with a number
    that only a month before it makes a day)."""
    last = words[-1].casefold()
    if last in RELATIVE_DAYS or last in WEEKDAYS or last in WEEKDAY_ABBREVIATIONS or last in MONTHS:
        return True
    if not last[:1].isdigit():
        return False
    if _CLOCK.fullmatch(last) or _ISO_DATE.fullmatch(last) or _SLASH_DATE.fullmatch(last):
        return True
    before = words[-2].casefold() if len(words) > 1 else ""
    if _HOUR.fullmatch(last):
        return before == "at"
    if _YEAR.fullmatch(last):
        return before in MONTHS or bool(_DAY_NUMBER.fullmatch(before))
    return bool(_DAY_NUMBER.fullmatch(last)) and before in MONTHS


def _phrase(words: list[str], today: dt.date, day_first: bool, *, at_end: bool) -> When | None:
    """`[on] DATE [at TIME]` or `[at] TIME [[on] DATE]`, using every word, else None."""
    day, used = _date_part(words, 0, today, day_first, at_end)
    if day is not None:
        time, more = _time_part(words, used)
        return When(day, time) if used + more == len(words) else None
    time, used = _time_part(words, 0)
    if time is None:
        return None
    if used == len(words):
        return When(None, time)
    day, more = _date_part(words, used, today, day_first, at_end)
    return When(day, time) if day is not None and used + more == len(words) else None


def _date_part(words, start, today, day_first, at_end) -> tuple[dt.date | None, int]:
    skip = 1 if start < len(words) and words[start] == "on" else 0
    found, used = _date(words[start + skip : start + skip + 3], today, day_first, at_end)
    return (found, skip + used) if found is not None else (None, 0)


def _time_part(words, start) -> tuple[dt.time | None, int]:
    if start < len(words) and words[start] == "at" and start + 1 < len(words):
        found = _clock(words[start + 1], bare=False)
        return (found, 2) if found is not None else (None, 0)
    found = _clock(words[start], bare=True) if start < len(words) else None
    return (found, 1) if found is not None else (None, 0)


def _date(words: list[str], today: dt.date, day_first: bool, at_end: bool) -> tuple[dt.date | None, int]:
    """The date the first one to three words spell, and how many words it takes (longest first)."""
    if not words:
        return None, 0
    first = words[0]
    if first in RELATIVE_DAYS:
        return today + dt.timedelta(days=RELATIVE_DAYS[first]), 1
    weekday = WEEKDAYS.get(first, WEEKDAY_ABBREVIATIONS.get(first) if at_end else None)
    if weekday is not None:
        return today - dt.timedelta(days=(today.weekday() - weekday) % 7), 1
    if match := _ISO_DATE.fullmatch(first):
        return _valid(*map(int, match.groups())), 1
    if match := _SLASH_DATE.fullmatch(first):
        a, b, year = int(match[1]), int(match[2]), match[3]
        day, month = (a, b) if day_first else (b, a)
        if year:
            return _valid(int(year) + (2000 if len(year) == 2 else 0), month, day), 1
        return _nearest(month, day, today), 1
    if len(words) >= 2:
        day_word, month_word = (first, words[1]) if first[:1].isdigit() else (words[1], first)
        day_match = _DAY_NUMBER.fullmatch(day_word)
        if day_match and month_word in MONTHS:
            day, month = int(day_match[1]), MONTHS[month_word]
            if len(words) >= 3 and _YEAR.fullmatch(words[2]):
                found = _valid(int(words[2]), month, day)
                if found is not None:
                    return found, 3
            if not day_word.endswith(",") or month_word == first:
                return _nearest(month, day, today), 2
    return None, 0


def _valid(year: int, month: int, day: int) -> dt.date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest(month: int, day: int, today: dt.date) -> dt.date | None:
    """A day and month without a year: the most recent such day, or the one in the next FUTURE_DAYS days
    (expenses are mostly past; a booking may be a few weeks ahead)."""
    latest = today + dt.timedelta(days=FUTURE_DAYS)
    candidates = [found for year in (today.year - 1, today.year, today.year + 1)
                  if (found := _valid(year, month, day)) is not None and found <= latest]  # fmt: skip
    return max(candidates, default=None)


def _clock(word: str, *, bare: bool) -> dt.time | None:
    """`13:30`, `1:30pm`, `1pm` (a bare word only in the `13:30` form: `3pm` alone may be a note)."""
    match = _CLOCK.fullmatch(word)
    if match:
        hour, minute, half = int(match[1]), int(match[2]), match[3]
    elif not bare and (match := _HOUR.fullmatch(word)):
        hour, minute, half = int(match[1]), 0, match[2]
    else:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)
