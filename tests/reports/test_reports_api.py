"""`/api/v1.0/reports/` and `/api/v1.0/report/ID`: shapes, the default-report rule, status letters, deletes."""

import re
from decimal import Decimal

import pytest

from expenses.models import Expense
from reports.models import Report
from tests.api_helpers import as_json, error_of, xml_resources
from tests.factories import ExpenseFactory, ReportFactory

pytestmark = pytest.mark.django_db

REPORT_KEYS = ["id", "name", "status", "is_default", "created", "modified", "count", "total"]
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


def default_of(user):
    return Report.objects.get(owner=user, is_default=True)


def test_list_shape_with_count_and_total_of_live_expenses(client, user, auth):
    default = default_of(user)
    ExpenseFactory(owner=user, amount=Decimal("10.25"))
    ExpenseFactory(owner=user, amount=Decimal("4.75"))
    ExpenseFactory(owner=user, amount=Decimal("100"), status=Expense.DELETED)
    response = client.get("/api/v1.0/reports/", **auth)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    [report] = as_json(response)
    assert list(report) == REPORT_KEYS
    assert report["id"] == default.pk and report["name"] == "My Expenses" and report["status"] == "U"
    assert report["is_default"] is True
    assert (report["count"], report["total"]) == (2, "15.00")
    assert TIMESTAMP.match(report["created"]) and TIMESTAMP.match(report["modified"])


def test_status_filter(client, user, auth):
    submitted = ReportFactory(owner=user, status="S")
    ids = [r["id"] for r in as_json(client.get("/api/v1.0/reports/?status=S", **auth))]
    assert ids == [submitted.pk]
    assert [r["id"] for r in as_json(client.get("/api/v1.0/reports?status=u", **auth))] == [default_of(user).pk]
    assert "status" in error_of(client.get("/api/v1.0/reports/?status=X", **auth), 400)


def test_create_returns_the_object(client, user, auth):
    response = client.post("/api/v1.0/report/", {"name": "  Trip to   Paris "}, **auth)
    assert response.status_code == 200
    obj = as_json(response)
    assert list(obj) == REPORT_KEYS
    assert (obj["name"], obj["status"], obj["is_default"], obj["count"], obj["total"]) == (
        "Trip to Paris", "U", False, 0, "0.00")
    assert Report.objects.get(pk=obj["id"]).owner == user


def test_create_then_set_its_status(client, user, auth):
    report_id = as_json(client.post("/api/v1.0/report", {"name": "Trip"}, **auth))["id"]
    response = client.post(f"/api/v1.0/report/{report_id}", {"status": "S"}, **auth)
    assert response.status_code == 200
    assert as_json(response)["status"] == "S"
    assert Report.objects.get(pk=report_id).status == "S"


@pytest.mark.parametrize(("data", "needle"), [({}, "name is required"), ({"name": "   "}, "name is required"),
                                              ({"name": "x" * 201}, "longer"),
                                              ({"name": "a", "status": "Z"}, "not a report status"),
                                              ({"name": "a", "is_default": "perhaps"}, "is_default")])
def test_bad_create_is_400_and_saves_nothing(client, user, auth, data, needle):
    assert needle in error_of(client.post("/api/v1.0/report/", data, **auth), 400)
    assert Report.objects.filter(owner=user).count() == 1


@pytest.mark.parametrize("letter", ["U", "S", "A", "R", "P", "C", "s", "paid"])
def test_every_status_letter_is_accepted(client, user, auth, letter):
    report = ReportFactory(owner=user)
    obj = as_json(client.post(f"/api/v1.0/report/{report.pk}", {"status": letter}, **auth))
    assert obj["status"] in "USARPC" and len(obj["status"]) == 1


def test_bad_status_is_400_and_changes_nothing(client, user, auth):
    report = ReportFactory(owner=user, name="Keep")
    error = error_of(client.post(f"/api/v1.0/report/{report.pk}", {"name": "New", "status": "Q"}, **auth), 400)
    assert "'Q' is not a report status" in error and "U (unsubmitted)" in error
    report.refresh_from_db()
    assert (report.name, report.status) == ("Keep", "U")


def test_rename_and_view(client, user, auth):
    report = ReportFactory(owner=user)
    assert as_json(client.post(f"/api/v1.0/report/{report.pk}/", {"name": "Renamed"}, **auth))["name"] == "Renamed"
    assert as_json(client.get(f"/api/v1.0/report/{report.pk}", **auth))["name"] == "Renamed"


def test_making_another_report_default_moves_the_flag(client, user, auth):
    old = default_of(user)
    new = ReportFactory(owner=user)
    obj = as_json(client.post(f"/api/v1.0/report/{new.pk}", {"is_default": "1"}, **auth))
    assert obj["is_default"] is True
    assert list(Report.objects.filter(owner=user, is_default=True)) == [new]
    old.refresh_from_db()
    assert old.is_default is False
    # The default report is now where expenses without a report go.
    expense = as_json(client.post("/api/v1.0/expense/", {"type": "a", "amount": "1"}, **auth))
    assert expense["report_id"] == new.pk


