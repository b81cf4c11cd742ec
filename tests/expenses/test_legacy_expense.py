"""The legacy `/api/expense/[ID]` view, create, update and delete, with real `Authorization: Basic` headers."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from expenses.models import Expense, Tag
from tests.expenses.legacy_helpers import PAGE_ITEM_KEYS, T0, UTC, assert_error, clock_at
from tests.factories import ExpenseFactory, ReportFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_view_an_expense(client, user, auth, default_report):
    tag = TagFactory(owner=user, name="cash")
    expense = ExpenseFactory(owner=user, type="dinner", amount=Decimal("15.32"), notes="some note",
                             date=dt.datetime(2008, 8, 18, 12, 35, tzinfo=UTC), tags=[tag])
    response = client.get(f"/api/expense/{expense.pk}", **auth)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["status", "data"]
    assert list(body["data"])[:5] == PAGE_ITEM_KEYS
    assert {k: body["data"][k] for k in PAGE_ITEM_KEYS} == {"date": "2008-08-18 12:35:00",
                                                            "report": default_report.pk, "amount": "15.32",
                                                            "type": "dinner", "notes": "some note"}
    assert body["data"]["id"] == expense.pk and body["data"]["tags"] == [tag.pk]


def test_view_shows_dates_in_the_users_time_zone(client, user, auth):
    user.time_zone = "Europe/Paris"
    user.save()
    expense = ExpenseFactory(owner=user, date=dt.datetime(2008, 8, 18, 12, 35, tzinfo=UTC))
    assert client.get(f"/api/expense/{expense.pk}/", **auth).json()["data"]["date"] == "2008-08-18 14:35:00"


def test_create_an_expense(client, user, auth):
    trip = ReportFactory(owner=user)
    response = client.post("/api/expense/", {"type": "dinner", "amount": "15.32", "notes": "some note here",
                                             "date": "2008-08-18 12:35:00", "report": trip.pk,
                                             "tags": ["cash", "clientx"], "rawamount": "20"}, **auth)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["status", "data", "id"]
    expense = Expense.objects.get()
    assert body["status"] == 200 and body["id"] == expense.pk and isinstance(body["id"], int)
    assert {k: body["data"][k] for k in PAGE_ITEM_KEYS} == {"date": "2008-08-18 12:35:00", "report": trip.pk,
                                                            "amount": "15.32", "type": "dinner",
                                                            "notes": "some note here"}
    assert body["data"]["rawamount"] == "20.00"
    assert (expense.owner, expense.report, expense.amount, expense.rawamount) == (user, trip, Decimal("15.32"),
                                                                                  Decimal("20.00"))
    assert sorted(t.name for t in expense.tags.all()) == ["cash", "clientx"]


def test_create_with_only_type_and_amount_uses_the_default_report_and_now(client, user, auth, default_report):
    with clock_at(T0):
        body = client.post("/api/expense", {"type": "lunch", "amount": "4"}, **auth).json()
    assert body["data"]["report"] == default_report.pk
    assert body["data"]["date"] == "2009-08-27 14:27:05"
    assert body["data"]["notes"] == "" and body["data"]["tags"] == []


def test_create_accepts_a_json_body(client, auth):
    response = client.post("/api/expense/", json.dumps({"type": "lunch", "amount": 12.5, "tags": ["x"]}),
                           content_type="application/json", **auth)
    assert response.json()["data"]["amount"] == "12.50"


def test_create_accepts_fields_in_the_query_string_of_old_scripts(client, auth):
    response = client.post("/api/expense/?type=lunch&amount=7", **auth)
    assert response.json()["data"]["amount"] == "7.00"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"type": "lunch"}, "amount is required"),
        ({"type": "lunch", "amount": ""}, "amount is required"),
        ({"type": "lunch", "amount": "abc"}, "amount: 'abc' is not a number"),
        ({"type": "lunch", "amount": "1.234"}, "more than two decimal places"),
        ({"type": "lunch", "amount": "1e99999999"}, "is not a number"),
        ({"type": "lunch", "amount": "99999999999"}, "too large"),
        ({"amount": "4"}, "type is required"),
        ({"type": "t" * 101, "amount": "4"}, "type is longer than 100 characters"),
        ({"type": "lunch", "amount": "4", "notes": "n" * 2001}, "notes are longer than 2000 characters"),
        ({"type": "lunch", "amount": "4", "date": "32 Aug 2009"}, "date: '32 Aug 2009' is not a date"),
        ({"type": "lunch", "amount": "4", "date": "01 Jan 0001"}, "out of range; use a year from 1900 to 2999"),
        ({"type": "lunch", "amount": "4", "date": "01 Jan 12345"}, "is not a date"),
        ({"type": "lunch", "amount": "4", "report": "999999"}, "report 999999 does not exist"),
        ({"type": "lunch", "amount": "4", "report": "abc"}, "report: 'abc' is not a report id"),
        ({"type": "lunch", "amount": "4", "rawamount": "x"}, "rawamount: 'x' is not a number"),
        ({"type": "lunch", "amount": "4", "tags": ["fine", "t" * 101]}, "tag name is longer than 100"),
    ],
)
def test_create_bad_input_is_400_and_saves_nothing(client, auth, fields, message):
    assert_error(client.post("/api/expense/", fields, **auth), 400, message)
    assert not Expense.objects.exists() and not Tag.objects.exists()


def test_create_in_another_users_report_is_refused(client, auth, other_user):
    theirs = ReportFactory(owner=other_user)
    response = client.post("/api/expense/", {"type": "lunch", "amount": "4", "report": theirs.pk}, **auth)
    assert_error(response, 400, f"report {theirs.pk} does not exist")
    assert not Expense.objects.exists()


def test_create_with_an_action_is_refused(client, auth):
    assert_error(client.post("/api/expense/?action=delete", {"type": "x", "amount": "1"}, **auth), 400, "action")
    assert not Expense.objects.exists()


def test_update_only_the_given_fields(client, user, auth, default_report):
    with clock_at(T0):
        expense = ExpenseFactory(owner=user, type="dinner", amount=Decimal("15.32"), notes="some note",
                                 date=dt.datetime(2008, 8, 18, 12, 35, tzinfo=UTC))
    later = T0 + dt.timedelta(days=1)
    with clock_at(later):
        response = client.post(f"/api/expense/{expense.pk}", {"amount": "14", "notes": "targets"}, **auth)
    assert response.status_code == 200
    # The page's answer: {"status": 200, "data": {"date": ..., "report": 36, "amount": "14", ...}, "id": 676}
    body = response.json()
    assert list(body) == ["status", "data", "id"] and body["id"] == expense.pk
    assert {k: body["data"][k] for k in PAGE_ITEM_KEYS} == {"date": "2008-08-18 12:35:00",
                                                            "report": default_report.pk, "amount": "14.00",
                                                            "type": "dinner", "notes": "targets"}
    expense.refresh_from_db()
    assert (expense.type, expense.amount, expense.notes, expense.modified) == ("dinner", Decimal("14.00"),
                                                                               "targets", later)


def test_update_moves_to_another_report_and_replaces_tags(client, user, auth):
    expense = ExpenseFactory(owner=user, tags=[TagFactory(owner=user, name="old")])
    trip = ReportFactory(owner=user)
    body = client.post(f"/api/expense/{expense.pk}/", {"report": trip.pk, "tags": "new"}, **auth).json()
    assert body["data"]["report"] == trip.pk
    assert [t.name for t in Expense.objects.get().tags.all()] == ["new"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"type": "changed", "amount": "abc"}, "amount: 'abc' is not a number"),
        ({"type": "changed", "date": "whenever"}, "date: 'whenever' is not a date"),
        ({"type": "changed", "report": "999999"}, "report 999999 does not exist"),
        ({"type": "changed", "notes": "n" * 2001}, "notes are longer than 2000"),
        ({"type": ""}, "type is required"),
        ({"unknown": "x"}, "nothing to update"),
        ({}, "nothing to update"),
    ],
)
def test_update_bad_input_is_400_and_changes_nothing(client, user, auth, fields, message):
    expense = ExpenseFactory(owner=user, type="dinner", notes="kept")
    before = Expense.objects.values().get(pk=expense.pk)
    assert_error(client.post(f"/api/expense/{expense.pk}", fields, **auth), 400, message)
    assert Expense.objects.values().get(pk=expense.pk) == before


def test_unknown_action_is_400(client, user, auth):
    expense = ExpenseFactory(owner=user)
    assert_error(client.post(f"/api/expense/{expense.pk}?action=archive", **auth), 400, "'archive' is not supported")
    assert Expense.objects.get().status == Expense.LIVE


def test_delete_an_expense(client, user, auth):
    with clock_at(T0):
        expense = ExpenseFactory(owner=user)
    later = T0 + dt.timedelta(hours=3)
    with clock_at(later):
        response = client.post(f"/api/expense/{expense.pk}?action=delete", **auth)
    assert response.status_code == 204
    assert response.content == b""
    expense.refresh_from_db()
    assert expense.status == Expense.DELETED and expense.modified == later
    assert_error(client.get(f"/api/expense/{expense.pk}", **auth), 404, f"expense {expense.pk} not found")
    assert_error(client.post(f"/api/expense/{expense.pk}?action=delete", **auth), 404, "not found")


def test_delete_with_action_in_the_form_body_and_http_delete(client, user, auth):
    first, second = ExpenseFactory(owner=user), ExpenseFactory(owner=user)
    assert client.post(f"/api/expense/{first.pk}/", {"action": "delete"}, **auth).status_code == 204
    assert client.delete(f"/api/expense/{second.pk}", **auth).status_code == 204
    assert set(Expense.objects.values_list("status", flat=True)) == {Expense.DELETED}


def test_delete_by_get_is_refused(client, user, auth):
    expense = ExpenseFactory(owner=user)
    assert_error(client.get(f"/api/expense/{expense.pk}?action=delete", **auth), 405, "needs a POST")
    assert Expense.objects.get(pk=expense.pk).status == Expense.LIVE


@pytest.mark.parametrize("expense_id", ["999999", "abc", "12abc", "-1", "0", "9" * 30, "%C2%B2"])
def test_unknown_or_malformed_ids_are_404(client, auth, expense_id):
    assert_error(client.get(f"/api/expense/{expense_id}", **auth), 404, "not found")
    assert_error(client.post(f"/api/expense/{expense_id}", {"amount": "1"}, **auth), 404, "not found")
    assert_error(client.post(f"/api/expense/{expense_id}?action=delete", **auth), 404, "not found")


def test_another_users_expense_is_404_for_every_operation(client, auth, other_user):
    theirs = ExpenseFactory(owner=other_user, type="secret", amount=Decimal("9.00"))
    before = Expense.objects.values().get(pk=theirs.pk)
    assert_error(client.get(f"/api/expense/{theirs.pk}", **auth), 404, f"expense {theirs.pk} not found")
    assert_error(client.post(f"/api/expense/{theirs.pk}", {"amount": "1"}, **auth), 404, "not found")
    assert_error(client.post(f"/api/expense/{theirs.pk}?action=delete", **auth), 404, "not found")
    assert_error(client.delete(f"/api/expense/{theirs.pk}", **auth), 404, "not found")
    assert Expense.objects.values().get(pk=theirs.pk) == before
