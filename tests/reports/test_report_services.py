"""reports.services: the one-default rule holds through every write."""

import pytest
from django.db import IntegrityError

from reports import services
from reports.models import Report
from tests.factories import ReportFactory
from xpenser_server.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_default_flag_moves_atomically(user):
    reports = [ReportFactory(owner=user) for _ in range(3)]
    for report in reports:
        services.report_update(report=report, data={"is_default": True})
        assert list(Report.objects.filter(owner=user, is_default=True)) == [report]


def test_database_refuses_two_defaults(user):
    with pytest.raises(IntegrityError):
        ReportFactory(owner=user, is_default=True)


def test_failed_update_changes_nothing(user):
    report = ReportFactory(owner=user, name="Keep")
    with pytest.raises(InvalidInput):
        services.report_update(report=report, data={"name": "New", "is_default": "maybe"})
    report.refresh_from_db()
    assert report.name == "Keep" and not report.is_default


def test_clean_report_status():
    assert services.clean_report_status("c") == "C"
    assert services.clean_report_status("Approved") == "A"
    with pytest.raises(InvalidInput, match="not a report status"):
        services.clean_report_status("")
