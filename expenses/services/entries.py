"""Free-form entries (`lunch 45 with jack #cash`) and the `Time start` / `Time stop` timer."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from reports.models import Report
from xpenser_server.errors import InvalidInput

from .. import parser
from ..dates import existing_time
from ..events import expenses_changed_on_commit
from ..models import Expense, Timer
from .cleaning import CENT, MAX_TAGS
from .expenses import resolve_report
from .money import expense_money_in_base, expense_money_set
from .tags import tags_get_or_create, tags_named

TEXT_REQUIRED = "q is required: the expense text, e.g. 'lunch 45 with jack'"


@dataclass(frozen=True)
class TimerResult:
    """What a `Time start` / `Time stop` entry did; `expense` is set when a stop recorded one."""

    action: str
    started: dt.datetime
    notes: str
    expense: Expense | None = None
    stopped: dt.datetime | None = None


@dataclass(frozen=True)
class EntryResult:
    """How a free-form entry was read (parser.ParsedExpense or parser.TimerCommand) and what it recorded: the
    expense, and for a timer command what the timer did (a stop records an expense too)."""

    reading: parser.ParsedExpense | parser.TimerCommand
    expense: Expense | None
    timer: TimerResult | None = None


@dataclass(frozen=True)
class EntryPreview:
    """What a free-form entry would record: the reading, the date it would carry (None for a timer command)
    and the report it would go to."""

    reading: parser.ParsedExpense | parser.TimerCommand
    date: dt.datetime | None
    report: Report


def _entry_read(user, text, required: str, now):
    """The parser's reading of the text with the user's settings; InvalidInput (`required` when blank)."""
    if text is None or not str(text).strip():
        raise InvalidInput(required)
    try:
        parsed = parser.parse_expense(
            str(text), mileage_rate=user.mileage_rate, hourly_rate=user.hourly_rate, base_currency=user.base_currency,
            today=timezone.localdate(now, user.tzinfo), day_first=user.day_first,
        )  # fmt: skip
    except parser.ParseError as err:
        raise InvalidInput(str(err)) from None
    return _tag_count_checked(parsed)


def _tag_count_checked(reading):
    if len(reading.tags) > MAX_TAGS:
        raise InvalidInput(f"{len(reading.tags)} tags: an expense carries at most {MAX_TAGS}")
    return reading


def entry_preview(*, user, text: str, report=None) -> EntryPreview:
    """Read free-form text as entry_create would, writing nothing; InvalidInput when it would be refused."""
    now = timezone.now()
    parsed = _entry_read(user, text, TEXT_REQUIRED, now)
    target = resolve_report(user=user, report=report)
    if isinstance(parsed, parser.TimerCommand):
        return EntryPreview(parsed, None, target)
    return EntryPreview(parsed, entry_date(parsed, user.tzinfo, now), target)


def simple_sourceid(user) -> str:
    return f"SP-{user.pk}-{timezone.now().replace(tzinfo=None).isoformat()}"


def expense_create_from_text(*, user, text: str, report=None) -> Expense | TimerResult:
    """Create an expense from free-form text (`lunch 45 with jack #cash`), or start/stop the timer.

    The user's settings are the ones the request authenticated with. Reads (the report, the known tags, the
    rate of an amount in another currency) come before the write: the clock's UPDATE and the INSERT when the
    text has no tags. An amount whose rate is not on file yet is saved at 0.00 and converted when the rate
    arrives (`expense.awaiting_rate`).
    """
    entry = entry_create(user=user, text=text, report=report, required=TEXT_REQUIRED)
    return entry.timer if entry.timer is not None else entry.expense


def entry_create(*, user, text: str, report=None, required="text is required: e.g. 'lunch 45 with jack'"):
    """Read free-form text and record it: an EntryResult with the reading and the expense (or timer change)."""
    now = timezone.now()
    parsed = _entry_read(user, text, required, now)
    if isinstance(parsed, parser.TimerCommand):
        timer = timer_command(user=user, command=parsed, report=report)
        return EntryResult(parsed, timer.expense, timer)
    return EntryResult(parsed, _expense_from_reading(user, parsed, report, now))


def _expense_from_reading(user, parsed, report, now) -> Expense:
    target = resolve_report(user=user, report=report)
    known_tags = tags_named(user=user, names=parsed.tags)
    expense = _expense_new(user, parsed, target, date=entry_date(parsed, user.tzinfo, now), now=now)
    try:
        _expense_save(expense, parsed.tags, known_tags)
    except IntegrityError:
        # The report was deleted between the lookup and the insert (its foreign key refused the row).
        if not Report.objects.owned_by(user).filter(pk=target.pk).exists():
            raise InvalidInput(f"report {target.pk} does not exist") from None
        raise
    return expense


def timer_command(*, user, command: parser.TimerCommand, report=None) -> TimerResult:
    if command.action == "start":
        return timer_start(user=user, notes=command.notes, tags=command.tags)
    return timer_stop(user=user, notes=command.notes, tags=command.tags, type=command.type, report=report)


def timer_start(*, user, notes: str = "", tags=()) -> TimerResult:
    """Start the user's timer; refused while one runs (one row per user: the database decides races)."""
    try:
        with transaction.atomic():
            timer = Timer.objects.create(owner=user, started_at=timezone.now(), notes=notes, tags=" ".join(tags))
    except IntegrityError:
        raise InvalidInput("a timer is already running; send 'Time stop' first") from None
    return TimerResult("started", timer.started_at, notes)


