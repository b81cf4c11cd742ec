"""Request rules both API families share (bodies, actions, ids), each family keeping its exact messages."""

import json

import pytest

from tests.factories import ExpenseFactory, ReportFactory, TagFactory

pytestmark = pytest.mark.django_db

LEGACY_BODY = "the request body must be form fields or a JSON object"
V1_BODY = "the request body must be a form (application/x-www-form-urlencoded or multipart) or a JSON object"
HUGE = "9" * 30


def envelope(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_legacy_json_list_body_is_refused_with_the_legacy_message(client, user, auth):
    expense = ExpenseFactory(owner=user)
    for path in ("/api/expense/", f"/api/expense/{expense.pk}"):
        response = client.post(path, "[1]", content_type="application/json", **auth)
        assert envelope(response, 400) == {"status": 400, "error": LEGACY_BODY}


def test_legacy_delete_in_query_needs_no_body(client, user, auth):
    expense = ExpenseFactory(owner=user)
    response = client.post(f"/api/expense/{expense.pk}?action=delete", "[1]", content_type="application/json",
                           **auth)
    assert response.status_code == 204


def test_legacy_empty_action_in_query_falls_back_to_the_body(client, user, auth):
    expense = ExpenseFactory(owner=user)
    response = client.post(f"/api/expense/{expense.pk}?action=", {"action": "delete"}, **auth)
    assert response.status_code == 204


def test_legacy_unknown_action_and_ids(client, user, auth):
    expense = ExpenseFactory(owner=user)
    response = client.post(f"/api/expense/{expense.pk}?action=Purge", **auth)
    assert envelope(response, 400)["error"] == "action: 'purge' is not supported; use action=delete, or none to update"
    for bad in ("abc", "0", HUGE):
        assert envelope(client.get(f"/api/expense/{bad}", **auth), 404)["error"] == f"expense {bad} not found"


@pytest.mark.parametrize("kind", ["tag", "report"])
def test_v1_json_list_body_is_refused_with_the_v1_message(client, user, auth, kind):
    obj = TagFactory(owner=user) if kind == "tag" else ReportFactory(owner=user)
    response = client.post(f"/api/v1.0/{kind}/{obj.pk}", "[1]", content_type="application/json", **auth)
    assert envelope(response, 400) == {"status": 400, "error": V1_BODY}


def test_v1_empty_action_in_query_does_not_read_the_body(client, user, auth):
    tag = TagFactory(owner=user, name="keep")
    response = client.post(f"/api/v1.0/tag/{tag.pk}?action=", {"action": "delete"}, **auth)
    assert envelope(response, 400)["error"] == "name is required: the tag's new name"


def test_v1_unknown_action(client, user, auth):
    tag = TagFactory(owner=user)
    response = client.post(f"/api/v1.0/tag/{tag.pk}", {"action": " Purge "}, **auth)
    assert envelope(response, 400)["error"] == "action: 'purge' is not supported; use action=delete"


@pytest.mark.parametrize("kind", ["expense", "tag", "report"])
@pytest.mark.parametrize("bad", ["0", "007000000", HUGE])
def test_v1_missing_ids(client, user, auth, kind, bad):
    response = client.get(f"/api/v1.0/{kind}/{bad}", **auth)
    assert envelope(response, 404) == {"status": 404, "error": f"{kind} {bad} not found"}
