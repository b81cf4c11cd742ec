"""Gunicorn settings for `make serve` and production (`gunicorn -c gunicorn.conf.py xpenser_server.wsgi`).

Driven by the environment: HOST (default 127.0.0.1), PORT (8000), WEB_CONCURRENCY (2 worker processes),
WEB_THREADS (1: plain sync workers), GUNICORN_TIMEOUT (60 s). Access log: one JSON object per request
on stdout. Neither log holds query strings (docs/security.md, "Defences and where they are tested").
"""

import datetime as dt
import json
import os
import sys

from gunicorn.glogging import Logger

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the project, wherever gunicorn starts
from xpenser_server.log_filters import QueryStringFilter  # noqa: E402

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Sync workers by default: the work is CPU-bound, and threads of one worker only queue for the GIL (and,
# on SQLite, hold the write lock while they wait for it): 1.3-1.5x the creates per second of 4 threads, and
# a third of the p99 of reads (bench/RESULTS.md). Behind a buffering reverse proxy slow clients cost no
# worker; WEB_THREADS > 1 (gthread) keeps answering without one.
threads = int(os.environ.get("WEB_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("DJANGO_LOG_LEVEL", "info").lower()
# Behind a reverse proxy on another host, let gunicorn accept its X-Forwarded-Proto as well.
if os.environ.get("XPENSER_TRUST_PROXY_HEADERS", "").lower() in ("1", "true", "yes", "on"):
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")


class JsonAccessLogger(Logger):
    """Access log lines as real JSON (values escaped), without query strings (they may carry secrets).

    The error log ("Error handling request /path?...", invalid request lines) drops query strings too.
    """

    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(f, QueryStringFilter) for f in self.error_log.filters):
            self.error_log.addFilter(QueryStringFilter())

    def access(self, resp, req, environ, request_time):
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.logconfig_dict or self.cfg.syslog):
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        record = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "remote": environ.get("REMOTE_ADDR", "-"),
            "method": environ.get("REQUEST_METHOD", "-"),
            "path": environ.get("PATH_INFO", "-"),
            "status": int(status),
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "size": getattr(resp, "sent", None),
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
        }
        try:
            self.access_log.info(json.dumps(record))
        except Exception:  # noqa: BLE001 - logging must never break a response
            self.exception("Failed to write the access log")


logger_class = JsonAccessLogger


def post_worker_init(worker):
    """Each worker, once it has loaded the application: freeze what is loaded (xpenser_server.startup)."""
    from xpenser_server.startup import freeze_loaded_objects

    freeze_loaded_objects()

