"""The OAuth 1 three-legged flow end to end through the test client, signed by oauthlib's Client."""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, SIGNATURE_PLAINTEXT

from oauth_bridge.models import AccessToken, RequestToken
from tests.oauth_bridge.conftest import (
    SIGNATURE_TYPE_BODY,
    SIGNATURE_TYPE_QUERY,
    consumer_client,
    form,
    signed,
    token_client,
)

pytestmark = pytest.mark.django_db

BASE = "https://testserver"
CALLBACK = "https://app.example/callback/"


def get_request_token(client, consumer, callback=CALLBACK, path="/oauth/request_token", **kwargs):
    response = signed(client, "POST", BASE + path, consumer_client(consumer, callback_uri=callback, **kwargs))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/x-www-form-urlencoded"
    token = form(response)
    assert token["oauth_callback_confirmed"] == "true"
    return token


def approve(client, user, request_token, extra_query=None, decision="allow", path="/oauth/authorize"):
    client.force_login(user)
    url = path + "?" + urlencode({"oauth_token": request_token["oauth_token"], **(extra_query or {})})
    page = client.get(url, secure=True)
    assert page.status_code == 200
    return client.post(url, {"decision": decision}, secure=True)


def redirect_params(response) -> dict:
    assert response.status_code == 302
    return dict(parse_qsl(urlsplit(response["Location"]).query))


def test_oauth10a_dance_with_callback(client, user, consumer):
    request_token = get_request_token(client, consumer)

    response = approve(client, user, request_token)
    assert response["Location"].startswith(CALLBACK + "?")
    params = redirect_params(response)
    assert params["oauth_token"] == request_token["oauth_token"]
    verifier = params["oauth_verifier"]

    client.logout()  # the consumer, not the browser, makes the exchange
    exchange = consumer_client(consumer, resource_owner_key=request_token["oauth_token"],
                               resource_owner_secret=request_token["oauth_token_secret"], verifier=verifier)
    response = signed(client, "POST", BASE + "/oauth/access_token", exchange)
    assert response.status_code == 200, response.content
    access = form(response)
    assert set(access) >= {"oauth_token", "oauth_token_secret"}
    stored = AccessToken.objects.get(key=access["oauth_token"])
    assert (stored.user, stored.consumer) == (user, consumer)
    assert not RequestToken.objects.filter(key=request_token["oauth_token"]).exists()

    api = signed(client, "GET", BASE + "/api/whoami/?format=json", token_client(consumer, access))
    assert api.status_code == 200, api.content
    assert api.json() == {"status": 200, "email": "user@test.com"}
    # /api/oauth/ mirrors /api/, the versioned family accepts the same signatures.
    for path in ("/api/oauth/whoami/?format=json", "/api/v1.0/whoami/"):
        assert signed(client, "GET", BASE + path, token_client(consumer, access)).status_code == 200

    # The request token is spent.
    again = signed(client, "POST", BASE + "/oauth/access_token", exchange)
    assert again.status_code == 401


def test_oob_shows_the_verifier_and_it_is_required(client, user, consumer):
    request_token = get_request_token(client, consumer, callback="oob")
    response = approve(client, user, request_token)
    assert response.status_code == 200
    verifier = RequestToken.objects.get(key=request_token["oauth_token"]).verifier
    assert verifier and verifier in response.content.decode()
    assert "Expense Sync" in response.content.decode()

    without = consumer_client(consumer, resource_owner_key=request_token["oauth_token"],
                              resource_owner_secret=request_token["oauth_token_secret"])
    response = signed(client, "POST", BASE + "/oauth/access_token", without)
    assert response.status_code == 400
    assert "Missing oauth_verifier" in form(response)["error_description"]

    wrong = consumer_client(consumer, resource_owner_key=request_token["oauth_token"],
                            resource_owner_secret=request_token["oauth_token_secret"], verifier="x" * 30)
    response = signed(client, "POST", BASE + "/oauth/access_token", wrong)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'OAuth realm="Xpenser"'
    assert form(response)["error_description"] == "wrong oauth_verifier"

    right = consumer_client(consumer, resource_owner_key=request_token["oauth_token"],
                            resource_owner_secret=request_token["oauth_token_secret"], verifier=verifier)
    assert signed(client, "POST", BASE + "/oauth/access_token", right).status_code == 200


def test_1_0a_consumer_ignores_a_callback_on_the_authorize_url(client, user, consumer):
    request_token = get_request_token(client, consumer)
    response = approve(client, user, request_token, {"oauth_callback": "https://evil.example/steal"})
    assert response["Location"].startswith(CALLBACK)


