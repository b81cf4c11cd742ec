"""/api/v2/expenses/: create, read, change and delete through HTTP, the same data as the other families."""

import pytest

from expenses.models import Expense, Tag
from tests.expenses.v2.conftest import error
from tests.factories import ExpenseFactory, ReportFactory, TagFactory, default_report

pytestmark = pytest.mark.django_db

EXPENSE_KEYS = {"id", "type", "amount", "rawamount", "notes", "date", "report", "tags", "category", "sourceid",
                "receipts", "review", "created", "modified", "deleted", "original_amount", "original_currency", "amount_currency",
                "rate", "rate_date", "warnings"}


def test_create_answers_201_with_location_etag_and_the_whole_expense(api, user):
    response = api.post("expenses/", {"type": "lunch", "amount": "45.5", "notes": "with jack",
                                      "tags": ["cash", "#Food"], "date": "2024-05-01T12:30:00+02:00"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == EXPENSE_KEYS
    assert body["amount"] == "45.50" and body["rawamount"] == "45.50"
    assert body["date"] == "2024-05-01T10:30:00Z"
    assert body["tags"] == ["Food", "cash"]
    assert body["report"] == default_report(user).pk
    assert body["receipts"] == [] and body["deleted"] is False
    assert response["Location"] == f"http://testserver/api/v2/expenses/{body['id']}"
    assert response["ETag"].startswith(f'"{body["id"]}.')
    expense = Expense.objects.get(pk=body["id"])
    assert expense.owner == user and sorted(t.name for t in expense.tags.all()) == ["Food", "cash"]


def test_naive_dates_are_in_the_users_time_zone(api, user):
    user.time_zone = "Europe/Paris"
    user.save()
    body = api.post("expenses", {"type": "taxi", "amount": 12, "date": "2024-01-15T08:00:00"}).json()
    assert body["date"] == "2024-01-15T07:00:00Z"


def test_same_data_as_the_other_families(api, client, auth, user):
    legacy = client.get("/api/simple/?format=json&q=lunch+45+%23cash", **auth).json()["data"]
    item = api.get(f"expenses/{legacy['id']}").json()
    assert (item["type"], item["amount"], item["tags"]) == ("lunch", "45.00", ["cash"])
    made = api.post("expenses/", {"type": "hotel", "amount": "120", "tags": ["trip"]}).json()
    v1 = client.get(f"/api/v1.0/expense/{made['id']}", **auth).json()
    assert (v1["type"], v1["amount"], v1["tags"]) == ("hotel", "120.00", ["trip"])


def test_read_another_users_expense_is_404(api, other_user):
    theirs = ExpenseFactory(owner=other_user)
    assert error(api.get(f"expenses/{theirs.pk}/"), 404, "not_found")["message"] == f"expense {theirs.pk} not found"
    assert error(api.patch(f"expenses/{theirs.pk}", {"notes": "x"}), 404)
    assert error(api.delete(f"expenses/{theirs.pk}"), 404)
    assert Expense.objects.get(pk=theirs.pk).notes == "with jack"


@pytest.mark.parametrize(("body", "field"), [
    ({"amount": "1"}, "type"),
    ({"type": "x"}, "amount"),
    ({"type": "x", "amount": "1.234"}, "amount"),
    ({"type": "x", "amount": "NaN"}, "amount"),
    ({"type": "x", "amount": "99999999999"}, "amount"),
    ({"type": "x", "amount": "1", "date": "yesterday"}, "date"),
    ({"type": "x", "amount": "1", "date": "1066-10-14T10:00:00Z"}, "date"),
    ({"type": "x", "amount": "1", "report": 999999}, "report"),
    ({"type": "x", "amount": "1", "tags": "cash"}, "tags"),
    ({"type": "x", "amount": "1", "tags": ["#"]}, "tags"),
    ({"type": "x\u0000y", "amount": "1"}, "type"),
])
def test_invalid_values_are_400_naming_the_field_and_store_nothing(api, body, field):
    found = error(api.post("expenses/", body), 400, "invalid")
    assert list(found["fields"]) == [field] or field in found["fields"], found
    assert not Expense.objects.exists()


def test_not_json_is_refused(api):
    assert error(api.post("expenses/", data="type=x&amount=1", content_type="application/x-www-form-urlencoded"),
                 415, "unsupported_media_type")
    assert error(api.post("expenses/", data="{nope", content_type="application/json"), 400, "parse_error")
    assert error(api.post("expenses/", data="[" * 5000, content_type="application/json"), 400, "parse_error")
    assert error(api.get("expenses/", headers={"Accept": "text/xml"}), 406, "not_acceptable")
    assert error(api.post("expenses/", ["a list"]), 400, "invalid")


def test_patch_changes_only_what_is_sent(api, user):
    trip = ReportFactory(owner=user)
    expense = ExpenseFactory(owner=user, tags=[TagFactory(owner=user, name="old")])
    response = api.patch(f"expenses/{expense.pk}", {"amount": "12.30", "tags": ["new"], "report": trip.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["amount"], body["rawamount"], body["tags"], body["report"], body["type"]) == (
        "12.30", "12.30", ["new"], trip.pk, "lunch")
    expense.refresh_from_db()
    assert expense.notes == "with jack" and expense.report == trip
    assert Tag.objects.filter(owner=user, name="old").exists()  # the tag stays, unlinked


def test_put_needs_the_required_fields(api, user):
    expense = ExpenseFactory(owner=user)
    assert "amount" in error(api.put(f"expenses/{expense.pk}", {"type": "dinner"}), 400)["fields"]
    body = api.put(f"expenses/{expense.pk}", {"type": "dinner", "amount": "30"}).json()
    assert (body["type"], body["amount"], body["notes"]) == ("dinner", "30.00", "with jack")


def test_delete_is_a_tombstone_and_patch_restores(api, user, client, auth):
    expense = ExpenseFactory(owner=user)
    assert api.delete(f"expenses/{expense.pk}/").status_code == 204
    expense.refresh_from_db()
    assert expense.status == Expense.DELETED
    modified = expense.modified
    assert api.delete(f"expenses/{expense.pk}").status_code == 204  # again: no change
    expense.refresh_from_db()
    assert expense.modified == modified
    assert api.get(f"expenses/{expense.pk}").json()["deleted"] is True
    assert api.get("expenses/").json()["results"] == []
    assert client.get(f"/api/expense/{expense.pk}", **auth).status_code == 404  # the legacy view of a deletion
    assert api.patch(f"expenses/{expense.pk}", {"deleted": False}).json()["deleted"] is False
    assert [e["id"] for e in api.get("expenses/").json()["results"]] == [expense.pk]


def test_every_change_moves_the_expense_to_the_end_of_the_modified_order(api, user):
    first, second = ExpenseFactory(owner=user), ExpenseFactory(owner=user)
    assert [e["id"] for e in api.get("expenses/").json()["results"]] == [first.pk, second.pk]
    api.patch(f"expenses/{first.pk}", {"notes": "changed"})
    assert [e["id"] for e in api.get("expenses/").json()["results"]] == [second.pk, first.pk]


def test_tag_renames_change_the_expenses(api, user):
    expense = ExpenseFactory(owner=user, tags=[TagFactory(owner=user, name="cash")])
    before = api.get(f"expenses/{expense.pk}")
    tag = Tag.objects.get(owner=user, name="cash")
    assert api.patch(f"tags/{tag.pk}", {"name": "card"}).status_code == 200
    after = api.get(f"expenses/{expense.pk}")
    assert after.json()["tags"] == ["card"]
    assert after["ETag"] != before["ETag"] and after.json()["modified"] > before.json()["modified"]


def test_no_credentials_is_401_with_the_basic_challenge(client):
    response = client.get("/api/v2/expenses/")
    found = error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Basic realm="Xpenser"'
    assert found["fields"] == {}


def test_unknown_v2_paths_answer_the_envelope(api):
    assert error(api.get("nothing-here/"), 404, "not_found")
    assert error(api.post("expenses/1/"), 405, "method_not_allowed")
