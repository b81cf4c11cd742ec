"""Throttling: a generous per-user rate for scripts, a modest anonymous one, 429 with Retry-After."""

from types import SimpleNamespace

import pytest
from django.core.cache import caches

from tests.conftest import basic_auth
from xpenser_server import throttling
from xpenser_server.throttling import SlidingWindowThrottle, UserRateThrottle

pytestmark = pytest.mark.urls("tests.production.urls")


@pytest.fixture
def rates(monkeypatch):
    def set_rates(**rates):
        monkeypatch.setattr(SlidingWindowThrottle, "THROTTLE_RATES", {"user": None, "anon": None, **rates})

    return set_rates


@pytest.fixture
def clock(monkeypatch):
    """The throttles' time, in seconds: `clock[0]`, moved by the test (it starts 59 s into minute 1,000,000)."""
    now = [1_000_000 * 60.0 + 59]
    monkeypatch.setattr(UserRateThrottle, "timer", staticmethod(lambda: now[0]))
    return now


def counting_cache(reads: list):
    """The default cache, noting in `reads` the key of every get (incr and add are the cache's own)."""

    class CountingCache:
        def __getattr__(self, name):
            return getattr(caches["default"], name)

        def get(self, key, default=None):
            reads.append(key)
            return caches["default"].get(key, default)

    return CountingCache()


def allowed(user) -> bool:
    """What the user's throttle answers a request now (a fresh throttle, as each request gets)."""
    return UserRateThrottle().allow_request(SimpleNamespace(user=user), None)


def test_user_over_the_rate_gets_429_with_retry_after_in_header_and_envelope(client, user, other_user, auth, rates):
    rates(user="3/minute")
    for _ in range(3):
        assert client.get("/whoami", **auth).status_code == 200
    response = client.get("/whoami", **auth)
    assert response.status_code == 429
    body = response.json()
    assert body["status"] == 429
    assert "throttled" in body["error"].lower()
    assert 1 <= body["retry_after"] <= 120
    assert response["Retry-After"] == str(body["retry_after"])
    # Another user has an allowance of their own.
    assert client.get("/whoami", **basic_auth(other_user.email)).status_code == 200


def test_refused_requests_do_not_use_up_the_allowance(user, rates, clock):
    rates(user="2/minute")
    assert allowed(user) and allowed(user)
    assert not any(allowed(user) for _ in range(5))
    assert caches["default"].get(f"throttle:user:{user.pk}:1000000") == 2  # what the next window weighs
    # Two windows later nothing of the earlier traffic weighs any more.
    clock[0] += 120
    assert allowed(user) and allowed(user)
    assert not allowed(user)


def test_sliding_window_weighs_the_previous_window(user, rates, clock):
    rates(user="10/minute")
    assert all(allowed(user) for _ in range(10))
    # One second into the next window, the 10 earlier requests still weigh ~9.8: no burst of 20.
    clock[0] += 2
    throttle = UserRateThrottle()
    assert not throttle.allow_request(SimpleNamespace(user=user), None)
    assert 1 <= throttle.wait() <= 60


def test_a_finished_window_is_read_from_the_cache_once_and_still_weighs(user, rates, clock, monkeypatch):
    rates(user="10/minute")
    reads = []
    monkeypatch.setattr(SlidingWindowThrottle, "cache", counting_cache(reads))
    assert [allowed(user) for _ in range(11)] == [True] * 10 + [False]
    clock[0] += 2  # 1 s into the next window: the 10 weigh ~9.8
    assert not allowed(user)
    clock[0] += 29  # halfway: they weigh 5
    assert [allowed(user) for _ in range(6)] == [True] * 5 + [False]
    key = f"throttle:user:{user.pk}"
    assert reads == [f"{key}:999999", f"{key}:1000000"]


def test_a_full_store_of_finished_counts_is_emptied_and_read_again(user, other_user, rates, clock, monkeypatch):
    rates(user="10/minute")
    monkeypatch.setattr(throttling, "FINISHED_COUNTS_MAX", 1)
    reads = []
    monkeypatch.setattr(SlidingWindowThrottle, "cache", counting_cache(reads))
    assert all(allowed(user) for _ in range(10))
    clock[0] += 31  # half of the next window: the 10 weigh 5
    assert [allowed(user) for _ in range(6)] == [True] * 5 + [False]
    assert allowed(other_user)  # its count takes the only place
    assert list(SlidingWindowThrottle.finished_counts) == [f"user:60:throttle:user:{other_user.pk}:1000000"]
    assert not allowed(user)  # read again: still the 5 of the last window and the 5 of this one
    finished = f"throttle:user:{user.pk}:1000000"
    assert reads == [f"throttle:user:{user.pk}:999999", finished, f"throttle:user:{other_user.pk}:1000000", finished]


def test_anonymous_rate_applies_to_public_views_only(client, user, rates):
    rates(anon="2/minute", user="100/minute")
    assert client.get("/public").status_code == 200
    assert client.get("/public").status_code == 200
    assert client.get("/public").status_code == 429
    # No credentials on a protected view: the 401 challenge, never a 429 (challenge-first clients).
    for _ in range(3):
        response = client.get("/whoami")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Basic realm="Xpenser"'
    # A spoofed X-Forwarded-For does not buy a fresh anonymous allowance.
    assert client.get("/public", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_counts_are_shared_by_workers_through_the_cache(user, rates, monkeypatch):
    """Two cache clients (as two worker processes would hold) count against one allowance."""
    rates(user="3/minute")
    worker_a, worker_b = caches.create_connection("default"), caches.create_connection("default")
    results = []
    for cache in (worker_a, worker_b, worker_a, worker_b):
        monkeypatch.setattr(throttling.SlidingWindowThrottle, "cache", cache)
        results.append(allowed(user))
    assert results == [True, True, True, False]
