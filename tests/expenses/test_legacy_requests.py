"""The legacy `/api/` family's authentication, paths and request handling (bodies, methods, 404s, HEAD)."""

import json

import pytest

from expenses.models import Expense
from tests.conftest import basic_auth
from tests.expenses.legacy_helpers import assert_error, text_of
from tests.factories import ExpenseFactory

pytestmark = pytest.mark.django_db


ENDPOINTS = [("get", "/api/simple/?q=lunch+4&format=json"), ("post", "/api/simple/"), ("get", "/api/expense/1"),
             ("post", "/api/expense/"), ("post", "/api/expense/1"), ("post", "/api/expense/1?action=delete"),
             ("get", "/api/expenses/"), ("get", "/api/oauth/expenses/")]


@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_missing_credentials_get_the_basic_challenge(client, user, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Xpenser"'
    assert response.json()["status"] == 401
    assert not Expense.objects.exists()


@pytest.mark.parametrize("credentials", [("user@test.com", "wrong"), ("nobody@test.com", "password")])
@pytest.mark.parametrize("method, path", ENDPOINTS[:4])
def test_wrong_credentials_are_401(client, user, method, path, credentials):
    response = getattr(client, method)(path, **basic_auth(*credentials))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Xpenser"'
    assert "Invalid email or password" in response.json()["error"]


def test_email_login_is_case_insensitive(client, user):
    response = client.get("/api/expenses/", **basic_auth("USER@test.com"))
    assert response.status_code == 200


@pytest.mark.parametrize("prefix", ["/api", "/api/oauth"])
@pytest.mark.parametrize("slash", ["", "/"])
def test_every_path_answers_with_and_without_the_slash_directly(client, user, auth, prefix, slash):
    simple = client.post(f"{prefix}/simple{slash}?format=json", {"q": "lunch 4"}, **auth)
    assert simple.status_code == 200
    created = client.post(f"{prefix}/expense{slash}", {"type": "x", "amount": "1"}, **auth)
    assert created.status_code == 200
    expense_id = created.json()["id"]
    assert client.get(f"{prefix}/expense/{expense_id}{slash}", **auth).status_code == 200
    updated = client.post(f"{prefix}/expense/{expense_id}{slash}", {"notes": "kept body"}, **auth)
    assert updated.json()["data"]["notes"] == "kept body"
    assert client.get(f"{prefix}/expenses{slash}", **auth).status_code == 200
    assert client.post(f"{prefix}/expense/{expense_id}{slash}?action=delete", **auth).status_code == 204


def test_absolute_form_request_uri_through_the_test_client(client, user, auth):
    ExpenseFactory(owner=user)
    response = client.get("http://testserver/api/expenses/?format=json", **auth)
    assert response.status_code == 200 and len(json.loads(text_of(response))) == 1


def test_control_characters_in_form_fields_are_dropped_not_stored(client, auth):
    body = client.post("/api/expense/", {"type": "lun\x00ch", "amount": "4", "notes": "a\x00b\x07c"}, **auth).json()
    assert (body["data"]["type"], body["data"]["notes"]) == ("lunch", "abc")


@pytest.mark.parametrize("payload", ['{"type": ["x"], "amount": {"a": 1}}', '{"type": "x", "amount": null}',
                                     '{"type": "x", "amount": true}', '"just a string"', "{not json"])
def test_odd_json_bodies_are_400_not_500(client, auth, payload):
    response = client.post("/api/expense/", payload, content_type="application/json", **auth)
    assert response.status_code == 400, text_of(response)
    assert response.json()["status"] == 400
    assert not Expense.objects.exists()


def test_unsupported_body_type_is_415(client, auth):
    response = client.post("/api/expense/", "type=x", content_type="text/plain", **auth)
    assert_error(response, 415, "Unsupported media type")


@pytest.mark.parametrize("method, path", [("put", "/api/expense/1"), ("patch", "/api/expense/1"),
                                          ("delete", "/api/expenses/"), ("put", "/api/simple/?format=json"),
                                          ("get", "/api/expense/")])
def test_unsupported_methods_are_405_in_the_envelope(client, user, auth, method, path):
    ExpenseFactory(owner=user)
    response = getattr(client, method)(path, **auth)
    assert_error(response, 405, "not allowed")
    assert Expense.objects.get().status == Expense.LIVE


def test_unknown_api_paths_are_404_in_the_envelope(client, auth):
    assert_error(client.get("/api/expense/1/extra", **auth), 404, "no API endpoint")


def test_head_of_a_download_has_the_headers(client, auth):
    response = client.head("/api/expenses/?format=json", **auth)
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment; filename=expenses.json"
