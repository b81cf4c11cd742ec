"""/api/v2/ takes the same credentials as the other families: Basic (password or personal token), Bearer
personal tokens, OAuth 1 signed requests, OAuth 2 tokens with their scopes, and the session with CSRF."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from expenses.models import Expense
from oauth_bridge.models import AccessToken, Consumer
from oauth_bridge.services import personal_token_create
from tests.conftest import basic_auth
from tests.expenses.v2.conftest import error
from tests.oauth_bridge.conftest import signed, token_client

pytestmark = pytest.mark.django_db
BODY = json.dumps({"type": "taxi", "amount": "12"})


def post(client, path="/api/v2/expenses/", **headers):
    return client.post(path, BODY, content_type="application/json", **headers)


@pytest.mark.parametrize("scope, can_write", [("read", False), ("read write", True)])
def test_personal_tokens_as_bearer_or_basic_password(client, user, scope, can_write):
    secret = personal_token_create(user=user, name="script", scope=scope).secret
    for headers in ({"HTTP_AUTHORIZATION": f"Bearer {secret}"}, basic_auth(user.email, secret)):
        assert client.get("/api/v2/expenses/", **headers).status_code == 200
        response = post(client, **headers)
        if can_write:
            assert response.status_code == 201
        else:
            assert "read-only" in error(response, 403, "permission_denied")["message"]
    assert Expense.objects.count() == (2 if can_write else 0)


def test_wrong_password_is_401(client, user):
    assert error(client.get("/api/v2/me/", **basic_auth(user.email, "wrong")), 401, "authentication_failed")


@pytest.mark.parametrize("scope, can_write", [("read", False), ("write", True)])
def test_oauth2_tokens_with_their_scopes(client, user, scope, can_write):
    application = get_application_model().objects.create(
        name="Phone", client_type="public", authorization_grant_type="authorization-code",
        redirect_uris="https://app.example/cb", user=user)
    token = get_access_token_model().objects.create(
        user=user, application=application, token=f"oauth2-token-{scope}", scope=scope,
        expires=timezone.now() + dt.timedelta(hours=1))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token.token}"}
    assert client.get("/api/v2/expenses/", **headers).status_code == 200
    assert post(client, **headers).status_code == (201 if can_write else 403)


def test_oauth1_signed_requests_read_and_write(client, user, settings):
    settings.XPENSER_OAUTH_INSECURE_TRANSPORT = False
    consumer = Consumer.objects.create(name="Sync", key="consumer-key-1234", secret="consumer-secret-1")
    token = AccessToken.objects.create(consumer=consumer, user=user, key="access-token-key-123456",
                                       secret="access-token-secret-1")
    oauth = token_client(consumer, {"oauth_token": token.key, "oauth_token_secret": token.secret})
    response = signed(client, "GET", "https://testserver/api/v2/me/", oauth)
    assert response.status_code == 200 and response.json()["email"] == user.email
    # A JSON body is not part of an OAuth 1 signature (only form bodies are); the header signs the request.
    _, headers, _ = oauth.sign("https://testserver/api/v2/expenses/", http_method="POST", body=BODY,
                               headers={"Content-Type": "application/json"})
    made = post(client, secure=True, HTTP_AUTHORIZATION=headers["Authorization"])
    assert made.status_code == 201, made.content
    assert Expense.objects.get().owner == user
    unsigned = client.get("/api/v2/me/", secure=True,
                          HTTP_AUTHORIZATION='OAuth oauth_consumer_key="consumer-key-1234", oauth_token="x"')
    assert error(unsigned, 401)


def test_session_needs_csrf_for_writes(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get("/api/v2/expenses/").status_code == 200
    refused = post(browser)
    assert "CSRF" in error(refused, 403, "permission_denied")["message"]
    assert not Expense.objects.exists()
    browser.get("/")  # the web app sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    assert post(browser, HTTP_X_CSRFTOKEN=token).status_code == 201
