"""Report pages: list with count/total/default, create, rename, status, make default."""

from decimal import Decimal

import pytest

from expenses.models import Expense
from reports.models import Report
from tests.factories import ExpenseFactory, ReportFactory, default_report

pytestmark = pytest.mark.django_db


def test_list_shows_status_count_total_and_default(web, user):
    default = default_report(user)
    trip = ReportFactory(owner=user, name="Berlin trip", status="S")
    ExpenseFactory(owner=user, report=trip, amount=Decimal("100.00"))
    ExpenseFactory(owner=user, report=trip, amount=Decimal("20.50"))
    ExpenseFactory(owner=user, report=trip, amount=Decimal("999.00"), status=Expense.DELETED)
    response = web.get("/reports/")
    rows = {r.name: r for r in response.context["reports"]}
    assert (rows["Berlin trip"].count, rows["Berlin trip"].total) == (2, Decimal("120.50"))
    assert rows[default.name].is_default
    body = response.content.decode()
    assert "Submitted" in body and "120.50" in body and "default</span>" in body


def test_create_report(web, user):
    response = web.post("/reports/", {"name": "  March   travel "})
    report = Report.objects.get(owner=user, name="March travel")
    assert response["Location"] == f"/reports/{report.pk}/"
    assert (report.status, report.is_default) == ("U", False)


def test_create_report_without_name_is_400(web, user):
    response = web.post("/reports/", {"name": "   "})
    assert response.status_code == 400 and "name is required" in response.context["error"]
    assert Report.objects.filter(owner=user).count() == 1


def test_rename_and_change_status(web, user):
    report = ReportFactory(owner=user, name="Old")
    web.post(f"/reports/{report.pk}/", {"action": "rename", "name": "New"})
    web.post(f"/reports/{report.pk}/", {"action": "status", "status": "A"})
    report.refresh_from_db()
    assert (report.name, report.status) == ("New", "A")


def test_bad_status_is_400_and_nothing_changes(web, user):
    report = ReportFactory(owner=user, name="Keep")
    response = web.post(f"/reports/{report.pk}/", {"action": "status", "status": "X"})
    assert response.status_code == 400 and "status" in response.context["error"]
    report.refresh_from_db()
    assert report.status == "U"


def test_make_default_moves_the_flag_and_quick_entry_follows(web, user):
    old_default = default_report(user)
    report = ReportFactory(owner=user, name="Now default")
    web.post(f"/reports/{report.pk}/", {"action": "default"})
    assert list(Report.objects.filter(owner=user, is_default=True)) == [report]
    old_default.refresh_from_db()
    assert not old_default.is_default
    web.post("/", {"q": "lunch 12"})
    assert Expense.objects.get(owner=user).report == report


def test_other_users_report_cannot_be_changed(web, other_user):
    theirs = ReportFactory(owner=other_user, name="Theirs")
    assert web.post(f"/reports/{theirs.pk}/", {"action": "rename", "name": "Mine"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"