@transaction.atomic
def timer_stop(*, user, notes: str = "", tags=(), type: str = "Time", report=None) -> TimerResult:
    """Stop the running timer and record the elapsed minutes as a time expense (hours x hourly rate)."""
    target = resolve_report(user=user, report=report)
    timer = Timer.objects.owned_by(user).select_for_update().first()
    if timer is None:
        raise InvalidInput("no timer is running; send 'Time start' first")
    started, stopped = timer.started_at, timezone.now()
    elapsed = Decimal((stopped - started).total_seconds()) / 60
    minutes = max(elapsed.quantize(CENT, rounding=ROUND_HALF_UP), CENT)
    notes = notes or timer.notes
    try:
        parsed = parser.time_expense(type, minutes, notes, (*timer.tag_names, *tags), hourly_rate=user.hourly_rate)
    except parser.ParseError as err:
        raise InvalidInput(str(err)) from None
    _tag_count_checked(parsed)  # the start's tags and the stop's together
    timer.delete()
    expense = _expense_new(user, parsed, target, date=started)
    _expense_save(expense, parsed.tags)
    return TimerResult("stopped", started, notes, expense, stopped)


def timer_get(*, user) -> Timer | None:
    return Timer.objects.owned_by(user).first()


def entry_date(parsed: parser.ParsedExpense, tz, now: dt.datetime) -> dt.datetime:
    """The date an entry gives, in the user's time zone: now unless written; a day without a time is that
    day at midnight (today: now), a time without a day is today."""
    if parsed.date is None and parsed.time is None:
        return now
    local_now = timezone.localtime(now, tz)
    day = parsed.date or local_now.date()
    if parsed.time is None:
        return now if day == local_now.date() else existing_time(dt.datetime.combine(day, dt.time(0), tzinfo=tz))
    return existing_time(dt.datetime.combine(day, parsed.time, tzinfo=tz))


def _expense_new(user, parsed, report, date=None, now=None) -> Expense:
    now = now or timezone.now()
    expense = Expense(
        owner=user, report=report, type=parsed.type, rawamount=parsed.rawamount, notes=parsed.notes,
        date=date or now, sourceid=simple_sourceid(user), created=now, modified=now,
    )  # fmt: skip
    if parsed.currency:
        expense_money_set(expense, amount=parsed.rawamount, currency=parsed.currency, target=user.base_currency,
                          tz=user.tzinfo)  # fmt: skip
    else:
        expense_money_in_base(expense, amount=parsed.amount, base=user.base_currency)
    return expense


def _expense_save(expense: Expense, tag_names, known_tags=None) -> None:
    """INSERT the new expense; with tags, in one transaction with the missing tags and the links."""
    with transaction.atomic():
        tags = tags_get_or_create(user=expense.owner, names=tag_names, known=known_tags) if tag_names else []
        expense.save(force_insert=True)
        if tags:
            expense.tags.add(*tags)
        expenses_changed_on_commit(user=expense.owner, expense_ids=[expense.pk], action="created")
    expense.tag_list = sorted(tags, key=lambda tag: (tag.name, tag.pk))
