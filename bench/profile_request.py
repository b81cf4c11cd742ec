#!/usr/bin/env python
"""CPU time per request of the hot endpoints in one process, through Django's own WSGI handler.

`python bench/profile_request.py [--requests N] [--profile NAME] [--statements]` after `make bench` (or
`bench/run.py --quick`), on its database and with its settings (bench.settings, the floor view included).
Each request is a WSGI call to `get_wsgi_application()` (the whole middleware chain, URL resolver and DRF
view, as under gunicorn, without HTTP parsing and sockets), so a server figure can be split into what the
application costs and what the server around it adds. The best of three loops is shown (CPU time, not wall).
The creates are real: they add expenses to the bench database (`make bench` seeds a new one each run).

With --profile NAME, pyinstrument shows where one endpoint's time goes. With --statements, the single
statements a create runs before its write are timed alone, beside the same SELECT sent as plain SQL through
Django's cursor: the difference is the ORM building and compiling the query, which it does on every call.
"""

import argparse
import io
import os
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'out' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("XPENSER_THROTTLE_USER", "1000000000/hour")  # as under `make bench`: on, never reached
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from bench.config import BASIC, BENCH_EMAIL  # noqa: E402

# name -> (path, query string of request number i), as the wrk scripts send them
ENDPOINTS = {
    "floor": ("/bench/floor", lambda i: "q=lunch+45"),
    "create": ("/api/simple/", lambda i: f"format=json&q=lunch+{i % 500}.{i % 100:02d}+bench+note+{i}+%23wrk"),
    "read": ("/api/v1.0/expense/{id}", lambda i: ""),
    "v2-list": ("/api/v2/expenses/", lambda i: "limit=100"),
}


def call(path: str, query: str) -> str:
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_AUTHORIZATION": BASIC, "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http", "wsgi.version": (1, 0),
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    status = []
    response = application(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        b"".join(response)
    finally:
        getattr(response, "close", lambda: None)()
    return status[0]


def endpoint(name: str, first_id: int):
    path, query = ENDPOINTS[name]
    return path.format(id=first_id), query


def cpu_per_request(name: str, first_id: int, requests: int) -> tuple[float, str]:
    path, query = endpoint(name, first_id)
    for i in range(20):  # warm: the credential cache, the created tag, the process's first compilations
        call(path, query(i))
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for i in range(requests):
            status = call(path, query(i))
        best = min(best, (time.process_time() - started) / requests)
    return best * 1000, status


def statements(user) -> None:
    from django.db import connection

    from expenses.services.tags import tags_named
    from reports.selectors import report_default
    from webhooks.models import Webhook

    user_model = type(user)
    timed = {
        "user by id (Basic auth)": lambda: user_model.objects.get(pk=user.pk, is_active=True),
        "default report": lambda: report_default(user=user),
        "tags named (one name)": lambda: tags_named(user=user, names=["wrk"]),
        "webhooks receiving (after the commit)": lambda: Webhook.objects.receiving(user=user).exists(),
    }
    sql = f"SELECT * FROM {user_model._meta.db_table} WHERE id = %s"
    with connection.cursor() as cursor:
        timed["the user's row as plain SQL (Django's cursor)"] = lambda: (cursor.execute(sql, [user.pk]),
                                                                         cursor.fetchall())
        for label, statement in timed.items():
            statement()
            best = min(timeit.repeat(statement, number=1000, repeat=3)) / 1000
            print(f"  {label:46} {best * 1e6:7.0f} us")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="requests per loop (default 500)")
    parser.add_argument("--profile", choices=ENDPOINTS, help="profile one endpoint with pyinstrument")
    parser.add_argument("--statements", action="store_true", help="time a create's lookups one by one")
    args = parser.parse_args()

    from accounts.models import User
    from expenses.models import Expense

    user = User.objects.get(email=BENCH_EMAIL)
    first_id = Expense.objects.owned_by(user).order_by("pk").values_list("pk", flat=True).first()
    if args.profile:
        from pyinstrument import Profiler

        path, query = endpoint(args.profile, first_id)
        for i in range(20):
            call(path, query(i))
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for i in range(args.requests):
            call(path, query(i))
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    if args.statements:
        statements(user)
        return
    for name in ENDPOINTS:
        ms, status = cpu_per_request(name, first_id, args.requests)
        print(f"  {name:8} {ms:6.3f} ms CPU per request  ({status})")


if __name__ == "__main__":
    main()
