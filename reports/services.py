"""Writes of reports."""

from django.db import IntegrityError, transaction

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
