"""The simple API's fast lane (expenses/api/simple_lane.py): it answers scripted creates exactly as the whole
stack does, and hands every other request over to it.

Django's test client does not use the WSGI handler, so these tests call the WSGI application itself, once
with the lane and once without, and compare what a client receives.
"""

import io
import json
import logging
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.signals import request_finished, request_started
from django.db import OperationalError, close_old_connections
from django.urls import resolve

from expenses import services
from expenses.api.legacy import SimpleApi
from expenses.models import Expense
from oauth_bridge.services import personal_token_create
from reports.services import report_create
from tests.conftest import basic_auth
from tests.factories import TagFactory
from xpenser_server.handler import XpenserWSGIHandler
from xpenser_server.throttling import SlidingWindowThrottle

pytestmark = pytest.mark.django_db
VOLATILE = ("id", "date", "created", "modified", "sourceid", "started", "stopped")


class Answer:
    def __init__(self, status, headers, body, through_stack):
        self.status, self.headers, self.body, self.through_stack = status, dict(headers), body, through_stack
        self.code = int(status.split()[0])

    def json(self):
        return json.loads(self.body)


def call(handler, query="", *, method="GET", path="/api/simple/", body=b"", **extra) -> Answer:
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(), "CONTENT_LENGTH": str(len(body)) if body else "", **extra,
    }  # fmt: skip
    chain_calls = []
    chain = handler._middleware_chain

    def counted(request):
        chain_calls.append(request)
        return chain(request)

    handler._middleware_chain = counted
    started = []
    result = handler(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
    body = b"".join(result)
    result.close()
    handler._middleware_chain = chain
    return Answer(*started[0], body, through_stack=bool(chain_calls))


@pytest.fixture(autouse=True)
def _test_transaction_kept_open():
    """As Django's test client does: the request signals must not close the connection holding the test's
    transaction (PostgreSQL; an in-memory SQLite database ignores the close)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def lane(settings):
    settings.XPENSER_SIMPLE_FAST_LANE = True
    return XpenserWSGIHandler()


@pytest.fixture
def stack(settings):
    """The same application without the lane: the answers the lane must reproduce."""
    settings.XPENSER_SIMPLE_FAST_LANE = False
    handler = XpenserWSGIHandler()
    settings.XPENSER_SIMPLE_FAST_LANE = True
    return handler


def basic(user, password=None):
    header = basic_auth(user.email, *([password] if password else []))
    return {"HTTP_AUTHORIZATION": header["HTTP_AUTHORIZATION"]}


def stable(data):
    """An answer without what differs between two creates (ids, clocks)."""
    if isinstance(data, dict):
        return {key: "*" if key in VOLATILE else stable(value) for key, value in data.items()}
    return data


def assert_same_answer(lane_answer, stack_answer):
    assert lane_answer.status == stack_answer.status
    assert stable(lane_answer.json()) == stable(stack_answer.json())
    assert set(lane_answer.headers) == set(stack_answer.headers)
    for name, value in stack_answer.headers.items():
        if name != "Content-Length":
            assert lane_answer.headers[name] == value, name
    assert lane_answer.headers["Content-Length"] == str(len(lane_answer.body))


def test_the_lane_paths_are_the_simple_api_s_routes():
    assert resolve("/api/simple/").func.view_class is SimpleApi
    assert resolve("/api/simple").func.view_class is SimpleApi


def test_a_scripted_create_is_answered_by_the_lane_as_the_whole_stack_answers_it(lane, stack, user):
    TagFactory(owner=user, name="Cash")
    query = urlencode({"format": "json", "q": "lunch 45 with jack #cash #new"})
    fast = call(lane, query, **basic(user))
    assert not fast.through_stack
    slow = call(stack, query, **basic(user))
    assert slow.through_stack
    assert_same_answer(fast, slow)
    assert fast.code == 200
    assert fast.headers["Content-Type"] == "application/json"
    assert fast.headers["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert fast.headers["X-Frame-Options"] == "DENY"
    assert fast.headers["X-Content-Type-Options"] == "nosniff"
    data = fast.json()["data"]
    assert (data["type"], data["amount"], data["notes"]) == ("lunch", "45.00", "with jack")
    stored = Expense.objects.get(pk=data["id"])
    assert stored.owner == user and stored.amount == Decimal("45.00")
    assert sorted(tag.name for tag in stored.tags.all()) == ["Cash", "new"]
    assert data["tags"] == [tag.pk for tag in sorted(stored.tags.all(), key=lambda t: (t.name, t.pk))]


def test_post_with_the_text_in_the_query_string_and_an_explicit_report(lane, stack, user):
    report = report_create(user=user, name="Trip")
    query = urlencode({"format": "json", "q": "taxi 12.50", "report": report.pk})
    fast = call(lane, query, method="POST", **basic(user))
    assert not fast.through_stack
    assert_same_answer(fast, call(stack, query, method="POST", **basic(user)))
    assert fast.json()["data"]["report"] == report.pk


def test_timer_start_and_stop_through_the_lane(lane, stack, user):
    start = call(lane, urlencode({"format": "json", "q": "Time start meeting"}), **basic(user))
    assert not start.through_stack and start.code == 200
    assert start.json()["data"]["timer"] == "started"
    stop = call(lane, urlencode({"format": "json", "q": "Time stop"}), **basic(user))
    assert stop.code == 200 and stop.json()["timer"]["timer"] == "stopped"
    call(stack, urlencode({"format": "json", "q": "Time start meeting"}), **basic(user))
    assert_same_answer(stop, call(stack, urlencode({"format": "json", "q": "Time stop"}), **basic(user)))


@pytest.mark.parametrize(
    "params",
    [
        {"format": "json"},
        {"format": "json", "q": "   "},
        {"format": "json", "q": "lunch 45", "report": "abc"},
        {"format": "json", "q": "lunch 45", "report": "999999"},
    ],
)
def test_bad_input_gets_the_same_400_from_the_lane(lane, stack, user, params):
    before = Expense.objects.count()
    fast = call(lane, urlencode(params), **basic(user))
    assert not fast.through_stack
    assert fast.code == 400 and fast.json()["status"] == 400 and fast.json()["error"]
    assert_same_answer(fast, call(stack, urlencode(params), **basic(user)))
    assert Expense.objects.count() == before


@pytest.mark.parametrize(
    "case",
    ["wrong password", "no credentials", "html format", "unknown format", "form body", "cookie", "head",
     "other path", "bad host", "read-only token"],
)  # fmt: skip
def test_requests_the_lane_is_not_for_go_through_the_whole_stack(lane, stack, user, case, settings):
    query = urlencode({"format": "json", "q": "lunch 45"})
    kwargs = {"query": query, **basic(user)}
    if case == "wrong password":
        kwargs.update(basic(user, "not-the-password"))
    elif case == "no credentials":
        del kwargs["HTTP_AUTHORIZATION"]
    elif case == "html format":
        kwargs["query"] = urlencode({"q": "lunch 45"})
    elif case == "unknown format":
        kwargs["query"] = urlencode({"format": "yaml", "q": "lunch 45"})
    elif case == "form body":
        kwargs.update(method="POST", body=b"q=lunch+45&format=json", CONTENT_TYPE="application/x-www-form-urlencoded")
        kwargs["query"] = ""
    elif case == "cookie":
        kwargs["HTTP_COOKIE"] = "sessionid=abc"
    elif case == "head":
        kwargs["method"] = "HEAD"
    elif case == "other path":
        kwargs["path"] = "/api/oauth/simple/"
    elif case == "bad host":
        kwargs["HTTP_HOST"] = "evil.example.com"
    elif case == "read-only token":
        kwargs.update(basic(user, personal_token_create(user=user, name="ro", scope="read").secret))
    fast = call(lane, **kwargs)
    assert fast.through_stack
    expected = {"wrong password": 401, "no credentials": 401, "bad host": 400, "read-only token": 403,
                "unknown format": 400}.get(case, 200)  # fmt: skip
    assert fast.code == expected


def test_a_personal_write_token_as_the_password_goes_through_the_stack_and_creates(lane, user):
    secret = personal_token_create(user=user, name="script", scope="read write").secret
    answer = call(lane, urlencode({"format": "json", "q": "coffee 3"}), **basic(user, secret))
    assert answer.through_stack and answer.code == 200
    assert Expense.objects.filter(owner=user, type="coffee").count() == 1


def test_throttled_creates_get_the_same_429_and_store_nothing(lane, stack, user, monkeypatch):
    monkeypatch.setattr(SlidingWindowThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": None})
    query = urlencode({"format": "json", "q": "lunch 45"})
    assert [call(lane, query, **basic(user)).code for _ in range(2)] == [200, 200]
    fast = call(lane, query, **basic(user))
    assert not fast.through_stack and fast.code == 429
    assert fast.headers["Retry-After"] == str(fast.json()["retry_after"])
    assert_same_answer(fast, call(stack, query, **basic(user)))
    assert Expense.objects.filter(owner=user).count() == 2


def test_a_busy_database_gets_the_503_envelope(lane, stack, user, monkeypatch):
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "expense_create_from_text", locked)
    query = urlencode({"format": "json", "q": "lunch 45"})
    fast = call(lane, query, **basic(user))
    assert not fast.through_stack and fast.code == 503 and fast.headers["Retry-After"] == "2"
    assert_same_answer(fast, call(stack, query, **basic(user)))


def test_an_unexpected_error_is_django_s_500_and_is_logged(lane, stack, user, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "expense_create_from_text", broken)
    query = urlencode({"format": "json", "q": "lunch 45"})
    with caplog.at_level(logging.ERROR, logger="django.request"):
        fast = call(lane, query, **basic(user))
    assert not fast.through_stack and fast.code == 500
    assert any("boom" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)
    slow = call(stack, query, **basic(user))
    assert (fast.status, fast.body) == (slow.status, slow.body)


def test_https_behind_a_proxy_gets_the_security_headers_the_stack_adds(user, settings, request):
    # Middleware reads these settings when the handler loads it.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    lane, stack = request.getfixturevalue("lane"), request.getfixturevalue("stack")
    query = urlencode({"format": "json", "q": "lunch 45"})
    fast = call(lane, query, HTTP_X_FORWARDED_PROTO="https", **basic(user))
    assert not fast.through_stack and fast.headers["Strict-Transport-Security"] == "max-age=3600"
    assert_same_answer(fast, call(stack, query, HTTP_X_FORWARDED_PROTO="https", **basic(user)))


def test_a_plain_http_request_is_redirected_by_the_stack_when_https_is_required(user, settings, request):
    settings.SECURE_SSL_REDIRECT = True
    lane = request.getfixturevalue("lane")
    answer = call(lane, urlencode({"format": "json", "q": "lunch 45"}), **basic(user))
    assert answer.through_stack and answer.code == 301
    assert not Expense.objects.filter(owner=user).exists()


def test_the_lane_stays_off_when_the_middleware_or_the_setting_differs(user, settings):
    query = urlencode({"format": "json", "q": "lunch 45"})
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "django.middleware.gzip.GZipMiddleware"]
    assert call(XpenserWSGIHandler(), query, **basic(user)).through_stack
    settings.MIDDLEWARE = settings.MIDDLEWARE[:-1]
    assert not call(XpenserWSGIHandler(), query, **basic(user)).through_stack
    settings.XPENSER_SIMPLE_FAST_LANE = False
    answer = call(XpenserWSGIHandler(), query, **basic(user))
    assert answer.through_stack and answer.code == 200


def test_an_error_before_anything_is_counted_gets_the_whole_stack_s_answer(lane, user, monkeypatch):
    from accounts import authentication

    def locked(key):
        raise OperationalError("database is locked")

    monkeypatch.setattr(authentication, "_cached_user", locked)
    answer = call(lane, urlencode({"format": "json", "q": "lunch 45"}), **basic(user))
    assert answer.through_stack and answer.code == 503
    assert answer.json() == {"status": 503, "error": "the database is busy with other writes; retry in a moment",
                             "retry_after": 2}
    assert not Expense.objects.filter(owner=user).exists()