def test_create_as_default(client, user, auth):
    obj = as_json(client.post("/api/v1.0/report/", {"name": "New default", "is_default": "true"}, **auth))
    assert obj["is_default"] is True
    assert Report.objects.get(owner=user, is_default=True).pk == obj["id"]


def test_default_cannot_be_unset(client, user, auth):
    default = default_of(user)
    assert "default" in error_of(client.post(f"/api/v1.0/report/{default.pk}", {"is_default": "0"}, **auth), 400)
    default.refresh_from_db()
    assert default.is_default


def test_default_moves_do_not_touch_other_users(client, user, auth, other_user):
    theirs = default_of(other_user)
    client.post(f"/api/v1.0/report/{ReportFactory(owner=user).pk}", {"is_default": "1"}, **auth)
    theirs.refresh_from_db()
    assert theirs.is_default


def test_delete_empty_report(client, user, auth):
    report = ReportFactory(owner=user)
    response = client.post(f"/api/v1.0/report/{report.pk}?action=delete", **auth)
    assert response.status_code == 204 and response.content == b""
    assert not Report.objects.filter(pk=report.pk).exists()


def test_default_report_cannot_be_deleted(client, user, auth):
    default = default_of(user)
    error = error_of(client.post(f"/api/v1.0/report/{default.pk}?action=delete", **auth), 400)
    assert "default report and cannot be deleted" in error
    assert Report.objects.filter(pk=default.pk).exists()


def test_report_with_expenses_is_kept_unless_move_to(client, user, auth):
    report = ReportFactory(owner=user)
    target = ReportFactory(owner=user)
    live = ExpenseFactory(owner=user, report=report)
    gone = ExpenseFactory(owner=user, report=report, status=Expense.DELETED)
    error = error_of(client.post(f"/api/v1.0/report/{report.pk}?action=delete", **auth), 400)
    assert "still has 1 expense" in error and "move_to" in error
    assert Report.objects.filter(pk=report.pk).exists()
    response = client.post(f"/api/v1.0/report/{report.pk}?action=delete&move_to={target.pk}", **auth)
    assert response.status_code == 204
    assert not Report.objects.filter(pk=report.pk).exists()
    assert Expense.objects.get(pk=live.pk).report == target
    assert Expense.objects.get(pk=gone.pk).report == target
    assert as_json(client.get(f"/api/v1.0/report/{target.pk}", **auth))["count"] == 1


def test_report_with_only_deleted_expenses_can_be_deleted(client, user, auth):
    report = ReportFactory(owner=user)
    gone = ExpenseFactory(owner=user, report=report, status=Expense.DELETED)
    assert client.delete(f"/api/v1.0/report/{report.pk}", **auth).status_code == 204
    assert Expense.objects.get(pk=gone.pk).report == default_of(user)


@pytest.mark.parametrize(("move_to", "needle"), [("abc", "not a report id"), ("999999", "does not exist"),
                                                 ("self", "being deleted"), ("theirs", "does not exist")])
def test_bad_move_to_is_400(client, user, auth, other_user, move_to, needle):
    report = ReportFactory(owner=user)
    expense = ExpenseFactory(owner=user, report=report)
    move_to = {"self": report.pk, "theirs": default_of(other_user).pk}.get(move_to, move_to)
    assert needle in error_of(client.post(f"/api/v1.0/report/{report.pk}?action=delete&move_to={move_to}", **auth),
                              400)
    assert Expense.objects.get(pk=expense.pk).report == report


def test_move_to_in_the_form_body(client, user, auth):
    report = ReportFactory(owner=user)
    ExpenseFactory(owner=user, report=report)
    target = ReportFactory(owner=user)
    assert client.post(f"/api/v1.0/report/{report.pk}", {"action": "delete", "move_to": target.pk},
                       **auth).status_code == 204


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_another_users_report_is_404_and_never_listed(client, user, auth, other_user, method):
    theirs = ReportFactory(owner=other_user, name="Theirs")
    response = getattr(client, method)(f"/api/v1.0/report/{theirs.pk}" + ("?action=delete" if method == "post"
                                                                            else ""), **auth)
    assert "not found" in error_of(response, 404)
    assert Report.objects.filter(pk=theirs.pk, name="Theirs").exists()
    assert theirs.pk not in [r["id"] for r in as_json(client.get("/api/v1.0/reports/", **auth))]


def test_xml_reports(client, user, auth):
    ReportFactory(owner=user, name="Fish & <Chips>")
    resources = xml_resources(client.get("/api/v1.0/reports/?format=xml", **auth))
    assert [list(r) for r in resources] == [REPORT_KEYS, REPORT_KEYS]
    by_name = {r["name"]: r for r in resources}
    assert by_name["My Expenses"]["is_default"] == "1" and by_name["Fish & <Chips>"]["is_default"] == ""
    assert by_name["My Expenses"]["total"] == "0.00"
    [one] = xml_resources(client.get(f"/api/v1.0/report/{default_of(user).pk}?format=xml", **auth))
    assert one["name"] == "My Expenses"
