"""`/api/v1.0/expense/[ID]`: view, create (fields or text), update, delete, errors and isolation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from expenses.models import Expense, Tag
from tests.api_helpers import as_json, error_of, xml_resources
from tests.expenses.v1_helpers import TIMESTAMP, assert_expense_shape
from tests.factories import ExpenseFactory, ReportFactory, TagFactory, default_report

pytestmark = pytest.mark.django_db


def test_view_one(client, user, auth):
    expense = ExpenseFactory(owner=user)
    response = client.get(f"/api/v1.0/expense/{expense.pk}", **auth)
    assert response.status_code == 200
    obj = as_json(response)
    assert_expense_shape(obj)
    assert obj["id"] == expense.pk
    [resource] = xml_resources(client.get(f"/api/v1.0/expense/{expense.pk}/?format=xml", **auth))
    assert resource["id"] == str(expense.pk) and resource["amount"] == "45.00"


def test_create_with_fields_returns_the_object(client, user, auth):
    report = ReportFactory(owner=user)
    response = client.post(
        "/api/v1.0/expense/",
        {"type": "dinner", "amount": "46.80", "notes": "with Jim", "date": "2009-08-18 12:35:00",
         "report": report.pk, "tags": ["clientx", "cash"]},
        **auth,
    )
    assert response.status_code == 200
    obj = as_json(response)
    assert_expense_shape(obj)
    assert obj["type"] == "dinner" and obj["amount"] == "46.80" and obj["rawamount"] == "46.80"
    assert obj["date"] == "2009-08-18 12:35:00" and obj["report_id"] == report.pk
    assert obj["tags"] == ["cash", "clientx"]
    stored = Expense.objects.get(pk=obj["id"])
    assert stored.owner == user and stored.amount == Decimal("46.80") and stored.report == report


def test_create_tags_are_names_even_when_numeric_and_comma_separated(client, user, auth):
    tag = TagFactory(owner=user, name="existing")
    obj = as_json(client.post("/api/v1.0/expense/", {"type": "x", "amount": "1", "tags": f"2024, {tag.pk},#existing"},
                              **auth))
    assert sorted(obj["tags"]) == sorted(["2024", str(tag.pk), "existing"])
    assert Tag.objects.filter(owner=user, name="existing").count() == 1


def test_create_with_a_json_body(client, user, auth):
    response = client.post("/api/v1.0/expense/", {"type": "lunch", "amount": 12.5, "tags": ["a"]},
                           content_type="application/json", **auth)
    assert response.status_code == 200
    obj = as_json(response)
    assert obj["amount"] == "12.50" and obj["tags"] == ["a"]


def test_create_from_text(client, user, auth):
    response = client.get("/api/v1.0/expense/?q=Taxi+34+office+to+airport+%23cash+%23clientx", **auth)
    assert response.status_code == 200
    obj = as_json(response)
    assert_expense_shape(obj)
    assert (obj["type"], obj["amount"], obj["notes"], obj["tags"]) == ("Taxi", "34.00", "office to airport",
                                                                       ["cash", "clientx"])
    assert Expense.objects.get(pk=obj["id"]).sourceid.startswith(f"SP-{user.pk}-")


def test_create_from_text_by_post_into_a_report(client, user, auth):
    report = ReportFactory(owner=user)
    obj = as_json(client.post("/api/v1.0/expense/", {"q": "lunch 45 with jack", "report": report.pk}, **auth))
    assert obj["report_id"] == report.pk and obj["type"] == "lunch"


def test_timer_start_and_stop_through_text(client, user, auth):
    started = as_json(client.get("/api/v1.0/expense/?q=Time+start+clientx", **auth))
    assert started["timer"] == "started" and started["notes"] == "clientx" and TIMESTAMP.match(started["started"])
    stopped = as_json(client.get("/api/v1.0/expense/?q=Time+stop", **auth))
    assert stopped["type"].lower() == "time" and stopped["notes"] == "clientx"
    assert "no timer" in error_of(client.get("/api/v1.0/expense/?q=Time+stop", **auth), 400)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({}, "type is required"),
        ({"type": "lunch"}, "amount is required"),
        ({"type": "lunch", "amount": "ten"}, "not a number"),
        ({"type": "lunch", "amount": "1.234"}, "two decimal"),
        ({"type": "lunch", "amount": "1", "date": "someday"}, "date"),
        ({"type": "lunch", "amount": "1", "report": "999999"}, "report 999999 does not exist"),
        ({"type": "lunch", "amount": "1", "report": "abc"}, "report"),
        ({"type": "lunch", "amount": "1", "tags": "x" * 101}, "tag name is longer"),
        ({"type": "x" * 101, "amount": "1"}, "type is longer"),
    ],
)
def test_bad_create_is_400_and_saves_nothing(client, user, auth, data, needle):
    assert needle in error_of(client.post("/api/v1.0/expense/", data, **auth), 400)
    assert not Expense.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.parametrize(("query", "needle"), [("q=", "q is required"), ("q=lunch+with+jack", "amount"),
                                               ("", "q is required")])
def test_bad_text_is_400(client, user, auth, query, needle):
    assert needle in error_of(client.get(f"/api/v1.0/expense/?{query}", **auth), 400)
    assert not Expense.objects.exists()


def test_create_into_another_users_report_is_refused(client, user, auth, other_user):
    theirs = default_report(other_user)
    assert "does not exist" in error_of(
        client.post("/api/v1.0/expense/", {"type": "a", "amount": "1", "report": theirs.pk}, **auth), 400
    )
    assert not Expense.objects.exists()


def test_update_by_posting_a_form(client, user, auth):
    expense = ExpenseFactory(owner=user, type="dinner", amount=Decimal("15.32"), notes="some note")
    before = expense.modified
    response = client.post(f"/api/v1.0/expense/{expense.pk}", {"amount": "14", "notes": "targets",
                                                                 "tags": "a,b"}, **auth)
    assert response.status_code == 200
    obj = as_json(response)
    assert (obj["type"], obj["amount"], obj["notes"], obj["tags"]) == ("dinner", "14.00", "targets", ["a", "b"])
    expense.refresh_from_db()
    assert expense.amount == Decimal("14.00") and expense.modified > before


def test_posting_a_whole_object_back_round_trips(client, user, auth):
    expense = ExpenseFactory(owner=user, tags=[TagFactory(owner=user, name="t1")])
    obj = as_json(client.get(f"/api/v1.0/expense/{expense.pk}", **auth))
    obj["notes"] = "edited"
    response = client.post(f"/api/v1.0/expense/{expense.pk}", obj, content_type="application/json", **auth)
    assert response.status_code == 200
    again = as_json(response)
    assert again["notes"] == "edited"
    assert {k: v for k, v in again.items() if k not in ("notes", "modified")} == {
        k: v for k, v in obj.items() if k not in ("notes", "modified")
    }


def test_update_moves_to_another_report_by_report_id(client, user, auth):
    report = ReportFactory(owner=user)
    expense = ExpenseFactory(owner=user)
    assert as_json(client.post(f"/api/v1.0/expense/{expense.pk}", {"report_id": report.pk}, **auth))["report_id"] == (
        report.pk
    )


def test_bad_update_is_400_and_changes_nothing(client, user, auth):
    expense = ExpenseFactory(owner=user, amount=Decimal("10"), notes="keep")
    before = Expense.objects.get(pk=expense.pk).modified
    error = error_of(client.post(f"/api/v1.0/expense/{expense.pk}", {"notes": "changed", "amount": "x"}, **auth), 400)
    assert "amount" in error
    expense.refresh_from_db()
    assert expense.notes == "keep" and expense.amount == Decimal("10") and expense.modified == before


def test_delete_is_soft_and_answers_204(client, user, auth):
    expense = ExpenseFactory(owner=user)
    before = expense.modified
    response = client.post(f"/api/v1.0/expense/{expense.pk}?action=delete", **auth)
    assert response.status_code == 204
    assert response.content == b""
    expense.refresh_from_db()
    assert expense.status == Expense.DELETED and expense.modified > before
    assert as_json(client.get("/api/v1.0/expenses/", **auth)) == []
    [obj] = as_json(client.get("/api/v1.0/expenses/?status=all", **auth))
    assert obj["id"] == expense.pk and obj["status"] == -1
    assert as_json(client.get(f"/api/v1.0/expense/{expense.pk}", **auth))["status"] == -1
    report = as_json(client.get("/api/v1.0/reports/", **auth))[0]
    assert (report["count"], report["total"]) == (0, "0.00")


def test_http_delete_is_supported_and_repeated_delete_changes_nothing(client, user, auth):
    expense = ExpenseFactory(owner=user)
    assert client.delete(f"/api/v1.0/expense/{expense.pk}/", **auth).status_code == 204
    modified = Expense.objects.get(pk=expense.pk).modified
    assert client.post(f"/api/v1.0/expense/{expense.pk}?action=delete", **auth).status_code == 204
    assert Expense.objects.get(pk=expense.pk).modified == modified


def test_undelete_by_setting_status(client, user, auth):
    expense = ExpenseFactory(owner=user, status=Expense.DELETED)
    assert as_json(client.post(f"/api/v1.0/expense/{expense.pk}", {"status": "1"}, **auth))["status"] == 1


def test_unknown_action_is_400(client, user, auth):
    expense = ExpenseFactory(owner=user)
    assert "action" in error_of(client.post(f"/api/v1.0/expense/{expense.pk}?action=explode", **auth), 400)
    assert Expense.objects.get(pk=expense.pk).status == Expense.LIVE


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_another_users_expense_is_404(client, user, auth, other_user, method):
    theirs = ExpenseFactory(owner=other_user, notes="secret")
    path = f"/api/v1.0/expense/{theirs.pk}" + ("?action=delete" if method == "post" else "")
    assert "not found" in error_of(getattr(client, method)(path, **auth), 404)
    theirs.refresh_from_db()
    assert theirs.status == Expense.LIVE and theirs.notes == "secret"


@pytest.mark.parametrize("path", ["/api/v1.0/expense/99999999999999999999999", "/api/v1.0/expense/424242"])
def test_unknown_expense_is_404(client, user, auth, path):
    assert "not found" in error_of(client.get(path, **auth), 404)


def test_an_unsupported_item_format_is_400(client, user, auth):
    expense = ExpenseFactory(owner=user)
    assert "format" in error_of(client.get(f"/api/v1.0/expense/{expense.pk}?format=csv", **auth), 400)
    assert "format" in error_of(client.post("/api/v1.0/expense/?format=yaml", {"type": "a", "amount": "1"}, **auth),
                                400)
    assert Expense.objects.count() == 1


def test_a_json_list_body_is_400(client, user, auth):
    assert "JSON object" in error_of(client.post("/api/v1.0/expense/", [1, 2], content_type="application/json",
                                                 **auth), 400)
    assert "JSON" in error_of(client.post("/api/v1.0/expense/", "{nope", content_type="application/json", **auth),
                              400)


def test_control_characters_and_nul_are_stripped_from_stored_text(client, user, auth):
    obj = as_json(client.post("/api/v1.0/expense/", {"type": "lun\x00ch", "amount": "1", "notes": "a\x01b\x7fc\td"},
                              **auth))
    assert obj["type"] == "lunch" and obj["notes"] == "abc\td"


def test_modified_is_bumped_by_tag_rename_for_sync(client, user, auth):
    tag = TagFactory(owner=user, name="old")
    expense = ExpenseFactory(owner=user, tags=[tag])
    Expense.objects.filter(pk=expense.pk).update(modified=timezone.now() - dt.timedelta(hours=1))
    client.post(f"/api/v1.0/tag/{tag.pk}", {"name": "new"}, **auth)
    assert Expense.objects.get(pk=expense.pk).modified > timezone.now() - dt.timedelta(minutes=1)
