"""Signed API requests: every refusal is a 401 with the OAuth challenge and a JSON message, never a 500."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauthlib.oauth1 import Client

from oauth_bridge.models import AccessToken, Consumer, Nonce
from oauth_bridge.nonces import prune_nonces
from oauth_bridge.validator import OAuthValidator
from tests.conftest import basic_auth
from tests.factories import UserFactory
from tests.oauth_bridge.conftest import signed, token_client

pytestmark = pytest.mark.django_db

URL = "https://testserver/api/whoami/?format=json"


@pytest.fixture
def access(consumer, user):
    token = AccessToken.objects.create(consumer=consumer, user=user, key="access-token-key-123456",
                                       secret="access-token-secret-1")
    return {"oauth_token": token.key, "oauth_token_secret": token.secret}


def assert_oauth_401(response, message):
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == 'OAuth realm="Xpenser"'
    assert response.json() == {"status": 401, "error": message}


def test_valid_request_is_accepted_and_marks_the_token_used(client, consumer, access):
    response = signed(client, "GET", URL, token_client(consumer, access))
    assert response.status_code == 200
    assert AccessToken.objects.get().last_used_at is not None


def test_valid_request_reads_its_consumer_token_and_user_in_one_query(client, consumer, access):
    with CaptureQueriesContext(connection) as queries:
        response = signed(client, "GET", URL, token_client(consumer, access))
    assert response.status_code == 200
    consumer_reads = [q["sql"] for q in queries.captured_queries
                      if q["sql"].startswith("SELECT") and Consumer._meta.db_table in q["sql"]]
    assert len(consumer_reads) == 1
    assert AccessToken._meta.db_table in consumer_reads[0] and "accounts_user" in consumer_reads[0]


def test_deactivated_consumer_is_refused_with_a_valid_token(client, consumer, access):
    Consumer.objects.update(is_active=False)
    assert_oauth_401(signed(client, "GET", URL, token_client(consumer, access)), "OAuth: unknown consumer key.")


def test_bad_signature(client, consumer, access):
    oauth = Client(consumer.key, client_secret="not-the-secret", resource_owner_key=access["oauth_token"],
                   resource_owner_secret=access["oauth_token_secret"])
    assert_oauth_401(signed(client, "GET", URL, oauth), "OAuth: invalid signature.")


def test_tampered_query_breaks_the_signature(client, consumer, access):
    oauth = token_client(consumer, access)
    _, headers, _ = oauth.sign(URL)
    response = client.get("/api/whoami/?format=csv", secure=True, HTTP_AUTHORIZATION=headers["Authorization"])
    assert_oauth_401(response, "OAuth: invalid signature.")


def test_unknown_consumer(client, consumer, access):
    oauth = Client("no-such-consumer", client_secret=consumer.secret, resource_owner_key=access["oauth_token"],
                   resource_owner_secret=access["oauth_token_secret"])
    assert_oauth_401(signed(client, "GET", URL, oauth), "OAuth: unknown consumer key.")


def test_revoked_token(client, consumer, access):
    AccessToken.objects.update(revoked_at=timezone.now())
    assert_oauth_401(signed(client, "GET", URL, token_client(consumer, access)),
                     "OAuth: access token has been revoked.")


def test_unknown_token(client, consumer):
    fake = {"oauth_token": "never-issued-token-123", "oauth_token_secret": "x"}
    assert_oauth_401(signed(client, "GET", URL, token_client(consumer, fake)), "OAuth: unknown access token.")


def test_token_of_another_consumer(client, consumer, access):
    other = Consumer.objects.create(name="Other", key="other-consumer-key", secret="other-secret")
    assert_oauth_401(signed(client, "GET", URL, token_client(other, access)),
                     "OAuth: access token was issued to another consumer.")


def test_inactive_user(client, consumer, access, user):
    user.is_active = False
    user.save()
    assert_oauth_401(signed(client, "GET", URL, token_client(consumer, access)),
                     "OAuth: the user of this access token is inactive.")


def test_replayed_nonce(client, consumer, access):
    _, headers, _ = token_client(consumer, access).sign(URL)
    first = client.get("/api/whoami/?format=json", secure=True, HTTP_AUTHORIZATION=headers["Authorization"])
    assert first.status_code == 200
    replay = client.get("/api/whoami/?format=json", secure=True, HTTP_AUTHORIZATION=headers["Authorization"])
    assert_oauth_401(replay, "OAuth: nonce already used (replayed request).")


@pytest.mark.parametrize("skew", [-700, 700])
def test_timestamp_outside_the_window(client, consumer, access, skew):
    oauth = token_client(consumer, access, timestamp=str(int(time.time()) + skew))
    response = signed(client, "GET", URL, oauth)
    assert response.status_code == 401
    assert "Timestamp given is invalid" in response.json()["error"]
    assert response["WWW-Authenticate"] == 'OAuth realm="Xpenser"'


def test_request_token_is_no_access_token(client, consumer):
    oauth = Client(consumer.key, client_secret=consumer.secret)
    response = signed(client, "GET", URL, oauth)
    assert_oauth_401(response, "OAuth: missing oauth_token (sign API requests with an access token).")


def test_missing_parameters_and_garbage_headers(client):
    for header in ('OAuth oauth_consumer_key="x"', "OAuth ,,,", 'OAuth oauth_signature="%ZZ"', "OAuth " + "a" * 5000):
        response = client.get("/api/whoami/", secure=True, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, (header, response.content)
        assert response["WWW-Authenticate"] == 'OAuth realm="Xpenser"'


def test_plaintext_over_http_is_refused_on_the_api(client, consumer, access, settings):
    settings.XPENSER_OAUTH_INSECURE_TRANSPORT = True
    oauth = token_client(consumer, access, signature_method="PLAINTEXT")
    response = signed(client, "GET", "http://testserver/api/whoami/", oauth)
    assert response.status_code == 401
    assert "PLAINTEXT signatures are accepted over HTTPS only" in response.json()["error"]
    assert signed(client, "GET", "https://testserver/api/whoami/", oauth).status_code == 200


def test_plain_http_is_refused_in_production(client, consumer, access, settings):
    settings.DEBUG = False
    settings.XPENSER_OAUTH_INSECURE_TRANSPORT = False
    response = signed(client, "GET", "http://testserver/api/whoami/", token_client(consumer, access))
    assert response.status_code == 401
    assert response.json()["error"] == "OAuth: OAuth requests must use HTTPS on this server."


def test_no_credentials_still_challenges_with_basic(client):
    response = client.get("/api/whoami/", secure=True)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Xpenser"'


def test_basic_auth_unaffected(client, user):
    assert client.get("/api/whoami/", secure=True, **basic_auth(user.email)).json()["email"] == user.email


def test_tokens_are_per_user(client, consumer, access):
    other = UserFactory(email="other@test.com")
    token = AccessToken.objects.create(consumer=consumer, user=other, key="other-access-token-12345", secret="s" * 20)
    response = signed(client, "GET", URL, token_client(consumer, {"oauth_token": token.key,
                                                                  "oauth_token_secret": token.secret}))
    assert response.json()["email"] == "other@test.com"


@pytest.mark.parametrize("store", ["database", "redis"])
def test_nonce_store_rejects_replays(settings, store):
    # Without Redis: a file beside an SQLite database, the Nonce table on PostgreSQL; with it, the cache.
    if store == "redis" and not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    if store == "database":
        settings.REDIS_URL = ""
    validator = OAuthValidator(secure=True)
    now = int(time.time())

    class Req:
        pass

    assert validator.validate_timestamp_and_nonce("ck", str(now), "nonce-abcdefgh", Req(), access_token="t")
    assert not validator.validate_timestamp_and_nonce("ck", str(now), "nonce-abcdefgh", Req(), access_token="t")
    # The same nonce with another token or consumer is a different request.
    assert validator.validate_timestamp_and_nonce("ck", str(now), "nonce-abcdefgh", Req(), access_token="u")
    assert validator.validate_timestamp_and_nonce("ck2", str(now), "nonce-abcdefgh", Req(), access_token="t")
    assert validator.failure == "nonce already used (replayed request)"
    in_table = store == "database" and connection.vendor != "sqlite"
    assert Nonce.objects.count() == (3 if in_table else 0)


def test_nonce_table_forgets_old_ones(settings):
    if connection.vendor == "sqlite":
        pytest.skip("an SQLite deployment keeps its nonces in a file beside the database")
    settings.REDIS_URL = ""
    validator = OAuthValidator(secure=True)
    now = int(time.time())
    for nonce in ("nonce-1-abcdefgh", "nonce-2-abcdefgh", "nonce-3-abcdefgh"):
        assert validator.validate_timestamp_and_nonce("ck", str(now), nonce, object(), access_token="t")
    Nonce.objects.create(consumer_key="ck", timestamp=now - settings.XPENSER_OAUTH_TIMESTAMP_WINDOW - 5, nonce="old")
    assert prune_nonces() == 1
    assert Nonce.objects.count() == 3
