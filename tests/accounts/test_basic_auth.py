from unittest import mock

import pytest
from django.contrib.auth import hashers
from django.test import RequestFactory

from accounts.authentication import CachedBasicAuthentication, verify_credentials
from tests.conftest import basic_auth


def _request():
    """A request from one client address (axes counts sign-in failures per account and address)."""
    return RequestFactory().get("/api/expenses/")


pytestmark = pytest.mark.django_db


def count_hashes():
    return mock.patch.object(hashers.MD5PasswordHasher, "verify", autospec=True, side_effect=hashers.MD5PasswordHasher.verify)


def test_verified_credentials_are_cached_so_repeated_requests_skip_the_hasher(user):
    with count_hashes() as verify:
        for _ in range(50):
            assert verify_credentials(_request(), "user@test.com", "password") == user
    assert verify.call_count == 1


def test_failures_are_never_cached(user):
    with count_hashes() as verify:
        for _ in range(3):
            assert verify_credentials(_request(), "user@test.com", "wrong") is None
    assert verify.call_count == 3


def test_password_change_invalidates_the_cached_entry(user):
    assert verify_credentials(_request(), "user@test.com", "password") == user
    user.set_password("new-password-1")
    user.save()
    assert verify_credentials(_request(), "user@test.com", "password") is None
    assert verify_credentials(_request(), "user@test.com", "new-password-1") == user


def test_deactivated_user_is_refused_even_when_cached(user):
    assert verify_credentials(_request(), "user@test.com", "password") == user
    user.is_active = False
    user.save()
    assert verify_credentials(_request(), "user@test.com", "password") is None


def test_cache_can_be_disabled(user, settings):
    settings.XPENSER_BASIC_AUTH_CACHE_SECONDS = 0
    with count_hashes() as verify:
        verify_credentials(_request(), "user@test.com", "password")
        verify_credentials(_request(), "user@test.com", "password")
    assert verify.call_count == 2


def test_cache_key_does_not_contain_the_password(user):
    from django.core.cache import cache

    with mock.patch.object(cache, "set", wraps=cache.set) as cache_set:
        verify_credentials(_request(), "user@test.com", "password")
    key, value, ttl = cache_set.call_args.args
    assert "password" not in key and "user@test.com" not in key
    assert ttl == 300


def test_email_is_case_insensitive(user):
    assert verify_credentials(_request(), "USER@Test.com", "password") == user


def test_authentication_class_challenge_header():
    request = RequestFactory().get("/api/expenses/", **basic_auth("x@y.z"))
    assert CachedBasicAuthentication().authenticate_header(request) == 'Basic realm="Xpenser"'


def test_a_script_of_many_basic_auth_requests_pays_one_password_hash(client, settings):
    """The real (slow) hasher runs once for 50 API requests with the same credentials."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from expenses.models import Expense
    from tests.factories import UserFactory

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    script_user = UserFactory(email="script@test.com")  # hashed with PBKDF2 now
    with mock.patch.object(PBKDF2PasswordHasher, "verify", autospec=True,
                           side_effect=PBKDF2PasswordHasher.verify) as verify:
        for n in range(50):
            response = client.get("/api/simple/", {"q": f"taxi {n + 1}", "format": "json"},
                                  **basic_auth("script@test.com"))
            assert response.status_code == 200
        wrong = client.get("/api/expenses/", **basic_auth("script@test.com", "wrong"))
    assert wrong.status_code == 401
    assert verify.call_count == 2  # one success, then the failure (never cached)
    assert Expense.objects.filter(owner=script_user).count() == 50


def test_concurrent_first_requests_check_the_password_once(transactional_db, monkeypatch):
    import threading
    import time

    from accounts import authentication
    from tests.factories import UserFactory

    user = UserFactory(email="burst@test.com")
    real_authenticate, calls = authentication.authenticate, []

    def slow_authenticate(**kwargs):
        calls.append(kwargs["username"])
        time.sleep(0.2)  # the slow hasher: the other threads arrive meanwhile
        return real_authenticate(**kwargs)

    monkeypatch.setattr(authentication, "authenticate", slow_authenticate)
    results = []

    def request():
        results.append(authentication.verify_credentials(_request(), "burst@test.com", "password"))
        from django.db import connection

        connection.close()

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [u.pk for u in results] == [user.pk] * 4
    assert calls == ["burst@test.com"]
    # A wrong password is still checked (and refused) every time.
    assert authentication.verify_credentials(_request(), "burst@test.com", "wrong") is None
    assert len(calls) == 2
