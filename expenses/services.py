"""Writes of expenses and tags. Each service validates everything before it writes anything."""

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from reports.models import Report
from reports.selectors import report_default, report_default_id_expression
from xpenser_server import sql
from xpenser_server.errors import InvalidInput
from xpenser_server.ids import parse_id

from . import parser
from .dates import ACCEPTED_FORMS, parse_datetime_input
from .models import Expense, Tag
from .selectors import expense_tags_prefetched

CENT = Decimal("0.01")
MIN_YEAR, MAX_YEAR = 1900, 2999  # expense dates outside these are typing mistakes
MAX_TAG_LENGTH = 100


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
        try:
            amount = Decimal(text.replace(",", "").lstrip("$€£¥"))
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


def _printable(value) -> str:
    """The text without control characters other than whitespace (PostgreSQL refuses NUL in text)."""
    text = str(value if value is not None else "")
    return "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs"))


def clean_type(value) -> str:
    text = " ".join(_printable(value).split())
    if not text:
        raise InvalidInput("type is required")
    if len(text) > parser.MAX_TYPE_LENGTH:
        raise InvalidInput(f"type is longer than {parser.MAX_TYPE_LENGTH} characters")
    return text


def clean_notes(value) -> str:
    text = _printable(value).strip()
    if len(text) > parser.MAX_NOTES_LENGTH:
        raise InvalidInput(f"notes are longer than {parser.MAX_NOTES_LENGTH} characters")
    return text


def clean_date(value, *, user) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    text = _printable(value).strip()
    try:
        when = parse_datetime_input(text, user.tzinfo)
    except (ValueError, OverflowError):
        raise InvalidInput(f"date: {text!r} is not a date; use {ACCEPTED_FORMS}") from None
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        raise InvalidInput(f"date: {text!r} is out of range; use a year from {MIN_YEAR} to {MAX_YEAR}")
    return when


def _is_blank(report) -> bool:
    return report is None or (not isinstance(report, Report) and str(report).strip() == "")


def resolve_report(*, user, report) -> Report:
    """The user's report given as an instance, an id, or None/'' for the default report."""
    if isinstance(report, Report):
        if report.owner_id != user.pk:
            raise InvalidInput(f"report {report.pk} does not exist")
        return report
    if _is_blank(report):
        return report_default(user=user)
    text = str(report).strip()
    report_id = parse_id(text)
    if report_id is None:
        raise InvalidInput(f"report: {text!r} is not a report id")
    found = Report.objects.filter(owner=user, pk=report_id).first()
    if found is None:
        raise InvalidInput(f"report {text} does not exist")
    return found


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
    return names


def _distinct_tags(names, tag_for) -> list[Tag]:
    """`tag_for(name)` for each name, each tag once, in the order first named."""
    tags, seen = [], set()
    for name in names:
        tag = tag_for(name)
        if tag.pk not in seen:
            seen.add(tag.pk)
            tags.append(tag)
    return tags


def tags_resolve(*, user, values, ids_allowed=True) -> list[Tag]:
    """The user's tags for the given names (created when missing) or, where allowed, tag ids."""

    def tag_for(name):
        tag = None
        if ids_allowed and parse_id(name) is not None:
            tag = Tag.objects.filter(owner=user, pk=parse_id(name)).first()
        return tag or tag_get_or_create(user=user, name=name)

    return _distinct_tags(split_tag_values(values), tag_for)


def _tag_name(value, *, field="tag name") -> str:
    """A tag name as stored: printable, single-spaced, without a leading '#', non-empty and short enough."""
    name = " ".join(_printable(value).split()).lstrip("#")
    if not name:
        raise InvalidInput(f"{field} is required")
    if len(name) > MAX_TAG_LENGTH:
        raise InvalidInput(f"{field} is longer than {MAX_TAG_LENGTH} characters")
    return name


def tag_find(*, user, name: str) -> Tag | None:
    """The user's tag with that name, case-insensitively as the unique constraint compares (`LOWER`), or None."""
    return sql.select_one(Tag, "owner_id = %s AND LOWER(name) = LOWER(%s)", [user.pk, _tag_name(name)])


def tag_get_or_create(*, user, name: str) -> Tag:
    return tag_find(user=user, name=name) or tag_create_or_get(user=user, name=name)


