"""The same data through every family: simple-API text entries and legacy records vs `/api/v1.0/`."""

import pytest

from expenses import services
from expenses.selectors import expense_queryset, expense_rows
from expenses.serializers import legacy_expense_data, legacy_expense_record
from tests.api_helpers import as_json

pytestmark = pytest.mark.django_db


def test_a_simple_api_entry_is_visible_in_v1(client, user, auth):
    # /api/simple/ creates through services.expense_create_from_text.
    expense = services.expense_create_from_text(user=user, text="Taxi 34 office to airport #cash #clientx")
    [obj] = as_json(client.get("/api/v1.0/expenses/", **auth))
    assert obj["id"] == expense.pk
    assert (obj["type"], obj["amount"], obj["notes"], obj["tags"]) == ("Taxi", "34.00", "office to airport",
                                                                       ["cash", "clientx"])


def test_a_v1_entry_is_visible_to_the_legacy_family(client, user, auth):
    obj = as_json(client.post("/api/v1.0/expense/", {"type": "dinner", "amount": "15.32", "notes": "n",
                                                     "date": "2008-08-18 12:35:00", "tags": "cash"}, **auth))
    [row] = expense_rows(expense_queryset(user=user))
    record = legacy_expense_record(row, user.tzinfo)
    tag_id = as_json(client.get("/api/v1.0/tags/", **auth))[0]["id"]
    assert record["pk"] == obj["id"]
    assert record["fields"] | {"created": None, "modified": None, "sourceid": None} == {
        "category": None, "status": 1, "rawamount": "15.32", "sourceid": None, "notes": "n", "created": None,
        "modified": None, "report": obj["report_id"], "amount": "15.32", "user": user.pk,
        "date": "2008-08-18 12:35:00", "type": "dinner", "tags": [tag_id],
    }
    data = legacy_expense_data(row, user.tzinfo)
    assert (data["date"], data["report"], data["amount"], data["type"]) == ("2008-08-18 12:35:00",
                                                                            obj["report_id"], "15.32", "dinner")


def test_a_legacy_update_by_tag_id_shows_names_in_v1(client, user, auth):
    tag = services.tag_create(user=user, name="2024")
    other = services.tag_create(user=user, name="other")
    expense = services.expense_create(user=user, type="a", amount="1")
    # The legacy family sends tag ids; v1 sends names.
    services.expense_update(expense=expense, data={"tags": [str(other.pk)]})
    assert as_json(client.get(f"/api/v1.0/expense/{expense.pk}", **auth))["tags"] == ["other"]
    obj = as_json(client.post(f"/api/v1.0/expense/{expense.pk}", {"tags": str(tag.name)}, **auth))
    assert obj["tags"] == ["2024"]


@pytest.fixture
def legacy_routes():
    # The legacy views are built on another branch; once merged these tests run through HTTP.
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/simple/")
        resolve("/api/expenses/")
    except Resolver404:
        pytest.skip("legacy /api/ views not merged into this branch yet")


def test_simple_api_and_v1_see_each_other_over_http(client, user, auth, legacy_routes):
    import json

    from tests.api_helpers import content

    assert client.get("/api/simple/?q=Taxi+34+office+%23cash+%23clientx&format=json", **auth).status_code == 200
    [simple] = as_json(client.get("/api/v1.0/expenses/", **auth))
    assert (simple["type"], simple["amount"], simple["tags"]) == ("Taxi", "34.00", ["cash", "clientx"])
    created = as_json(client.post("/api/v1.0/expense/", {"type": "dinner", "amount": "2", "tags": "zz"}, **auth))
    legacy = json.loads(content(client.get("/api/expenses/?format=json", **auth)))
    names = {t["id"]: t["name"] for t in as_json(client.get("/api/v1.0/tags", **auth))}
    by_pk = {record["pk"]: record["fields"] for record in legacy}
    assert set(by_pk) == {simple["id"], created["id"]}
    assert [names[i] for i in by_pk[simple["id"]]["tags"]] == ["cash", "clientx"]
    assert [names[i] for i in by_pk[created["id"]]["tags"]] == ["zz"]
    assert by_pk[created["id"]]["amount"] == "2.00" and by_pk[created["id"]]["report"] == created["report_id"]
