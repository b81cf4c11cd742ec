"""Writes of reports."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from xpenser_server.errors import InvalidInput

from .models import Report

DEFAULT_REPORT_NAME = "My Expenses"


def report_ensure_default(*, user) -> Report:
    """Return the user's default report, creating one if the user has none."""
    report = Report.objects.filter(owner=user, is_default=True).first()
    if report is not None:
        return report
    try:
        with transaction.atomic():
            return Report.objects.create(owner=user, name=DEFAULT_REPORT_NAME, is_default=True)
    except IntegrityError:
        # Another request created it concurrently.
        return Report.objects.get(owner=user, is_default=True)


MAX_REPORT_NAME_LENGTH = 200
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def clean_report_name(value) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise InvalidInput("name is required")
    if len(name) > MAX_REPORT_NAME_LENGTH:
        raise InvalidInput(f"name is longer than {MAX_REPORT_NAME_LENGTH} characters")
    return name


def clean_report_status(value) -> str:
    status = str(value or "").strip().upper()
    if status not in Report.Status.values:
        letters = ", ".join(f"{s.value} ({s.label.lower()})" for s in Report.Status)
        raise InvalidInput(f"status: {value!r} is not valid; use one of {letters}")
    return status


def clean_flag(value, *, field) -> bool:
    word = str(value).strip().lower() if not isinstance(value, bool) else ("1" if value else "0")
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InvalidInput(f"{field}: {value!r} is not valid; use 1 or 0")


@transaction.atomic
def report_create(*, user, name) -> Report:
    return Report.objects.create(owner=user, name=clean_report_name(name))


@transaction.atomic
def report_update(*, report: Report, data) -> Report:
    """Update `name`, `status` and/or `is_default`; making a report default unsets the previous one."""
    if "name" in data:
        report.name = clean_report_name(data["name"])
    if "status" in data:
        report.status = clean_report_status(data["status"])
    make_default = clean_flag(data["is_default"], field="is_default") if "is_default" in data else None
    if make_default is False and report.is_default:
        raise InvalidInput("is_default: every user has one default report; make another report the default instead")
    if make_default and not report.is_default:
        Report.objects.filter(owner_id=report.owner_id, is_default=True).update(
            is_default=False, modified=timezone.now()
        )
        report.is_default = True
    report.save()
    return report