def tag_create_or_get(*, user, name: str) -> Tag:
    """A new tag with that name, or the one a concurrent request has just created."""
    name = _tag_name(name)
    try:
        with transaction.atomic():
            return Tag.objects.create(owner=user, name=name)
    except IntegrityError:
        # Created by a concurrent request meanwhile (the name is unique per owner, case-insensitively).
        tag = tag_find(user=user, name=name)
        if tag is None:
            raise
        return tag


@transaction.atomic
def expense_create(
    *, user, type=None, amount=None, rawamount=None, notes="", date=None, report=None, tags=(), sourceid="",
    category=None,
) -> Expense:  # fmt: skip
    """Create an expense from form-like values (strings are cleaned and validated)."""
    expense = Expense(
        owner=user,
        report=resolve_report(user=user, report=report),
        type=clean_type(type),
        amount=clean_amount(amount),
        notes=clean_notes(notes),
        date=clean_date(date, user=user) if date not in (None, "") else timezone.now(),
        sourceid=clean_text(sourceid or "")[:100],
        category=(clean_text(category)[:100] or None) if category else None,
    )
    expense.rawamount = clean_amount(rawamount, field="rawamount") if rawamount not in (None, "") else expense.amount
    tag_objects = tags_resolve(user=user, values=tags) if tags else []
    expense.save()
    if tag_objects:
        expense.tags.set(tag_objects)
    return expense


UPDATABLE_FIELDS = ("type", "amount", "rawamount", "notes", "date", "report", "tags", "category", "status")


@transaction.atomic
def expense_update(*, expense: Expense, data, tag_ids_allowed=True) -> Expense:
    """Update the given fields only; unknown fields are ignored, bad values raise InvalidInput.

    `tags` are names or, when `tag_ids_allowed` (the legacy family), tag ids.
    """
    user = expense.owner
    if "type" in data:
        expense.type = clean_type(data["type"])
    if "amount" in data:
        expense.amount = clean_amount(data["amount"])
        if "rawamount" not in data:
            expense.rawamount = expense.amount
    if "rawamount" in data:
        expense.rawamount = clean_amount(data["rawamount"], field="rawamount")
    if "notes" in data:
        expense.notes = clean_notes(data["notes"])
    if "date" in data:
        expense.date = clean_date(data["date"], user=user)
    if "report" in data or "report_id" in data:
        expense.report = resolve_report(user=user, report=data.get("report", data.get("report_id")))
    if "category" in data:
        expense.category = clean_text(data["category"] or "")[:100] or None
    if "status" in data:
        status = str(data["status"]).strip()
        if status not in ("1", "-1"):
            raise InvalidInput(f"status: {status!r} is not valid; use 1 (live) or -1 (deleted)")
        expense.status = int(status)
    tag_objects = None
    if "tags" in data:
        values = data.getlist("tags") if hasattr(data, "getlist") else data["tags"]
        tag_objects = tags_resolve(user=user, values=values, ids_allowed=tag_ids_allowed)
    expense.save()
    if tag_objects is not None:
        expense.tags.set(tag_objects)
    return expense


def expense_delete(*, expense: Expense) -> Expense:
    """Soft delete: the row stays with status -1 and a new `modified` (delta sync sees it)."""
    expense.status = Expense.DELETED
    expense.save(update_fields=["status"])
    return expense


@dataclass(frozen=True)
class TimerResult:
    """What a `Time start` / `Time stop` entry did; `expense` is set when a stop recorded one."""

    action: str
    started: dt.datetime
    notes: str
    expense: Expense | None = None
    stopped: dt.datetime | None = None


def simple_sourceid(user) -> str:
    return f"SP-{user.pk}-{timezone.now().replace(tzinfo=None).isoformat()}"


def expense_create_from_text(*, user, text: str, report=None) -> Expense | TimerResult:
    """Create an expense from free-form text (`lunch 45 with jack #cash`), or start/stop the timer.

    The user's rates are the ones the request authenticated with. Everything that only reads (report, known
    tags) is looked up before the write transaction, which then holds the database's write lock (SQLite has
    one for the whole file) for the inserts alone.
    """
    if text is None or not str(text).strip():
        raise InvalidInput("q is required: the expense text, e.g. 'lunch 45 with jack'")
    try:
        parsed = parser.parse_expense(str(text), mileage_rate=user.mileage_rate, hourly_rate=user.hourly_rate)
    except parser.ParseError as err:
        raise InvalidInput(str(err)) from None
    if isinstance(parsed, parser.TimerStart | parser.TimerStop):
        return _timer_from_parsed(user, parsed, report)
    # The default report's id is looked up by the INSERT itself (one statement fewer on the hottest path).
    target_report = None if _is_blank(report) else resolve_report(user=user, report=report)
    known_tags = {name: tag_find(user=user, name=name) for name in parsed.tags}
    expense = _expense_new(user, parsed, target_report)
    inserting = _expense_insert_statement(expense)
    try:
        with transaction.atomic():
            tags = _expense_insert(expense, parsed.tags, known_tags, inserting)
    except IntegrityError:
        # The report was deleted between the lookup and the insert (its foreign key fails on commit).
        if target_report is not None and not Report.objects.filter(pk=target_report.pk).exists():
            raise InvalidInput(f"report {target_report.pk} does not exist") from None
        raise
    expense_tags_prefetched(expense, tags)
    return expense


