"""A seeded generator of hostile requests over every URL pattern x method x credential x body kind: never a 5xx.

One test case per body kind; each (pattern, method) gets the next credential in turn, so every credential
meets every kind; a failure names each 5xx with the exception behind it.
"""

import random
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from .hostile import BIG_INT, KINDS, hostile, raised
from .test_isolation import ADMIN_METHODS, CREDENTIALS
from .urlmap import METHODS, concrete_paths, patterns
from .world import send

pytestmark = pytest.mark.django_db
SEED = 12


def paths_for(world, pattern, kind):
    if kind == "overlong-int":  # ids beyond every integer column in the path too
        big = SimpleNamespace(**{**vars(world), "ids": dict.fromkeys(world.ids, BIG_INT)})
        return concrete_paths(big, pattern)[:1]
    return concrete_paths(world, pattern)[:1]


@pytest.mark.parametrize("kind, csrf", [*((kind, False) for kind in KINDS), ("utf16-form", True)])
def test_hostile_requests_never_get_a_5xx(world, kind, csrf):
    """With `csrf`, as a browser would: CSRF checked on every page, its Origin and a csrftoken cookie sent (a
    form post in UTF-16 then reaches the CSRF check, which cannot read it)."""
    rng = random.Random(f"{SEED}-{kind}")
    browser = {"HTTP_ORIGIN": "https://testserver"} if csrf else {}  # over HTTPS the Origin is checked first
    client = Client(raise_request_exception=False, enforce_csrf_checks=csrf, **browser)
    if csrf:
        client.cookies["csrftoken"] = "c" * 32
    statuses, failures, turn = Counter(), [], 0
    for pattern in patterns():
        admin = pattern.route.startswith("admin/")
        for path in paths_for(world, pattern, kind):
            for method in ADMIN_METHODS if admin else METHODS:
                credential = world.credentials[CREDENTIALS[turn % len(CREDENTIALS)]]
                turn += 1
                if turn % 150 == 0:
                    cache.clear()  # the anonymous throttle would answer 429 to the rest
                body, content_type, query = hostile(kind, rng)
                if method in ("GET", "HEAD") and kind != "huge":
                    body = b""
                response = send(client, credential, method, path, body, content_type, query)
                statuses[response.status_code // 100 * 100] += 1
                if response.status_code >= 500:
                    failures.append(f"{method} {path}?{query[:60]} as {credential.name}: "
                                    f"{response.status_code} {raised(response)}")
    print(f"hostile [{kind}{', csrf' if csrf else ''}]: {turn} requests, statuses {dict(sorted(statuses.items()))}")
    assert failures == []
