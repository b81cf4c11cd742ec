"""Cursor walks and sync: keyset pages on (modified, id), tombstones, and the server's own sync cursor."""

import datetime as dt
from unittest import mock

import pytest

from tests.expenses.v2.conftest import error
from tests.factories import ExpenseFactory, TagFactory

pytestmark = pytest.mark.django_db


def walk(api, url, **params):
    """Every page from `url` on: (ids seen in order, the last page's sync_cursor, pages)."""
    ids, pages = [], 0
    while url:
        response = api.get(url, data=params if pages == 0 else None)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"results", "next", "sync_cursor"}
        ids += [item["id"] for item in body["results"]]
        url, cursor, pages = body["next"], body["sync_cursor"], pages + 1
    return ids, cursor, pages


def test_pages_of_limit_rows_cover_every_expense_once_in_modified_order(api, user):
    made = [ExpenseFactory(owner=user).pk for _ in range(7)]
    ids, _, pages = walk(api, "expenses/", limit=3)
    assert ids == made and pages == 3
    first = api.get("expenses/", data={"limit": 3}).json()
    assert first["next"].startswith("http://testserver/api/v2/expenses/?limit=3&cursor=")


def test_filters_carry_over_to_the_next_pages(api, user):
    cash = TagFactory(owner=user, name="cash")
    tagged = [ExpenseFactory(owner=user, tags=[cash]).pk for _ in range(3)]
    ExpenseFactory.create_batch(3, owner=user)
    ids, _, _ = walk(api, "expenses/", limit=2, tag="cash")
    assert ids == tagged


def test_sync_sends_each_change_once_with_tombstones(api, user):
    kept, changed, removed = (ExpenseFactory(owner=user) for _ in range(3))
    _, cursor, _ = walk(api, "expenses/")
    assert walk(api, "expenses/", modified_after=cursor)[0] == []
    api.patch(f"expenses/{changed.pk}", {"notes": "new"})
    api.delete(f"expenses/{removed.pk}")
    response = api.get("expenses/", data={"modified_after": cursor})
    body = response.json()
    assert [(e["id"], e["deleted"]) for e in body["results"]] == [(changed.pk, False), (removed.pk, True)]
    assert body["next"] is None
    assert walk(api, "expenses/", modified_after=body["sync_cursor"])[0] == []


def test_the_sync_cursor_does_not_depend_on_the_clients_clock(api, user):
    ExpenseFactory(owner=user)
    cursor = api.get("expenses/").json()["sync_cursor"]
    # The server's clock set back an hour (another host, a correction): its changes still come after the cursor.
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)):
        later = api.post("expenses/", {"type": "taxi", "amount": "9"}).json()["id"]
    assert walk(api, "expenses/", modified_after=cursor)[0] == [later]


def test_a_walk_while_another_client_inserts_and_deletes_sees_every_change_once(api, other_api, user, client):
    from django.test import Client

    from tests.conftest import basic_auth
    from tests.expenses.v2.conftest import V2Client

    writer = V2Client(Client(), basic_auth(user.email))
    originals = [ExpenseFactory(owner=user).pk for _ in range(10)]
    first = api.get("expenses/", data={"limit": 4}).json()
    seen = [e["id"] for e in first["results"]]
    # Another device, mid-walk: deletes one already seen and one not yet seen, changes one seen, inserts one.
    writer.delete(f"expenses/{originals[0]}")
    writer.delete(f"expenses/{originals[8]}")
    writer.patch(f"expenses/{originals[1]}", {"notes": "edited"})
    inserted = writer.post("expenses/", {"type": "new", "amount": "1"}).json()["id"]
    rest, walk_cursor, _ = walk(api, first["next"])
    seen += rest
    # The walk lists live expenses: the edited one again (its new version), the insert, not the deletions.
    assert seen == originals[:4] + [o for o in originals[4:] if o != originals[8]] + [originals[1], inserted]
    # Syncing from the walk's cursor reports everything that changed during the walk, the deletions included.
    changes, cursor, _ = walk(api, "expenses/", modified_after=walk_cursor)
    assert changes == [originals[0], originals[8], originals[1], inserted]
    assert walk(api, "expenses/", modified_after=cursor)[0] == []
    # Each change reached a sync exactly once.
    sync_from_start = walk(api, "expenses/", modified_after=first["sync_cursor"], limit=2)[0]
    assert sorted(sync_from_start) == sorted(set(sync_from_start))


def test_a_sync_walk_in_small_pages_while_writes_go_on_misses_nothing(api, user):
    for _ in range(6):
        ExpenseFactory(owner=user)
    _, cursor, _ = walk(api, "expenses/")
    changed = []
    for round_ in range(4):
        changed.append(api.post("expenses/", {"type": f"n{round_}", "amount": "1"}).json()["id"])
    page = api.get("expenses/", data={"modified_after": cursor, "limit": 1}).json()
    got = [e["id"] for e in page["results"]]
    changed.append(api.post("expenses/", {"type": "during", "amount": "1"}).json()["id"])
    rest, cursor, _ = walk(api, page["next"])
    got += rest
    assert got == changed
    assert walk(api, "expenses/", modified_after=cursor)[0] == []


@pytest.mark.parametrize("param", ["cursor", "modified_after"])
@pytest.mark.parametrize("value", ["nope", "e30", "eyJwIjpbMSwyLDNdfQ", "eyJwIjpbOTk5OTk5OTk5OTk5OTk5OTk5LDFdfQ"])
def test_cursors_not_given_out_are_400(api, param, value):
    found = error(api.get("expenses/", data={param: value}), 400, "invalid")
    assert param in found["fields"]


@pytest.mark.parametrize("limit", ["0", "501", "x", "-1"])
def test_limit_out_of_range_is_400(api, limit):
    assert "limit" in error(api.get("expenses/", data={"limit": limit}), 400)["fields"]


def test_list_filters(api, user):
    ExpenseFactory(owner=user, type="Taxi", amount="12.00", notes="airport")
    hotel = ExpenseFactory(owner=user, type="hotel", amount="120.00", notes="",
                           date=dt.datetime(2024, 3, 2, 10, tzinfo=dt.UTC))
    gone = ExpenseFactory(owner=user, type="taxi", status=-1)

    def ids(**params):
        response = api.get("expenses/", data=params)
        assert response.status_code == 200, response.content
        return sorted(e["id"] for e in response.json()["results"])

    assert len(ids()) == 2
    assert ids(type="TAXI") == sorted(e.pk for e in user_expenses(user, "Taxi"))
    assert ids(amount_min="100") == [hotel.pk]
    assert ids(search="airp") == ids(type="taxi")
    assert ids(date_from="2024-03-02", date_to="2024-03-02") == [hotel.pk]
    assert ids(deleted="true") == [gone.pk]
    assert len(ids(deleted="all")) == 3
    assert "report" in error(api.get("expenses/", data={"report": "999"}), 400)["fields"]
    assert "date_from" in error(api.get("expenses/", data={"date_from": "soon"}), 400)["fields"]


def user_expenses(user, type_):
    from expenses.models import Expense

    return Expense.objects.owned_by(user).live().filter(type=type_)
