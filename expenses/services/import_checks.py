"""The account's rules applied to the records of an import file: values cleaned as every other write cleans
them, reports and tags resolved, duplicates of the account's expenses found. Reads only; nothing is written."""

import datetime as dt
from dataclasses import dataclass, field

from reports.models import Report
from reports.services import clean_report_name
from xpenser_server.errors import InvalidInput
from xpenser_server.text import caseless

from ..dates import format_timestamp
from ..imports.results import ImportResult, ImportRow
from ..models import Expense, Tag
from ..serializers import money
from .cleaning import MAX_YEAR, MIN_YEAR, clean_amount, clean_notes, clean_short_text, clean_tag_name, clean_type
from .money import clean_currency, expense_money_in_base, expense_money_set

_BATCH = 500


@dataclass
class Candidate:
    """A row that passed every check: the unsaved expense, and what it needs created first."""

    row: ImportRow
    expense: Expense
    report_name: str | None = None  # a report to create by this name (expense.report is then unset)
    tag_names: list[str] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)  # the account's tags named by id


class AccountData:
    """The account's reports and tags, read once for the whole file."""

    def __init__(self, user, target: Report):
        self.user, self.target = user, target
        self.reports = {report.pk: report for report in Report.objects.owned_by(user).order_by("pk")}
        self.report_names = {}
        for report in self.reports.values():
            self.report_names.setdefault(report.name.casefold(), report)
        self.tags = {tag.pk: tag for tag in Tag.objects.owned_by(user).order_by("pk")}
        self.tag_names = {tag.name_key: tag for tag in self.tags.values()}


def _clean(check, errors: list[str], *args, **kwargs):
    try:
        return check(*args, **kwargs)
    except InvalidInput as err:
        errors.append(err.message)
        return None


def _text(amount) -> str | None:
    """An amount as text, so that refusals quote it as written ('1.005', not Decimal('1.005'))."""
    return None if amount is None else str(amount)


def _date(value, user, errors: list[str]) -> dt.datetime | None:
    if value is None:
        errors.append("date is required")
        return None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        errors.append(f"date: {value:%Y-%m-%d} is out of range; use a year from {MIN_YEAR} to {MAX_YEAR}")
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=user.tzinfo)


def _money(expense: Expense, values: dict, user, errors: list[str]) -> None:
    """The money of a record that names its currency (this server's v2 exports, a bank's `currency` column):
    kept with the file's rate when the file's amount is in the base currency, else the original money converted
    at the rate of the expense's date. Without a currency the amount is in the base currency (rate 1)."""
    if values.get("original_currency") is None or errors:
        return
    code = _clean(clean_currency, errors, values["original_currency"], field="original_currency")
    original = values.get("original_amount", expense.amount)
    original = _clean(clean_amount, errors, _text(original), field="original_amount")
    if code is None or original is None:
        return
    base = user.base_currency
    if code == base:
        expense_money_in_base(expense, amount=original, base=base)
    elif values.get("rate") and values.get("amount_currency", "").upper() == base and "original_amount" in values:
        expense.original_amount, expense.original_currency, expense.amount_currency = original, code, base
        expense.rate, expense.rate_date = values["rate"], values.get("rate_date")
    else:
        _clean(expense_money_set, errors, expense, amount=original, currency=code, target=base, tz=user.tzinfo)
    if values.get("rawamount") is None:
        expense.rawamount = original


def _report(values: dict, account: AccountData, row: ImportRow) -> tuple[Report | None, str | None]:
    """The report a record names (by name first, then by id), else the import's target report."""
    name = values.get("report_name")
    if name is not None:
        name = _clean(clean_report_name, row.errors, name)
        if name is None:
            return None, None
        found = account.report_names.get(name.casefold())
        if found is None:
            row.warnings.append(f"report {name!r} does not exist yet: it is created")
        return found, None if found else name
    report_id = values.get("report_id")
    if report_id is not None and report_id not in account.reports:
        row.warnings.append(f"report {report_id} is not one of this account's reports: filed in "
                            f"{account.target.name!r}")
    return account.reports.get(report_id, account.target), None


def _tags(values: dict, account: AccountData, row: ImportRow) -> tuple[list[str], list[Tag]]:
    names, seen = [], set()
    for name in values.get("tags", ()):
        name = _clean(clean_tag_name, row.errors, name, field="tags")
        if name is not None and caseless(name) not in seen:
            seen.add(caseless(name))
            names.append(name)
    by_id, unknown = [], []
    for tag_id in values.get("tag_ids", ()):
        (by_id if tag_id in account.tags else unknown).append(account.tags.get(tag_id, tag_id))
    if unknown:
        listed = ", ".join(str(tag_id) for tag_id in unknown)
        row.warnings.append(f"tags {listed}: not tags of this account (the export names tags by id): left off")
    return names, by_id


