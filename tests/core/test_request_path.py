"""One request path: the WSGI application is Django's own handler, and every request passes the middleware,
the URL resolver and DRF's whole APIView lifecycle (a permission added to the simple API is enforced)."""

import io
import json

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework import permissions

from expenses.api.legacy import SimpleApi
from expenses.models import Expense
from tests.conftest import basic_auth

pytestmark = pytest.mark.django_db


def wsgi_call(path: str, *, query: str = "", method: str = "GET", headers=None):
    """Send one request through the production WSGI application (xpenser_server.wsgi.application)."""
    from xpenser_server.wsgi import application

    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1", "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        **(headers or {}),
    }  # fmt: skip
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"], started["headers"] = status, dict(response_headers)

    # Keep the test's transaction open, as django.test.Client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        body = b"".join(result)
        result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], started["headers"], body


def test_the_wsgi_application_is_djangos_own_handler():
    from xpenser_server.wsgi import application

    assert type(application) is WSGIHandler


class DenyEverything(permissions.BasePermission):
    message = "denied by the test's permission class"

    def has_permission(self, request, view):
        return False


def test_a_permission_class_on_the_simple_api_is_enforced_for_scripted_creates(user, settings, monkeypatch):
    """The request a fast lane used to answer (Basic auth, format=json, the text in the query) meets DRF's
    permission check like every other request."""
    settings.DEBUG = False
    monkeypatch.setattr(SimpleApi, "permission_classes", [*SimpleApi.permission_classes, DenyEverything])
    status, headers, body = wsgi_call("/api/simple/", query="format=json&q=lunch+45", headers=basic_auth(user.email))
    assert status == "403 Forbidden"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"status": 403, "error": "denied by the test's permission class"}
    assert not Expense.objects.exists()


def test_the_same_request_creates_when_permitted(user, settings):
    settings.DEBUG = False
    status, _, body = wsgi_call("/api/simple/", query="format=json&q=lunch+45", headers=basic_auth(user.email))
    assert status == "200 OK"
    assert json.loads(body)["data"]["amount"] == "45.00"
    assert Expense.objects.get().type == "lunch"


def test_absolute_form_request_target_through_wsgi(user):
    """`GET http://host/api/... HTTP/1.1` as the development server passes it: the whole URI as the path."""
    status, headers, body = wsgi_call("http://testserver/api/expenses/", query="format=json",
                                      headers=basic_auth(user.email))
    assert status == "200 OK"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == []
