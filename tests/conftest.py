"""Shared fixtures: users, Basic-auth headers, a clean cache and a fast password hasher."""

import base64
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.utils import timezone

from currencies import services as rate_services
from currencies.ecb import RateDay, parse_feed
from oauth_bridge.nonce_file import nonce_files_clear
from tests.factories import DEFAULT_PASSWORD, UserFactory
from xpenser_server.throttling import SlidingWindowThrottle


@pytest.fixture(autouse=True)
def _fast_hasher_and_clean_cache(settings):
    # The real hasher costs ~0.2 s per check; tests that measure hashing set it back themselves.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if "login_failures" in settings.CACHES:  # in-process tests count failed sign-ins in memory, per test
        settings.CACHES = {**settings.CACHES, "login_failures": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "login-failures"}}
        caches["login_failures"].clear()
    cache.clear()
    SlidingWindowThrottle.finished_counts.clear()  # what this process read of the cache
    nonce_files_clear()
    yield
    cache.clear()


# The database queue (django-tasks-db), whatever the environment: with REDIS_URL set RQ is the default queue.
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def database_queue(settings):
    """Jobs go to the database queue in every test (the tests of the Redis queue choose theirs): the same test
    with and without REDIS_URL, and no test's job ever lands in a Redis that a development worker serves."""
    settings.TASKS = DATABASE_QUEUE


# Eight days of rates (26 Oct to 4 Nov 2026, weekend 31 Oct/1 Nov) in the ECB's format; no test uses the network.
ECB_SAMPLE = Path(__file__).parent / "currencies" / "ecb-sample.xml"


@pytest.fixture
def ecb_rates(db):
    """The rates of ECB_SAMPLE on file."""
    return rate_services.rates_import(days=parse_feed(ECB_SAMPLE))


@pytest.fixture
def rates_today(db):
    """Rates for today (UTC), whatever day the tests run: 1 EUR = 1.1 USD = 0.85 GBP."""
    today = timezone.localdate(timezone.now(), dt.UTC)
    rate_services.rates_import(days=[RateDay(today, {"USD": Decimal("1.1"), "GBP": Decimal("0.85")})])
    return today


def basic_auth(email: str, password: str = DEFAULT_PASSWORD) -> dict:
    """Test-client kwargs carrying a real `Authorization: Basic` header."""
    token = base64.b64encode(f"{email}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def user(db):
    return UserFactory(email="user@test.com")


@pytest.fixture
def other_user(db):
    return UserFactory(email="other@test.com")


@pytest.fixture
def auth(user):
    return basic_auth(user.email)


@pytest.fixture
def client():
    return Client()
