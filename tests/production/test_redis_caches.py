"""With REDIS_URL, what one worker stores another worker sees (skipped without Redis)."""

import os

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from accounts import authentication
from tests.conftest import basic_auth


def _request():
    """A request from one client address (axes counts sign-in failures per account and address)."""
    return RequestFactory().get("/api/expenses/")


pytestmark = [
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set"),
    pytest.mark.urls("tests.production.urls"),
]


def test_verified_credential_is_visible_to_a_second_cache_client(client, user, monkeypatch):
    assert client.get("/whoami", **basic_auth(user.email)).status_code == 200
    other_worker = caches.create_connection("default")
    entry = other_worker.get(authentication._credential_key(user.email, "password"))
    assert entry is not None
    assert entry[0] == user.pk
    # The second worker accepts the credential without running the password hasher again.
    monkeypatch.setattr(authentication, "cache", other_worker)
    monkeypatch.setattr(authentication, "authenticate", lambda **kwargs: pytest.fail("hashed again"))
    assert authentication.verify_credentials(_request(), user.email, "password") == user


def test_changed_password_invalidates_the_shared_entry(client, user, monkeypatch):
    assert client.get("/whoami", **basic_auth(user.email)).status_code == 200
    user.set_password("a-new-password")
    user.save()
    monkeypatch.setattr(authentication, "cache", caches.create_connection("default"))
    assert authentication.verify_credentials(_request(), user.email, "password") is None


def test_oauth_nonce_replay_is_refused_by_another_worker(db, monkeypatch):
    from oauth_bridge import nonces as nonces_module
    from oauth_bridge.models import Nonce
    from oauth_bridge.validator import OAuthValidator

    def signed_request_on(worker_cache, nonce):
        monkeypatch.setattr(nonces_module, "cache", worker_cache)
        validator = OAuthValidator(secure=True)
        return validator.validate_timestamp_and_nonce("consumer-key", "1700000000", nonce, object(),
                                                      access_token="token-1")

    worker_a, worker_b = caches.create_connection("default"), caches.create_connection("default")
    assert signed_request_on(worker_a, "nonce-123") is True
    assert signed_request_on(worker_b, "nonce-123") is False
    # Another nonce from the same client goes through on either worker.
    assert signed_request_on(worker_b, "nonce-124") is True
    assert signed_request_on(worker_a, "nonce-125") is True
    # Redis holds them: no database write per signed request.
    assert not Nonce.objects.exists()
