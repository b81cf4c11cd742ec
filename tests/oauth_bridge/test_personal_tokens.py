"""Personal access tokens: created in the web app, shown once, stored hashed, Bearer or Basic password."""


import pytest
from django.test import RequestFactory
from django.urls import resolve
from rest_framework.request import Request

from oauth_bridge.models import PersonalAccessToken, hash_personal_token
from oauth_bridge.services import personal_token_create
from tests.conftest import basic_auth
from xpenser_server.write_checks import request_writes

pytestmark = pytest.mark.django_db

READ_ONLY = "This token is read-only: creating, changing or deleting data needs a token with the write scope."


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_create_in_the_web_app_shows_the_token_once_and_stores_a_hash(client, user):
    client.force_login(user)
    response = client.post("/account/tokens/", {"name": "backup script", "scope": "read"})
    assert response.status_code == 302 and response["Location"] == "/account/tokens/"
    response = client.get("/account/tokens/")
    token = PersonalAccessToken.objects.get()
    secret = response.context["new_secret"]
    assert secret.startswith("xpp_") and secret in response.content.decode()
    assert 'data-copy="new-token"' in response.content.decode()
    assert token.token_hash == hash_personal_token(secret) and token.hint == secret[:10]
    assert secret not in str(PersonalAccessToken.objects.values_list().get())
    listing = client.get("/account/tokens/")  # a reload: no secret, no second token
    assert secret not in listing.content.decode()
    assert PersonalAccessToken.objects.count() == 1
    assert "backup script" in listing.content.decode()
    assert listing["Cache-Control"] == "no-store"


def test_create_refuses_bad_input(client, user):
    client.force_login(user)
    response = client.post("/account/tokens/", {"name": " ", "scope": "read"})
    assert response.status_code == 400 and "give the token a name" in response.content.decode()
    response = client.post("/account/tokens/", {"name": "x", "scope": "admin"})
    assert response.status_code == 400 and "scope must be one of" in response.content.decode()
    assert not PersonalAccessToken.objects.exists()


def test_token_pages_need_login(client):
    assert client.get("/account/tokens/")["Location"].startswith("/accounts/login/")


def test_bearer_read_token_reads_but_cannot_write(client, user):
    secret = personal_token_create(user=user, name="reader", scope="read").secret
    response = client.get("/api/whoami/", **bearer(secret))
    assert response.status_code == 200 and response.json()["email"] == user.email
    response = client.post("/api/whoami/", {"x": "1"}, **bearer(secret))
    assert response.status_code == 403
    assert response.json() == {"status": 403, "error": READ_ONLY}
    assert PersonalAccessToken.objects.get().last_used_at is not None


def test_read_write_token_writes(client, user):
    secret = personal_token_create(user=user, name="writer", scope="read write").secret
    response = client.post("/api/whoami/", {"x": "1"}, **bearer(secret))
    assert response.status_code == 200 and response.json()["posted"] == "1"


def test_token_as_basic_password(client, user):
    secret = personal_token_create(user=user, name="curl", scope="read").secret
    assert client.get("/api/whoami/", **basic_auth("USER@test.com", secret)).status_code == 200
    assert client.post("/api/whoami/", **basic_auth(user.email, secret)).status_code == 403
    # Another user's email with this token: refused like a wrong password.
    response = client.get("/api/whoami/", **basic_auth("other@test.com", secret))
    assert response.status_code == 401 and response["WWW-Authenticate"] == 'Basic realm="Xpenser"'
    # The account password still works next to tokens.
    assert client.post("/api/whoami/", **basic_auth(user.email)).status_code == 200


def test_revoked_token_is_refused(client, user):
    created = personal_token_create(user=user, name="old", scope="read write")
    client.force_login(user)
    response = client.post(f"/account/tokens/{created.token.pk}/revoke/")
    assert response.status_code == 302
    client.logout()
    response = client.get("/api/whoami/", **bearer(created.secret))
    assert response.status_code == 401
    assert response.json()["error"] == "Invalid or revoked personal access token."
    assert client.get("/api/whoami/", **basic_auth(user.email, created.secret)).status_code == 401


def test_cannot_revoke_someone_elses_token(client, user, other_user):
    created = personal_token_create(user=other_user, name="theirs", scope="read")
    client.force_login(user)
    client.post(f"/account/tokens/{created.token.pk}/revoke/")
    assert PersonalAccessToken.objects.get().revoked_at is None


def test_unknown_bearer_token(client):
    response = client.get("/api/whoami/", **bearer("xpp_nope"))
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/api/simple/?q=lunch+45&format=json", True),
        ("GET", "/api/simple?q=lunch+45", True),
        ("GET", "/api/oauth/simple/?q=lunch+45", True),
        ("GET", "/api/v1.0/expense/?q=lunch+45", True),
        ("GET", "/api/v1.0/expense/", True),  # a GET there creates from `q` (400 without it)
        ("OPTIONS", "/api/v1.0/expense/?q=x", False),
        ("GET", "/api/simple/", False),
        ("GET", "/api/expenses/?q=x", False),
        ("GET", "/api/expenses/?format=json", False),
        ("POST", "/api/expense/", True),
        ("DELETE", "/api/v1.0/expense/3/", True),
        ("HEAD", "/api/expenses/", False),
    ],
)
def test_what_counts_as_a_write(method, path, expected):
    """The answering view decides (xpenser_server.write_checks.request_writes)."""
    django_request = RequestFactory().generic(method, path)
    view = resolve(django_request.path_info).func.view_class()
    request = Request(django_request, parsers=view.get_parsers())
    assert request_writes(request, view) is expected