def check_record(record, account: AccountData) -> Candidate | None:
    """The row of one record and, when it passes every check, its candidate expense."""
    user, values = account.user, record.values
    row = ImportRow(row=record.row, line=record.line, status="new", source=record.source,
                    errors=list(record.errors), warnings=list(record.warnings))
    if values.get("deleted"):
        row.status = "skipped"
        row.warnings.append("a deleted expense (status -1) in the export: not imported")
        return Candidate(row, Expense())
    # A field the reader could not read has its error already (not a second one, "amount is required").
    unread = {error.split(":")[0] for error in record.errors}
    errors = [] if "" in unread else row.errors
    expense = Expense(
        owner=user,
        type=_clean(clean_type, errors if "type" not in unread else [], values.get("type")),
        amount=_clean(clean_amount, errors if "amount" not in unread else [], _text(values.get("amount"))),
        notes=_clean(clean_notes, errors, values.get("notes", "")),
        date=_date(values.get("date"), user, errors if "date" not in unread else []),
        sourceid=clean_short_text(values.get("sourceid", "")).strip(),
        category=clean_short_text(values.get("category") or "").strip() or None,
    )
    raw = values.get("rawamount")
    expense.rawamount = expense.amount if raw is None else _clean(clean_amount, errors, _text(raw), field="rawamount")
    _money(expense, values, user, errors)
    report, report_name = _report(values, account, row)
    tag_names, tags = _tags(values, account, row)
    if row.errors:
        row.status = "error"
        return Candidate(row, expense)
    if report is not None:
        expense.report = report
    tz = user.tzinfo
    row.values = {
        "date": format_timestamp(expense.date, tz), "type": expense.type, "amount": money(expense.amount),
        "rawamount": money(expense.rawamount), "notes": expense.notes,
        "tags": sorted([*tag_names, *(tag.name for tag in tags)], key=str.casefold),
        "report": {"id": report.pk, "name": report.name} if report else {"id": None, "name": report_name},
        "category": expense.category, "sourceid": expense.sourceid,
        "original_amount": money(expense.original_amount if expense.original_amount is not None else expense.amount),
        "original_currency": expense.original_currency or user.base_currency,
        "rate": (expense.rate_text or None) if expense.original_currency else "1",
    }  # fmt: skip
    return Candidate(row, expense, report_name, tag_names, tags)


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), _BATCH):
        yield items[start:start + _BATCH]


def mark_duplicates(user, candidates: list[Candidate]) -> None:
    """Rows that match a live expense of the account (same sourceid, or same day, amount and type) or an earlier
    row of the file (same sourceid) become `duplicate`."""
    live = Expense.objects.owned_by(user).live()
    sourceids = {c.expense.sourceid for c in candidates if c.expense.sourceid}
    by_sourceid = {}
    for chunk in _chunks(sourceids):
        for sourceid, pk in live.filter(sourceid__in=chunk).order_by("pk").values_list("sourceid", "pk"):
            by_sourceid.setdefault(sourceid, pk)
    tz, by_day = user.tzinfo, {}
    if candidates:
        dates = [c.expense.date for c in candidates]
        window = live.filter(date__gte=min(dates) - dt.timedelta(days=1), date__lt=max(dates) + dt.timedelta(days=1))
        for pk, date, amount, type_ in window.order_by("pk").values_list("pk", "date", "amount", "type"):
            by_day.setdefault((date.astimezone(tz).date(), amount, type_.casefold()), pk)
    first_row = {}
    for candidate in candidates:
        expense, row = candidate.expense, candidate.row
        sourceid = expense.sourceid
        found = by_sourceid.get(sourceid) if sourceid else None
        if found is None:
            found = by_day.get((expense.date.astimezone(tz).date(), expense.amount, expense.type.casefold()))
        if found is not None:
            row.status, row.duplicate_of = "duplicate", found
            row.warnings.append(f"already in the account: expense {found}")
        elif sourceid and sourceid in first_row:
            row.status = "duplicate"
            row.warnings.append(f"the same sourceid as row {first_row[sourceid]}")
        elif sourceid:
            first_row[sourceid] = row.row


def check_file(*, user, source_file, target: Report, dry_run: bool) -> tuple[ImportResult, list[Candidate]]:
    """The result of importing `source_file` (rows and their statuses) and the candidates to store."""
    account = AccountData(user, target)
    checked = [check_record(record, account) for record in source_file.records]
    fresh = [c for c in checked if c.row.status == "new"]
    mark_duplicates(user, fresh)
    result = ImportResult(format=source_file.format, dry_run=dry_run, rows=[c.row for c in checked],
                          warnings=list(source_file.warnings))
    to_store = [c for c in fresh if c.row.status == "new"]
    new_reports = {}
    for candidate in to_store:
        if candidate.report_name:
            new_reports.setdefault(candidate.report_name.casefold(), candidate.report_name)
    result.reports_created = sorted(new_reports.values(), key=str.casefold)
    new_tags = {}
    for candidate in to_store:
        for name in candidate.tag_names:
            if caseless(name) not in account.tag_names:
                new_tags.setdefault(caseless(name), name)
    result.tags_created = sorted(new_tags.values(), key=str.casefold)
    return result, to_store
