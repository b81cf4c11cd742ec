"""A wrong-password flood against one account while its owner keeps working; two servers sharing PostgreSQL,
Redis and the receipt storage behaving as one (sessions, throttle counters, OAuth 1 nonces, receipts, sync)."""

import re
import threading
import time

import pytest
import requests
from oauthlib.oauth1 import Client as OAuth1Client

from tests.expenses.v2.receipt_files import image

from .ledger import median_ms
from .servers import FIRST_PORT, PASSWORD, create_user, manage_shell, serve

pytestmark = pytest.mark.system
OWNER = "owner@system.test"


def test_wrong_password_flood_is_429_and_the_owner_keeps_working(deployment, tmp_path):
    kind, env = deployment
    create_user(env, OWNER)
    # Four guessing addresses, each locked after 3 failures (the owner's address never fails).
    server = serve({**env, "XPENSER_TRUST_PROXY_HEADERS": "1", "XPENSER_LOGIN_FAILURE_LIMIT": "3"}, FIRST_PORT + 3,
                   tmp_path / "serve.log")
    stop, flood, owner = threading.Event(), [], []

    def guess(n):
        session = requests.Session()
        while not stop.is_set():
            response = session.get(f"{server.url}/api/v2/me/", auth=(OWNER, f"wrong-{n}-{len(flood)}"),
                                   headers={"X-Forwarded-For": f"203.0.113.{n}"}, timeout=30)
            flood.append((response.status_code, response.headers.get("Retry-After")))

    try:
        session = requests.Session()
        session.auth = (OWNER, PASSWORD)
        assert session.get(f"{server.url}/api/v2/me/", timeout=30).status_code == 200
        guessers = [threading.Thread(target=guess, args=(n,)) for n in range(4)]
        for thread in guessers:
            thread.start()
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            started = time.monotonic()
            response = session.get(f"{server.url}/api/v2/me/", headers={"X-Forwarded-For": "198.51.100.7"},
                                   timeout=30)
            owner.append((response.status_code, time.monotonic() - started))
            time.sleep(0.05)
        stop.set()
        for thread in guessers:
            thread.join()
    finally:
        server.stop()
    throttled = [retry for status, retry in flood if status == 429]
    median = median_ms([seconds for _, seconds in owner])
    print(f"\nflood [{kind}]: {len(flood)} wrong guesses, {len(throttled)} answered 429, "
          f"{sum(1 for s, _ in flood if s == 401)} answered 401; owner {len(owner)} requests, median {median} ms")
    assert {status for status, _ in owner} == {200}
    assert throttled, "no wrong guess was answered 429"
    assert all(retry and retry.isdigit() for retry in throttled)
    assert median < 50


@pytest.fixture
def two_servers(deployment, tmp_path):
    kind, env = deployment
    if kind != "postgres":
        pytest.skip("two servers share a database server (PostgreSQL) and Redis")
    env = {**env, "XPENSER_OAUTH_INSECURE_TRANSPORT": "1"}
    create_user(env, OWNER)
    first = serve(env, FIRST_PORT + 1, tmp_path / "first.log")
    try:
        second = serve(env, FIRST_PORT + 2, tmp_path / "second.log")
        try:
            yield env, first, second
        finally:
            second.stop()
    finally:
        first.stop()


def test_two_servers_behave_as_one(two_servers):
    env, first, second = two_servers
    # A session made on one works on the other.
    browser = requests.Session()
    page = browser.get(f"{first.url}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    login = browser.post(f"{first.url}/accounts/login/", data={"username": OWNER, "password": PASSWORD,
                                                               "csrfmiddlewaretoken": token},
                         headers={"Referer": f"{first.url}/accounts/login/"}, allow_redirects=False, timeout=30)
    assert login.status_code == 302, login.text[:500]
    listed = browser.get(f"{second.url}/expenses/", allow_redirects=False, timeout=30)
    assert listed.status_code == 200

    # An OAuth 1 request signed for the first server, replayed on the second (same Host): its nonce is spent.
    manage_shell(env, "from accounts.models import User; from oauth_bridge.models import Consumer, AccessToken; "
                      "c = Consumer.objects.create(name='Sync', key='sys-consumer-key', secret='sys-consumer-secret');"
                      f" AccessToken.objects.create(consumer=c, user=User.objects.get(email={OWNER!r}), "
                      "key='sys-access-key-12345', secret='sys-access-secret')")
    oauth = OAuth1Client("sys-consumer-key", client_secret="sys-consumer-secret",
                         resource_owner_key="sys-access-key-12345", resource_owner_secret="sys-access-secret")
    _, headers, _ = oauth.sign(f"{first.url}/api/v2/me/")
    host = {"Host": first.url.split("//")[1], "Authorization": headers["Authorization"]}
    assert requests.get(f"{first.url}/api/v2/me/", headers=host, timeout=30).status_code == 200
    replay = requests.get(f"{second.url}/api/v2/me/", headers=host, timeout=30)
    assert replay.status_code == 401 and "nonce" in replay.text

    # Receipts uploaded through one, read through the other; a sync from either sees the other's writes.
    api = requests.Session()
    api.auth = (OWNER, PASSWORD)
    cursor = api.get(f"{second.url}/api/v2/expenses/", timeout=30).json()["sync_cursor"]
    made = [api.post(f"{(first, second)[n % 2].url}/api/v2/expenses/", json={"type": f"x{n}", "amount": "2"},
                     timeout=30).json()["id"] for n in range(6)]
    png = image("PNG", (50, 40))
    receipt = api.post(f"{first.url}/api/v2/expenses/{made[0]}/receipts/", files={"file": ("r.png", png)},
                       timeout=30)
    assert receipt.status_code == 201, receipt.text
    downloaded = api.get(f"{second.url}/api/v2/expenses/{made[0]}/receipts/{receipt.json()['id']}/file/",
                         timeout=30)
    assert downloaded.status_code == 200 and downloaded.content == png
    assert api.delete(f"{second.url}/api/v2/expenses/{made[1]}/", timeout=30).status_code == 204
    synced = api.get(f"{first.url}/api/v2/expenses/", params={"modified_after": cursor}, timeout=30).json()
    assert sorted(item["id"] for item in synced["results"]) == made
    assert [item["deleted"] for item in synced["results"] if item["id"] == made[1]] == [True]
    again = api.get(f"{second.url}/api/v2/expenses/", params={"modified_after": synced["sync_cursor"]},
                    timeout=30).json()
    assert again["results"] == []

    # Throttle counters are shared: guesses alternating between the servers add up.
    answers = [requests.get(f"{(first, second)[n % 2].url}/api/v2/me/", auth=(OWNER, f"bad-{n}"),
                            timeout=30).status_code for n in range(40)]
    print(f"\ntwo servers: session, OAuth 1 replay refused, receipt, sync of {len(made)} writes; "
          f"alternating wrong guesses: {answers.count(401)} x 401, {answers.count(429)} x 429")
    assert 429 in answers
    first_429 = answers.index(429)
    assert all(status == 429 for status in answers[first_429:])
    assert {n % 2 for n in range(first_429, 40)} == {0, 1}  # both servers refuse once the shared count is full