@transaction.atomic
def _timer_from_parsed(user, parsed, report) -> TimerResult:
    """`Time start` / `Time stop`: the timer state lives on the user row, locked while it changes."""
    user = User.objects.select_for_update().get(pk=user.pk)
    target_report = resolve_report(user=user, report=report)
    if isinstance(parsed, parser.TimerStart):
        if user.timer_started_at is not None:
            raise InvalidInput("a timer is already running; send 'Time stop' first")
        user.timer_started_at = timezone.now()
        user.timer_notes = parsed.notes
        user.timer_tags = " ".join(parsed.tags)
        user.save(update_fields=["timer_started_at", "timer_notes", "timer_tags"])
        return TimerResult("started", user.timer_started_at, parsed.notes)

    if user.timer_started_at is None:
        raise InvalidInput("no timer is running; send 'Time start' first")
    started, stopped = user.timer_started_at, timezone.now()
    elapsed = Decimal((stopped - started).total_seconds()) / 60
    minutes = max(elapsed.quantize(CENT, rounding=ROUND_HALF_UP), CENT)
    notes = parsed.notes or user.timer_notes
    tags = tuple(user.timer_tags.split()) + tuple(parsed.tags)
    parsed = parser.time_expense(parsed.type, minutes, notes, tags, hourly_rate=user.hourly_rate)
    user.timer_started_at = None
    user.timer_notes = user.timer_tags = ""
    user.save(update_fields=["timer_started_at", "timer_notes", "timer_tags"])
    expense = _expense_new(user, parsed, target_report, date=started)
    expense_tags_prefetched(expense, _expense_insert(expense, parsed.tags))
    return TimerResult("stopped", started, notes, expense, stopped)


def _expense_new(user, parsed, report, date=None) -> Expense:
    """The unsaved expense for parsed text (built before the write transaction, to keep that short)."""
    now = timezone.now()
    return Expense(
        owner=user,
        report=report,
        type=parsed.type,
        amount=parsed.amount,
        rawamount=parsed.rawamount,
        notes=parsed.notes,
        date=date or now,
        sourceid=simple_sourceid(user),
        created=now,
        modified=now,
    )


def _expense_insert_statement(expense: Expense) -> sql.PreparedInsert:
    """The INSERT of a new expense, its values prepared; without a report, the default one's id is computed
    by the statement itself (one lookup fewer)."""
    computed = None
    if expense.report_id is None:
        computed = {"report_id": report_default_id_expression(user=expense.owner)}
    return sql.PreparedInsert([expense], computed=computed)


def _expense_insert(expense: Expense, tag_names, known_tags=None, inserting=None) -> list[Tag]:
    """INSERT the new expense and link its tags (created where missing); returns the tags linked.

    `known_tags` holds tags looked up before the transaction (None: create it), `inserting` the expense's
    INSERT prepared before it. The simple API's hot path, so the inserts go through xpenser_server/sql.py.
    """
    known_tags = known_tags or {}
    user = expense.owner

    def tag_for(name):
        if name in known_tags:
            return known_tags[name] or tag_create_or_get(user=user, name=name)
        return tag_get_or_create(user=user, name=name)

    (inserting or _expense_insert_statement(expense)).run()
    tags = _distinct_tags(tag_names, tag_for)
    through = Expense.tags.through
    sql.insert([through(expense_id=expense.pk, tag_id=tag.pk) for tag in tags])
    return tags


def clean_tag_name(value, *, user, exclude_pk=None) -> str:
    """A new tag name: non-empty, short enough, and not taken (case-insensitively) by another tag."""
    name = _tag_name(value, field="name")
    if Tag.objects.filter(owner=user, name__iexact=name).exclude(pk=exclude_pk).exists():
        raise InvalidInput(f"a tag named {name!r} already exists")
    return name