def test_legacy_oauth10_dance_without_verifier(client, user, legacy_consumer):
    # What the Ruby `oauth` gem does: oob at request-token time, callback on the authorize URL, no verifier.
    request_token = get_request_token(client, legacy_consumer, callback="oob")
    response = approve(client, user, request_token, {"oauth_callback": "http://your_address_here.com/callback/"},
                       path="/oauth/request_tokenauthorize")
    assert response["Location"].startswith("http://your_address_here.com/callback/?")
    assert redirect_params(response)["oauth_token"] == request_token["oauth_token"]

    client.logout()
    exchange = consumer_client(legacy_consumer, resource_owner_key=request_token["oauth_token"],
                               resource_owner_secret=request_token["oauth_token_secret"])
    response = signed(client, "POST", BASE + "/oauth/access_token/", exchange)
    assert response.status_code == 200, response.content
    access = form(response)
    api = signed(client, "GET", BASE + "/api/oauth/whoami/?format=json", token_client(legacy_consumer, access))
    assert api.json()["email"] == "user@test.com"


def test_legacy_request_token_without_callback_defaults_to_oob(client, legacy_consumer):
    response = signed(client, "POST", BASE + "/oauth/request_token", consumer_client(legacy_consumer))
    assert response.status_code == 200
    assert RequestToken.objects.get(key=form(response)["oauth_token"]).callback == "oob"


def test_1_0a_request_token_requires_a_callback(client, consumer):
    response = signed(client, "POST", BASE + "/oauth/request_token", consumer_client(consumer))
    assert response.status_code == 400
    assert form(response)["error_description"] == "Missing callback URI."


def test_legacy_exchange_before_authorization_is_refused(client, legacy_consumer):
    request_token = get_request_token(client, legacy_consumer, callback="oob")
    exchange = consumer_client(legacy_consumer, resource_owner_key=request_token["oauth_token"],
                               resource_owner_secret=request_token["oauth_token_secret"])
    response = signed(client, "POST", BASE + "/oauth/access_token", exchange)
    assert response.status_code == 401
    assert form(response)["error_description"] == "request token not authorized by the user"
    assert not AccessToken.objects.exists()


def test_legacy_callback_must_match_the_registered_one(client, user, legacy_consumer):
    legacy_consumer.callback = "https://app.example/cb/"
    legacy_consumer.save()
    request_token = get_request_token(client, legacy_consumer, callback="oob")
    client.force_login(user)
    url = "/oauth/authorize?" + urlencode({"oauth_token": request_token["oauth_token"],
                                           "oauth_callback": "https://evil.example/cb/"})
    response = client.get(url, secure=True)
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()
    allowed = approve(client, user, request_token, {"oauth_callback": "https://app.example/cb/done"})
    assert allowed["Location"].startswith("https://app.example/cb/done?")


def test_request_token_callback_outside_the_registered_one_is_refused(client, consumer):
    consumer.callback = "https://app.example/cb/"
    consumer.save()
    response = signed(client, "POST", BASE + "/oauth/request_token",
                      consumer_client(consumer, callback_uri="https://evil.example/"))
    assert response.status_code == 401
    assert form(response)["error_description"] == "callback URL not allowed for this consumer"


def test_authorize_requires_login_and_comes_back(client, user, consumer):
    request_token = get_request_token(client, consumer)
    url = "/oauth/authorize?oauth_token=" + request_token["oauth_token"]
    response = client.get(url, secure=True)
    assert response.status_code == 302
    login = response["Location"]
    assert login.startswith("/accounts/login/?next=")
    response = client.post(login, {"username": "user@test.com", "password": "password"}, secure=True)
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url, secure=True)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Expense Sync" in body and "Allow" in body and "Deny" in body and "csrfmiddlewaretoken" in body


def test_authorize_post_is_csrf_protected(user, consumer):
    from django.test import Client as DjangoClient

    browser = DjangoClient(enforce_csrf_checks=True)
    request_token = get_request_token(browser, consumer)
    browser.force_login(user)
    response = browser.post("/oauth/authorize?oauth_token=" + request_token["oauth_token"],
                            {"decision": "allow"}, secure=True)
    assert response.status_code == 403
    assert RequestToken.objects.get(key=request_token["oauth_token"]).authorized_at is None


def test_deny_redirects_with_an_error_and_spends_the_token(client, user, consumer):
    request_token = get_request_token(client, consumer)
    response = approve(client, user, request_token, decision="deny")
    params = redirect_params(response)
    assert params == {"error": "access_denied", "oauth_problem": "user_refused"}
    assert not RequestToken.objects.exists()


def test_deny_with_oob_shows_access_denied(client, user, consumer):
    request_token = get_request_token(client, consumer, callback="oob")
    response = approve(client, user, request_token, decision="deny")
    assert response.status_code == 200
    assert "Access denied" in response.content.decode()


def test_unknown_or_used_authorize_token_gets_a_clear_page(client, user, consumer):
    client.force_login(user)
    response = client.get("/oauth/authorize?oauth_token=nosuchtoken1234567890", secure=True)
    assert response.status_code == 400
    assert "invalid, has expired or has already been used" in response.content.decode()
    assert client.get("/oauth/authorize", secure=True).status_code == 400


