"""Query strings (OAuth parameters, tokens, expense notes) never reach a log line (issue 12, item 5)."""

import io
import logging
import logging.config
import sys
from contextlib import contextmanager

import pytest
from django.conf import settings
from gunicorn.config import Config

from xpenser_server.log_filters import strip_query_strings

SECRET = "hunter2-in-the-query"
pytestmark = pytest.mark.django_db


@contextmanager
def configured_logs():
    """The project's LOGGING, as Django applies it at start, with every handler writing into one buffer."""
    logging.config.dictConfig(settings.LOGGING)
    buffer = io.StringIO()
    handlers = [h for name in ("", "django", "django.server") for h in logging.getLogger(name).handlers]
    for handler in handlers:
        handler.setStream(buffer)
    try:
        yield buffer
    finally:
        for handler in handlers:
            handler.setStream(sys.stderr)


def test_django_request_logs_of_failing_requests_hold_no_query(client, user):
    with configured_logs() as log:
        client.get(f"/no-such-page/?password={SECRET}")
        client.get(f"/api/expenses/?format=json&oauth_token={SECRET}")  # 401 warning
        client.post(f"/accounts/login/?next=/&password={SECRET}", {"username": "x", "password": "y"})  # 403 CSRF
        logging.getLogger("django.request").error("Internal Server Error: %s", f"/api/simple/?q={SECRET}")
    text = log.getvalue()
    assert "Not Found: /no-such-page/" in text and "Unauthorized: /api/expenses/" in text
    assert "Internal Server Error: /api/simple/" in text
    assert SECRET not in text


def test_runserver_access_lines_hold_no_query():
    with configured_logs() as log:
        # What django.core.servers.basehttp.WSGIRequestHandler.log_message sends for each request.
        logging.getLogger("django.server").info('"%s" %s %s', f"GET /api/simple/?q=lunch&token={SECRET} HTTP/1.1",
                                                "200", "41", extra={"status_code": 200})
    text = log.getvalue()
    assert '"GET /api/simple/ HTTP/1.1" 200 41' in text and SECRET not in text


def gunicorn_logger():
    """gunicorn.conf.py's logger, loaded as gunicorn loads the file."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gunicorn_conf", settings.BASE_DIR / "gunicorn.conf.py")
    namespace = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(namespace)
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("errorlog", "-")
    return namespace.JsonAccessLogger(cfg)


def test_gunicorn_error_lines_hold_no_query():
    logger = gunicorn_logger()
    buffer = io.StringIO()
    for handler in logger.error_log.handlers:
        handler.setStream(buffer)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logger.exception("Error handling request %s", f"/api/v1.0/expenses/?oauth_signature={SECRET}")
    logger.info("Invalid request from ip=%s: %s", "10.0.0.1", f"Invalid HTTP request line: 'GET /x?key={SECRET} HTP'")
    text = buffer.getvalue()
    assert "Error handling request /api/v1.0/expenses/" in text and "Invalid HTTP request line: 'GET /x HTP'" in text
    assert SECRET not in text


def test_gunicorn_access_lines_hold_no_query():
    import datetime as dt
    from types import SimpleNamespace

    logger = gunicorn_logger()
    buffer = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(buffer)
    environ = {"REMOTE_ADDR": "10.0.0.1", "REQUEST_METHOD": "GET", "PATH_INFO": "/api/simple/",
               "QUERY_STRING": f"q=lunch&token={SECRET}", "RAW_URI": f"/api/simple/?q=lunch&token={SECRET}",
               "HTTP_REFERER": f"https://expenses.example/?token={SECRET}"}
    logger.access(SimpleNamespace(status="200 OK", sent=12), None, environ, dt.timedelta(milliseconds=3))
    text = buffer.getvalue()
    assert '"path": "/api/simple/"' in text and SECRET not in text


@pytest.mark.parametrize(("line", "clean"), [
    ("GET /a/b?x=1&y=2 HTTP/1.1", "GET /a/b HTTP/1.1"),
    ("http://host:8000/api/?oauth_token=abc done", "http://host:8000/api/ done"),
    ("'/o/token/?client_secret=s'", "'/o/token/'"),
    ("Is this a question? Yes.", "Is this a question? Yes."),
    ("no query /plain/path here", "no query /plain/path here"),
])
def test_strip_query_strings(line, clean):
    assert strip_query_strings(line) == clean
