"""Issue 12, item 1: a read-only token never writes, wherever its parameters sit (query, form or JSON body),
whatever the method and on every simple path; write tokens still do."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from expenses.models import Expense, Timer
from oauth_bridge.services import personal_token_create

pytestmark = pytest.mark.django_db

READ_ONLY = "This token is read-only: creating, changing or deleting data needs a token with the write scope."
SIMPLE_PATHS = ["/api/simple/", "/api/simple", "/api/oauth/simple/", "/api/v1.0/expense/"]


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def oauth2_token(user, scope):
    application = get_application_model().objects.create(
        name="Phone App", client_type="public", authorization_grant_type="authorization-code",
        redirect_uris="https://app.example/cb", user=user,
    )  # fmt: skip
    token = get_access_token_model().objects.create(
        user=user, application=application, token=f"oauth2-{scope.replace(' ', '-')}-token-value",
        expires=timezone.now() + dt.timedelta(hours=1), scope=scope,
    )  # fmt: skip
    return bearer(token.token)


@pytest.fixture(params=["personal", "oauth2"])
def read_token(request, user):
    if request.param == "personal":
        return bearer(personal_token_create(user=user, name="reader", scope="read").secret)
    return oauth2_token(user, "read")


@pytest.fixture(params=["personal", "oauth2"])
def write_token(request, user):
    if request.param == "personal":
        return bearer(personal_token_create(user=user, name="writer", scope="read write").secret)
    return oauth2_token(user, "read write")


def send(client, method, path, body_kind, credentials, text="sneaky 99"):
    """One request carrying `q` in the query string, a form body or a JSON body."""
    query = "?format=json"
    if body_kind == "query":
        return client.generic(method, f"{path}{query}&q={text.replace(' ', '+')}", **credentials)
    if body_kind == "form":
        return client.generic(method, path + query, f"q={text.replace(' ', '+')}",
                              content_type="application/x-www-form-urlencoded", **credentials)
    return client.generic(method, path + query, json.dumps({"q": text}), content_type="application/json",
                          **credentials)


@pytest.mark.parametrize("path", SIMPLE_PATHS)
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"])
@pytest.mark.parametrize("body_kind", ["query", "form", "json"])
def test_a_read_only_token_never_records_through_the_simple_api(client, read_token, path, method, body_kind):
    response = send(client, method, path, body_kind, read_token)
    assert response.status_code in (403, 405), (response.status_code, response.content)
    if response.status_code == 403 and method != "HEAD":
        assert response.json() == {"status": 403, "error": READ_ONLY}
    assert not Expense.objects.exists()


@pytest.mark.parametrize("body_kind", ["form", "json"])
def test_the_issue_s_request_get_with_a_form_body_is_refused(client, read_token, body_kind):
    response = send(client, "GET", "/api/simple/", body_kind, read_token)
    assert response.status_code == 403
    assert not Expense.objects.exists()


def test_a_read_only_token_cannot_start_the_timer(client, read_token):
    response = send(client, "GET", "/api/oauth/simple/", "form", read_token, text="Time start")
    assert response.status_code == 403
    assert not Timer.objects.exists()


def test_a_read_only_token_still_reads(client, read_token):
    assert client.get("/api/expenses/?format=json&q=x", **read_token).status_code == 200
    assert client.get("/api/v1.0/expenses/", **read_token).status_code == 200
    assert client.get("/api/simple/", **read_token).status_code == 200  # the empty form page writes nothing


@pytest.mark.parametrize("path", SIMPLE_PATHS)
@pytest.mark.parametrize("body_kind", ["query", "form", "json"])
def test_a_write_token_records_through_every_variant(client, write_token, path, body_kind):
    response = send(client, "POST" if body_kind != "query" else "GET", path, body_kind, write_token, "lunch 12")
    assert response.status_code == 200, response.content
    assert Expense.objects.get().type == "lunch"


def test_a_write_token_records_on_a_get_with_a_form_body(client, write_token):
    response = send(client, "GET", "/api/simple/", "form", write_token, "lunch 12")
    assert response.status_code == 200
    assert Expense.objects.get().rawamount == 12