def test_expired_request_token_cannot_be_authorized(client, user, consumer, settings):
    request_token = get_request_token(client, consumer)
    settings.XPENSER_OAUTH_REQUEST_TOKEN_SECONDS = -1
    client.force_login(user)
    response = client.get("/oauth/authorize?oauth_token=" + request_token["oauth_token"], secure=True)
    assert response.status_code == 400


@pytest.mark.parametrize("signature_type", [SIGNATURE_TYPE_QUERY, SIGNATURE_TYPE_BODY])
def test_parameters_in_query_or_form_body(client, user, consumer, signature_type):
    oauth = consumer_client(consumer, callback_uri="oob")
    response = signed(client, "POST", BASE + "/oauth/request_token", oauth, signature_type=signature_type)
    assert response.status_code == 200, response.content
    request_token = form(response)
    approve(client, user, request_token)
    verifier = RequestToken.objects.get(key=request_token["oauth_token"]).verifier
    client.logout()
    exchange = consumer_client(consumer, resource_owner_key=request_token["oauth_token"],
                               resource_owner_secret=request_token["oauth_token_secret"], verifier=verifier)
    access = form(signed(client, "POST", BASE + "/oauth/access_token", exchange, signature_type=signature_type))
    api = signed(client, "GET", BASE + "/api/whoami/?format=json", token_client(consumer, access),
                 signature_type=SIGNATURE_TYPE_QUERY)
    assert api.status_code == 200, api.content
    posted = signed(client, "POST", BASE + "/api/whoami/", token_client(consumer, access),
                    data={"x": "lunch 12"}, signature_type=signature_type)
    assert posted.status_code == 200, posted.content
    assert posted.json()["posted"] == "lunch 12"


def test_get_token_requests_work_too(client, consumer):
    response = signed(client, "GET", BASE + "/oauth/request_token/", consumer_client(consumer, callback_uri="oob"))
    assert response.status_code == 200


@pytest.mark.parametrize("method", [SIGNATURE_HMAC_SHA256, SIGNATURE_PLAINTEXT])
def test_hmac_sha256_and_plaintext_over_https(client, consumer, method):
    oauth = consumer_client(consumer, callback_uri="oob", signature_method=method)
    assert signed(client, "POST", BASE + "/oauth/request_token", oauth).status_code == 200


def test_plaintext_refused_over_http(client, consumer, settings):
    settings.XPENSER_OAUTH_INSECURE_TRANSPORT = True
    oauth = consumer_client(consumer, callback_uri="oob", signature_method=SIGNATURE_PLAINTEXT)
    response = signed(client, "POST", "http://testserver/oauth/request_token", oauth)
    assert response.status_code == 400
    assert form(response)["error_description"].startswith("PLAINTEXT signatures are accepted over HTTPS only")
    hmac = consumer_client(consumer, callback_uri="oob")
    assert signed(client, "POST", "http://testserver/oauth/request_token", hmac).status_code == 200


def test_plain_http_refused_unless_enabled(client, consumer, settings):
    settings.DEBUG = False
    settings.XPENSER_OAUTH_INSECURE_TRANSPORT = False
    oauth = consumer_client(consumer, callback_uri="oob")
    response = signed(client, "POST", "http://testserver/oauth/request_token", oauth)
    assert response.status_code == 400
    assert form(response)["error"] == "insecure_transport_protocol"
    assert "HTTPS" in form(response)["error_description"]
    settings.DEBUG = True  # `make run` development mode
    assert signed(client, "POST", "http://testserver/oauth/request_token", oauth).status_code == 200


def test_signature_uses_the_url_the_client_saw_behind_a_proxy(client, consumer, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.USE_X_FORWARDED_HOST = True
    settings.ALLOWED_HOSTS = ["testserver", "xpenser.example.org"]
    oauth = consumer_client(consumer, callback_uri="oob")
    oauth.signature_type = "AUTH_HEADER"
    _, headers, _ = oauth.sign("https://xpenser.example.org/oauth/request_token", http_method="POST",
                               body={}, headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = client.post("/oauth/request_token", data="", content_type="application/x-www-form-urlencoded",
                           HTTP_AUTHORIZATION=headers["Authorization"], HTTP_X_FORWARDED_PROTO="https",
                           HTTP_X_FORWARDED_HOST="xpenser.example.org")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("header", ["OAuth ,,,", 'OAuth oauth_consumer_key="x"', "OAuth realm"])
@pytest.mark.parametrize("path", ["/oauth/request_token", "/oauth/access_token"])
def test_malformed_token_requests_are_400_not_500(client, header, path):
    response = client.post(path, secure=True, HTTP_AUTHORIZATION=header)
    assert response.status_code == 400
    assert form(response)["error"] == "invalid_request"
