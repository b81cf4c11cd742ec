"""`/api/v1.0/tags/` and `/api/v1.0/tag/ID`: exactly `id` and `name`, rename, delete detaches."""

import datetime as dt

import pytest
from django.utils import timezone

from expenses.models import Expense, Tag
from tests.api_helpers import as_json, error_of, xml_resources
from tests.factories import ExpenseFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_list_has_exactly_id_and_name(client, user, auth):
    b = TagFactory(owner=user, name="clientx")
    a = TagFactory(owner=user, name="cash")
    response = client.get("/api/v1.0/tags/", **auth)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert as_json(response) == [{"name": "cash", "id": a.pk}, {"name": "clientx", "id": b.pk}]
    assert [set(t) for t in as_json(response)] == [{"id", "name"}] * 2


def test_xml_list(client, user, auth):
    tag = TagFactory(owner=user, name="a&b")
    assert xml_resources(client.get("/api/v1.0/tags?format=xml", **auth)) == [{"name": "a&b", "id": str(tag.pk)}]


def test_create_view_rename(client, user, auth):
    response = client.post("/api/v1.0/tag/", {"name": "#projectx"}, **auth)
    assert response.status_code == 200
    created = as_json(response)
    assert created == {"name": "projectx", "id": created["id"]} and isinstance(created["id"], int)
    assert as_json(client.get(f"/api/v1.0/tag/{created['id']}", **auth)) == created
    renamed = as_json(client.post(f"/api/v1.0/tag/{created['id']}/", {"name": "projecty"}, **auth))
    assert renamed == {"name": "projecty", "id": created["id"]}
    assert Tag.objects.get(pk=created["id"]).name == "projecty"


@pytest.mark.parametrize(("data", "needle"), [({}, "name is required"), ({"name": " # "}, "name is required"),
                                              ({"name": "x" * 101}, "longer"), ({"name": "CASH"}, "already exists")])
def test_bad_create_is_400(client, user, auth, data, needle):
    TagFactory(owner=user, name="cash")
    assert needle in error_of(client.post("/api/v1.0/tag/", data, **auth), 400)
    assert list(Tag.objects.values_list("name", flat=True)) == ["cash"]


def test_bad_rename_is_400(client, user, auth):
    tag = TagFactory(owner=user, name="one")
    TagFactory(owner=user, name="two")
    assert "already exists" in error_of(client.post(f"/api/v1.0/tag/{tag.pk}", {"name": "Two"}, **auth), 400)
    assert "name is required" in error_of(client.post(f"/api/v1.0/tag/{tag.pk}", {}, **auth), 400)
    assert Tag.objects.get(pk=tag.pk).name == "one"


def test_same_name_for_different_users_is_fine(client, user, auth, other_user):
    TagFactory(owner=other_user, name="cash")
    assert client.post("/api/v1.0/tag/", {"name": "cash"}, **auth).status_code == 200


def test_delete_detaches_from_expenses_and_counts_as_a_modification(client, user, auth):
    tag = TagFactory(owner=user, name="gone")
    keep = TagFactory(owner=user, name="keep")
    expense = ExpenseFactory(owner=user, tags=[tag, keep])
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    Expense.objects.filter(pk=expense.pk).update(modified=an_hour_ago)
    response = client.post(f"/api/v1.0/tag/{tag.pk}/?action=delete", **auth)
    assert response.status_code == 204 and response.content == b""
    assert not Tag.objects.filter(pk=tag.pk).exists()
    assert as_json(client.get(f"/api/v1.0/expense/{expense.pk}", **auth))["tags"] == ["keep"]
    assert Expense.objects.get(pk=expense.pk).modified > an_hour_ago


def test_http_delete(client, user, auth):
    tag = TagFactory(owner=user)
    assert client.delete(f"/api/v1.0/tag/{tag.pk}", **auth).status_code == 204
    assert not Tag.objects.filter(pk=tag.pk).exists()


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_another_users_tag_is_404_and_never_listed(client, user, auth, other_user, method):
    theirs = TagFactory(owner=other_user, name="secret")
    response = getattr(client, method)(f"/api/v1.0/tag/{theirs.pk}" + ("?action=delete" if method == "post" else ""),
                                       **auth)
    assert "not found" in error_of(response, 404)
    assert Tag.objects.filter(pk=theirs.pk, name="secret").exists()
    assert as_json(client.get("/api/v1.0/tags/", **auth)) == []


def test_tags_filter_on_the_expense_list(client, user, auth):
    cash = TagFactory(owner=user, name="cash")
    card = TagFactory(owner=user, name="card")
    a = ExpenseFactory(owner=user, tags=[cash])
    b = ExpenseFactory(owner=user, tags=[card, cash])
    ExpenseFactory(owner=user)
    ids = [o["id"] for o in as_json(client.get("/api/v1.0/expenses/?tags=cash&tags=card", **auth))]
    assert sorted(ids) == sorted([a.pk, b.pk])