@transaction.atomic
def tag_create(*, user, name) -> Tag:
    return Tag.objects.create(owner=user, name=clean_tag_name(name, user=user))


@transaction.atomic
def tag_rename(*, tag: Tag, name) -> Tag:
    name = clean_tag_name(name, user=tag.owner, exclude_pk=tag.pk)
    tag.name = name
    tag.save(update_fields=["name"])
    Expense.objects.filter(owner=tag.owner, tags=tag).update(modified=timezone.now())
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag) -> None:
    """Delete the tag and detach it from its expenses, which count as modified (delta sync)."""
    Expense.objects.filter(owner=tag.owner, tags=tag).update(modified=timezone.now())
    tag.delete()


def clean_text(value) -> str:
    """Any text a user sends, minus what cannot be stored or rendered (NUL, controls, lone surrogates)."""
    return _printable(value)


class ReceiptTooLarge(InvalidInput):
    """A receipt over the size limit: answered 413."""

    status_code = 413


# Leading bytes of the receipt formats we keep: the client's name and content type are not trusted.
RECEIPT_SIGNATURES = (
    (b"%PDF-", "PDF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)
RECEIPT_KINDS = "an image (JPEG, PNG, GIF, WebP, HEIC) or a PDF"
RECEIPT_EXTENSIONS = {"PDF": "pdf", "JPEG": "jpg", "PNG": "png", "GIF": "gif", "WebP": "webp", "HEIC": "heic"}
RECEIPT_MEDIA_TYPES = {
    "PDF": "application/pdf", "JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
    "WebP": "image/webp", "HEIC": "image/heic",
}  # fmt: skip


def receipt_kind(head: bytes) -> str | None:
    """The receipt format named by a file's first bytes (a key of RECEIPT_MEDIA_TYPES), or None."""
    for signature, kind in RECEIPT_SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
        return "HEIC"
    return None


def receipt_max_bytes() -> int:
    return settings.XPENSER_RECEIPT_MAX_BYTES


def _size_text(size: int) -> str:
    return f"{size / 1048576:g} MB" if size % 1048576 == 0 else f"{size} bytes"


def clean_receipt(upload):
    """An uploaded receipt: an image or a PDF (judged by its content) within XPENSER_RECEIPT_MAX_BYTES."""
    if not hasattr(upload, "read") or not hasattr(upload, "size"):
        raise InvalidInput("receipt must be a file upload (multipart/form-data)")
    name = clean_text(getattr(upload, "name", "") or "receipt")
    limit = receipt_max_bytes()
    if upload.size > limit:
        raise ReceiptTooLarge(f"receipt: {name!r} is {_size_text(upload.size)}; the maximum is {_size_text(limit)}")
    if upload.size == 0:
        raise InvalidInput(f"receipt: {name!r} is empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if receipt_kind(head) is None:
        raise InvalidInput(f"receipt: {name!r} is not {RECEIPT_KINDS}")
    return upload


@transaction.atomic
def expense_receipt_attach(*, expense: Expense, upload) -> Expense:
    """Store the receipt file (replacing and removing any previous one) and bump `modified`.

    The stored name always ends in the extension of the detected format: receipts are also served
    without credentials (see expenses.views.receipt_public), and must never come back as HTML or script
    whatever the uploaded file was called.
    """
    clean_receipt(upload)
    upload.seek(0)
    kind = receipt_kind(upload.read(16))
    upload.seek(0)
    stem = Path(clean_text(getattr(upload, "name", "") or "")).stem
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem).strip("._")[:60] or "receipt"
    previous = expense.receipt.name if expense.receipt else ""
    expense.receipt.save(f"{stem}.{RECEIPT_EXTENSIONS[kind]}", upload, save=False)
    expense.save(update_fields=["receipt"])
    if previous and previous != expense.receipt.name:
        _delete_file_after_commit(expense.receipt.storage, previous)
    return expense


@transaction.atomic
def expense_receipt_remove(*, expense: Expense) -> Expense:
    previous = expense.receipt.name
    if previous:
        expense.receipt = ""
        expense.save(update_fields=["receipt"])
        _delete_file_after_commit(expense.receipt.storage, previous)
    return expense


def _delete_file_after_commit(storage, name):
    transaction.on_commit(lambda: storage.delete(name))
