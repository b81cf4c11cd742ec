"""OAuth 2 through django-oauth-toolkit: authorization code with PKCE, scopes read and write."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qsl, urlsplit

import pytest
from oauth2_provider.models import get_access_token_model, get_application_model

pytestmark = pytest.mark.django_db

REDIRECT = "https://app.example/oauth2/callback"


@pytest.fixture
def application(user):
    return get_application_model().objects.create(
        name="Phone App", client_type="public", authorization_grant_type="authorization-code",
        redirect_uris=REDIRECT, user=user,
    )


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def obtain_token(client, user, application, scope):
    verifier, challenge = pkce_pair()
    client.force_login(user)
    params = {
        "response_type": "code", "client_id": application.client_id, "redirect_uri": REDIRECT, "scope": scope,
        "state": "xyz", "code_challenge": challenge, "code_challenge_method": "S256",
    }
    page = client.get("/o/authorize/", params, secure=True)
    assert page.status_code == 200
    assert "Phone App" in page.content.decode()
    response = client.post("/o/authorize/", {**params, "allow": "Authorize"}, secure=True)
    assert response.status_code == 302, response.content
    query = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert query["state"] == "xyz"
    client.logout()
    token = client.post("/o/token/", {
        "grant_type": "authorization_code", "code": query["code"], "redirect_uri": REDIRECT,
        "client_id": application.client_id, "code_verifier": verifier,
    }, secure=True)
    assert token.status_code == 200, token.content
    return token.json()


def test_pkce_is_required(client, user, application):
    client.force_login(user)
    response = client.get("/o/authorize/", {"response_type": "code", "client_id": application.client_id,
                                            "redirect_uri": REDIRECT, "scope": "read"}, secure=True)
    assert response.status_code == 302
    assert dict(parse_qsl(urlsplit(response["Location"]).query)) == {
        "error": "invalid_request", "error_description": "Code challenge required."
    }


def test_read_scope_reads_and_cannot_write(client, user, application):
    token = obtain_token(client, user, application, "read")
    assert token["scope"] == "read"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token['access_token']}"}
    response = client.get("/api/whoami/", secure=True, **auth)
    assert response.status_code == 200 and response.json()["email"] == user.email
    response = client.post("/api/whoami/", {"x": "1"}, secure=True, **auth)
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]


def test_write_scope_writes_and_revocation_from_the_web_app(client, user, application):
    token = obtain_token(client, user, application, "read write")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token['access_token']}"}
    assert client.post("/api/whoami/", {"x": "1"}, secure=True, **auth).status_code == 200

    client.force_login(user)
    page = client.get("/account/applications/")
    assert "Phone App" in page.content.decode()
    client.post(f"/account/applications/oauth2/{application.pk}/revoke/")
    assert not get_access_token_model().objects.filter(user=user).exists()
    client.logout()
    assert client.get("/api/whoami/", secure=True, **auth).status_code == 401


def test_consent_page_is_the_apps_and_revoking_says_what_happened(client, user, application):
    verifier, challenge = pkce_pair()
    client.force_login(user)
    params = {"response_type": "code", "client_id": application.client_id, "redirect_uri": REDIRECT,
              "scope": "read write", "state": "s", "code_challenge": challenge, "code_challenge_method": "S256"}
    page = client.get("/o/authorize/", params, secure=True).content.decode()
    assert 'class="card narrow consent"' in page and "Authorize Phone App?" in page
    assert "Create, change and delete your expenses" in page and ">Allow</button>" in page and ">Deny</button>" in page
    denied = client.post("/o/authorize/", params, secure=True)
    assert "error=access_denied" in denied["Location"]

    obtain_token(client, user, application, "read write")  # a refresh token and its access token
    client.force_login(user)
    response = client.post(f"/account/applications/oauth2/{application.pk}/revoke/", follow=True)
    assert "Access revoked" in response.content.decode()
    response = client.post(f"/account/applications/oauth2/{application.pk}/revoke/", follow=True)
    assert "nothing was left to revoke" in response.content.decode()
