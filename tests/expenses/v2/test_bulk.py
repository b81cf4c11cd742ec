"""POST /api/v2/expenses/bulk: up to 500 expenses, a result per item, the valid ones stored together."""

import pytest

from expenses.models import Expense, Tag
from tests.expenses.v2.conftest import error
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_a_result_per_item_in_order(api, user):
    trip = ReportFactory(owner=user)
    items = [
        {"type": "lunch", "amount": "45", "tags": ["cash", "food"], "sourceid": "phone-1"},
        {"type": "taxi"},
        {"type": "hotel", "amount": "120", "report": trip.pk, "tags": ["Cash"], "date": "2024-02-01T09:00:00Z"},
        "not an object",
    ]
    response = api.post("expenses/bulk", {"expenses": items})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["failed"]) == (2, 2)
    statuses = [(r["index"], r["status"]) for r in body["results"]]
    assert statuses == [(0, 201), (1, 400), (2, 201), (3, 400)]
    assert body["results"][1]["error"]["fields"] == {"amount": ["This field is required."]}
    assert body["results"][1]["expense"] is None
    lunch, hotel = body["results"][0]["expense"], body["results"][2]["expense"]
    assert lunch["tags"] == ["cash", "food"] and hotel["tags"] == ["cash"] and hotel["report"] == trip.pk
    assert hotel["date"] == "2024-02-01T09:00:00Z"
    assert Tag.objects.owned_by(user).count() == 2
    assert sorted(Expense.objects.owned_by(user).values_list("type", flat=True)) == ["hotel", "lunch"]
    assert api.get(f"expenses/{lunch['id']}").json() == lunch


def test_five_hundred_at_most(api):
    items = [{"type": "x", "amount": "1"}] * 501
    assert "expenses" in error(api.post("expenses/bulk/", {"expenses": items}), 400)["fields"]
    assert not Expense.objects.exists()
    body = api.post("expenses/bulk/", {"expenses": items[:500]}).json()
    assert body["created"] == 500 and Expense.objects.count() == 500


def test_bulk_creates_are_seen_by_a_sync(api):
    cursor = api.get("expenses/").json()["sync_cursor"]
    made = api.post("expenses/bulk", {"expenses": [{"type": str(n), "amount": "1"} for n in range(5)]}).json()
    synced = [e["id"] for e in api.get("expenses/", data={"modified_after": cursor, "limit": 2}).json()["results"]]
    assert synced == [r["expense"]["id"] for r in made["results"]][:2]


@pytest.mark.parametrize("body", [{}, {"expenses": "x"}, ["list"]])
def test_not_a_list_is_400(api, body):
    assert error(api.post("expenses/bulk", body), 400)
