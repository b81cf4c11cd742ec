"""Reads of reports, always scoped to the requesting user (totals of their expenses: expenses.selectors)."""

from .models import Report


def report_list(*, user, status: str | None = None):
    """The user's reports, newest first (the default one where it falls)."""
    reports = Report.objects.owned_by(user)
    return reports.filter(status=status) if status else reports


def report_get(*, user, report_id) -> Report | None:
    try:
        return Report.objects.owned_by(user).get(pk=report_id)
    except Report.DoesNotExist:
        return None


def report_default(*, user) -> Report:
    """The user's default report (every user has one from the moment the account exists, see apps.py)."""
    return Report.objects.owned_by(user, is_default=True).get()
