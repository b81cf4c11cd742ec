"""Writes of reports (deleting one moves its expenses: expenses.services.reports). Each service validates
everything before it writes anything."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from xpenser_server.errors import InvalidInput
from xpenser_server.text import clean_line

from .models import Report

DEFAULT_REPORT_NAME = "My Expenses"
MAX_NAME_LENGTH = Report._meta.get_field("name").max_length
STATUS_LETTERS = tuple(Report.Status.values)
_STATUS_BY_NAME = {label.lower(): value for value, label in Report.Status.choices}
_TRUE = ("1", "true", "yes", "on", "t", "y")
_FALSE = ("0", "false", "no", "off", "f", "n", "")


def report_ensure_default(*, user) -> Report:
    """Return the user's default report, creating one if the user has none."""
    report = Report.objects.owned_by(user).default().first()
    if report is not None:
        return report
    try:
        with transaction.atomic():
            return Report.objects.create(owner=user, name=DEFAULT_REPORT_NAME, is_default=True)
    except IntegrityError:
        # Another request created it concurrently.
        return Report.objects.owned_by(user).default().get()


def clean_report_name(value) -> str:
    name = clean_line(value)
    if not name:
        raise InvalidInput("name is required")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(f"name is longer than {MAX_NAME_LENGTH} characters")
    return name


def clean_report_status(value) -> str:
    """A status letter (U, S, A, R, P, C), case-insensitive; the full names are accepted too."""
    text = str(value if value is not None else "").strip()
    letter = text.upper() if text.upper() in STATUS_LETTERS else _STATUS_BY_NAME.get(text.lower())
    if letter is None:
        choices = ", ".join(f"{value} ({label.lower()})" for value, label in Report.Status.choices)
        raise InvalidInput(f"status: {text!r} is not a report status; use one of {choices}")
    return letter


def clean_flag(value, *, field) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(f"{field}: {value!r} is not a yes/no value; use 1 or 0 (true or false)")


def _lock_reports(user) -> None:
    # Serialise concurrent changes of the default flag of one user (rows locked on PostgreSQL; SQLite
    # transactions are IMMEDIATE and already exclusive).
    list(Report.objects.owned_by(user).select_for_update().values_list("pk", flat=True))


def _make_default(report: Report) -> None:
    """Move the user's default flag to `report` (the old default first: one default at every instant)."""
    _lock_reports(report.owner)
    Report.objects.owned_by(report.owner).default().exclude(pk=report.pk).update(
        is_default=False, modified=timezone.now()
    )
    report.is_default = True
    report.save(update_fields=["is_default"])


def clean_unique_report_name(value, *, user, exclude_pk=None) -> str:
    """A report name not used (case-insensitively) by another of the user's reports (the web app asks for
    this; the API families keep accepting duplicates as they always did)."""
    name = clean_report_name(value)
    if Report.objects.owned_by(user).filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise InvalidInput(f"name: you already have a report named {name!r}; choose another name")
    return name


@transaction.atomic
def report_create(*, user, name, status=None, is_default=None, unique_name=False) -> Report:
    report = Report(
        owner=user,
        name=clean_unique_report_name(name, user=user) if unique_name else clean_report_name(name),
        status=clean_report_status(status) if status not in (None, "") else Report.Status.UNSUBMITTED,
    )
    make_default = clean_flag(is_default, field="is_default") if is_default is not None else False
    report.save()
    if make_default:
        _make_default(report)
    return report


@transaction.atomic
def report_update(*, report: Report, data, unique_name=False) -> Report:
    """Update `name`, `status` and/or `is_default` (the keys present in `data`; others are ignored)."""
    name = None
    if "name" in data:
        name = (clean_unique_report_name(data["name"], user=report.owner, exclude_pk=report.pk) if unique_name
                else clean_report_name(data["name"]))
    status = clean_report_status(data["status"]) if "status" in data else None
    make_default = clean_flag(data["is_default"], field="is_default") if "is_default" in data else None
    if make_default is False and report.is_default:
        raise InvalidInput(
            "is_default: every user keeps one default report; make another report the default instead"
        )
    fields = []
    if name is not None:
        report.name = name
        fields.append("name")
    if status is not None:
        report.status = status
        fields.append("status")
    if fields:
        report.save(update_fields=fields)
    if make_default and not report.is_default:
        _make_default(report)
    return report
