#!/usr/bin/env python
"""CPU time per request of the hot endpoints in one process, through Django's own WSGI handler.

`python bench/profile_request.py [--requests N] [--profile NAME] [--statements] [--postgres]` after `make bench`
(or `bench/run.py --quick`; `make bench-postgres` for --postgres), on its database and in the environment
`make bench` gives its server (bench.config.server_env: bench.settings with the floor view, Redis only with
--postgres). Each request is a WSGI call to `get_wsgi_application()` (the whole middleware chain, URL resolver
and DRF view, as under gunicorn, without HTTP parsing and sockets), so a server figure can be split into what
the application costs and what the server around it adds. The best of three loops is shown (CPU time, not
wall); an answer other than 2xx stops it. The creates are real: they add expenses to the bench database
(`make bench` seeds a new one each run).

With --profile NAME, pyinstrument shows where one endpoint's time goes. With --statements, a create's four
lookups (three before its write, the webhook check after its commit) and a variant are timed alone (CPU
time), beside the user lookup's own compiled SQL run through a new Django cursor each call (rows fetched,
no instance built): the difference is the ORM building and compiling the query, converting the row and
building the instance, which it does on every call.
"""

import argparse
import io
import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import config  # noqa: E402
from bench.config import BASIC, BENCH_EMAIL, use_server_env  # noqa: E402

WORDS = ("lunch", "taxi", "coffee", "dinner+with+jim", "parking", "hotel")
# name -> (path, query string of request number i), as the wrk scripts send them (bench/*.lua); the read's
# path takes the id of request i, cycling through the bench user's first 1,000 expenses (basic_read.lua
# draws them at random from all of the user's)
ENDPOINTS = {
    "floor": ("/bench/floor", lambda i: f"q={WORDS[i % 6]}+45"),
    "create": ("/api/simple/", lambda i: f"format=json&q={WORDS[i % 6]}+{i % 500}.{i % 100:02d}+bench+note+{i}+%23wrk"),
    "read": ("/api/v1.0/expense/{id}", lambda i: ""),
    "v2-list": ("/api/v2/expenses/", lambda i: "limit=100"),
}
application = None  # Django's WSGI handler, once configure() has run


def configure(postgres: bool) -> None:
    """The environment `make bench` gives its server (bench.config.use_server_env), then the WSGI application."""
    global application
    if postgres:
        config.STORE = config.POSTGRES
    use_server_env()
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()


def call(path: str, query: str) -> None:
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
    if not status[0].startswith("2"):
        raise SystemExit(f"GET {path}?{query} answered {status[0]}: not what the load measures")


def requests_of(name: str, ids: list[int]):
    """The (path, query string) of request number i to endpoint `name`."""
    path, query = ENDPOINTS[name]
    return lambda i: (path.format(id=ids[i % len(ids)]), query(i))


def loop(request, requests: int, start: int = 0) -> None:
    for i in range(start, start + requests):
        call(*request(i))


def cpu_per_request(name: str, ids: list[int], requests: int) -> float:
    request = requests_of(name, ids)
    loop(request, 20)  # warm: the credential cache, the created tag, the process's first compilations
    best = float("inf")
    for round_ in range(3):
        started = time.process_time()
        loop(request, requests, start=20 + round_ * requests)
        best = min(best, (time.process_time() - started) / requests)
    return best * 1000


def statements(user) -> None:
    """A create's lookups one by one, then the user's lookup as the SQL and parameters Django compiles for
    its `get()`, through a new cursor of Django's each call (rows fetched, no instance built)."""
    from django.db import connection
    from django.db.models import OuterRef, Subquery

    from expenses.services.tags import tags_named
    from reports.models import Report
    from reports.selectors import report_default
    from webhooks.models import Webhook

    users = type(user).objects
    sql, params = users.filter(pk=user.pk, is_active=True)[:21].query.sql_with_params()  # get() reads 21 at most

    def plain_sql():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    default_report = Subquery(Report.objects.filter(owner=OuterRef("pk"), is_default=True).values("pk")[:1])
    timed = {
        "user by id (Basic auth)": lambda: users.get(pk=user.pk, is_active=True),
        "default report": lambda: report_default(user=user),
        "tags named (one name)": lambda: tags_named(user=user, names=["wrk"]),
        "webhooks receiving (after the commit)": lambda: Webhook.objects.receiving(user=user).exists(),
        "user by id with the default report as subquery": lambda: users.annotate(
            default_report_id=default_report).get(pk=user.pk, is_active=True),
        "user by id: its compiled SQL, Django's cursor": plain_sql,
    }
    for label, statement in timed.items():
        statement()
        best = min(timeit.repeat(statement, timer=time.process_time, number=1000, repeat=3)) / 1000
        print(f"  {label:50} {best * 1e6:7.0f} us")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="requests per loop (default 500)")
    parser.add_argument("--profile", choices=ENDPOINTS, help="profile one endpoint with pyinstrument")
    parser.add_argument("--statements", action="store_true", help="time a create's lookups one by one")
    parser.add_argument("--postgres", action="store_true", help="the database of `make bench-postgres`, and Redis")
    args = parser.parse_args()
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    configure(args.postgres)

    from accounts.models import User
    from expenses.models import Expense

    user = User.objects.get(email=BENCH_EMAIL)
    ids = list(Expense.objects.owned_by(user).order_by("pk").values_list("pk", flat=True)[:1000])
    if not ids:
        raise SystemExit("the bench user has no expenses: run `make bench` (or bench/run.py --quick) first")
    if args.statements:
        statements(user)
        return
    if args.profile:
        from pyinstrument import Profiler

        request = requests_of(args.profile, ids)
        loop(request, 20)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        loop(request, args.requests, start=20)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    for name in ENDPOINTS:
        print(f"  {name:8} {cpu_per_request(name, ids, args.requests):6.3f} ms CPU per request")


if __name__ == "__main__":
    main()
