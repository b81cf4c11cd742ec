#!/usr/bin/env python
"""`make bench`: the production server under load, measured against floors taken in the same run.

Steps: a scratch SQLite database in bench/out/ (1M expenses, 100k of them for the bench user, seeded
with bulk SQL), `make serve` on it (migrations, static files, gunicorn with gunicorn.conf.py,
WEB_CONCURRENCY=2, DEBUG off, XPENSER_BENCH_FLOOR=1 for the bare floor view), wrk with Lua scripts as load generator,
`sqlite3 -csv` as the download floor, worker memory from /proc. Writes bench/RESULTS.md (the part
below the history marker is kept between runs).

Options: --duration SECONDS per wrk run (default 10), --quick (100k expenses in total: a smoke run),
--skip-postgres (no EXPLAIN on PostgreSQL), --postgres (`make bench-postgres`: the same measurements with the
server on PostgreSQL + Redis on localhost, the floor dumped by `psql \\copy`; writes bench/RESULTS-postgres.md).
"""

import argparse
import base64
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
DB_PATH = OUT / "bench.sqlite3"
RESULTS = BENCH / "RESULTS.md"
ACCESS_LOG = OUT / "access.log"
HISTORY_MARKER = "<!-- history: kept between runs -->"
PY = sys.executable

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "xpenser_bench"


@dataclass(frozen=True)
class Store:
    """Where the bench database lives: SQLite (`make bench`) or PostgreSQL + Redis (`make bench-postgres`)."""

    name: str
    url: str
    redis_url: str
    results: Path
    floor_label: str

    @property
    def postgres(self) -> bool:
        return self.url.startswith("postgres")


SQLITE = Store("SQLite (WAL) in bench/out/", f"sqlite:///{DB_PATH}", "", RESULTS, "sqlite3 -csv")
POSTGRES = Store("PostgreSQL + Redis on this machine", f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}",
                 "redis://127.0.0.1:6379/14", BENCH / "RESULTS-postgres.md", "psql \\copy")
STORE = SQLITE

BENCH_EMAIL = "bench@example.com"
BENCH_PASSWORD = "bench-password-123"
BASIC = "Basic " + base64.b64encode(f"{BENCH_EMAIL}:{BENCH_PASSWORD}".encode()).decode()
OTHER_USERS = 99
CHANGED = 10
SECRET_KEY = "bench-secret-key-not-for-production-" + "x" * 20


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "XPENSER_", "PYTEST"))}
    env.pop("REDIS_URL", None)
    if STORE.redis_url:
        env["REDIS_URL"] = STORE.redis_url
    env.update(
        DATABASE_URL=STORE.url,
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_DEBUG="0",
        DJANGO_LOG_LEVEL="WARNING",
        XPENSER_BENCH_FLOOR="1",
        # Plain HTTP on loopback (production terminates TLS in front); OAuth refuses it otherwise.
        XPENSER_OAUTH_INSECURE_TRANSPORT="1",
        # Throttling stays on (its cost is measured) with a rate the load cannot reach.
        XPENSER_THROTTLE_USER="1000000000/hour",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY=os.environ.get("WEB_CONCURRENCY", "2"),
        GUNICORN_ACCESS_LOG=str(ACCESS_LOG),
        PYTHONPATH=str(ROOT),
    )
    return env


# -- tools ---------------------------------------------------------------------------------------------
def ensure_tool(name: str) -> bool:
    if shutil.which(name):
        return True
    log(f"{name} is missing: apt-get install -y {name}")
    result = subprocess.run(["apt-get", "install", "-y", name], capture_output=True, text=True)
    if result.returncode != 0:
        subprocess.run(["apt-get", "update"], capture_output=True)
        subprocess.run(["apt-get", "install", "-y", name], capture_output=True)
    return bool(shutil.which(name))


# -- seeding -------------------------------------------------------------------------------------------
def seed(total: int) -> dict:
    """Migrate a fresh database, then bulk-insert users, reports, tags, expenses and tag links."""
    OUT.mkdir(parents=True, exist_ok=True)
    ACCESS_LOG.unlink(missing_ok=True)
    if STORE.postgres:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
            admin.execute(f"CREATE DATABASE {PG_BENCH_DB}")
        subprocess.run(["redis-cli", "-u", STORE.redis_url, "FLUSHDB"], capture_output=True)
    else:
        for suffix in ("", "-wal", "-shm", "-writer.lock"):
            Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    env = server_env(0)
    started = time.monotonic()
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    migrate_s = time.monotonic() - started

    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_DEBUG")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xpenser_server.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from reports.models import Report

    started = time.monotonic()
    bench_user = User.objects.create_user(BENCH_EMAIL, BENCH_PASSWORD)
    password = make_password("other-password-123")
    others = [u.pk for u in User.objects.bulk_create(
        User(email=f"other{n}@example.com", password=password) for n in range(OTHER_USERS))]
    Report.objects.bulk_create(Report(owner_id=uid, name="My Expenses", is_default=True) for uid in others)
    users = [bench_user.pk, *others]  # user index 0 is the bench user: ids that are multiples of 10
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    counts = (_bulk_postgres if STORE.postgres else _bulk_sqlite)(total, users, now)
    seed_s = time.monotonic() - started
    since = (now - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    info = dict(counts, user_id=bench_user.pk, since=since, migrate_s=migrate_s, seed_s=seed_s,
                id_first=10, id_step=10, id_count=total // 10)
    info["oauth"] = seed_oauth(bench_user)
    return info


# Dialects of the bulk seed: expense x (1..total) belongs to slot 0 (the bench user) when x % 10 = 0, otherwise
# to one of the other users; dates one minute apart from 2023-01-01; every 1010th deleted; tags on every 30th
# and 60th of the bench user's; CHANGED of them modified (one deleted) an hour after the others.
_TYPE = "CASE x % 4 WHEN 0 THEN 'lunch' WHEN 1 THEN 'Taxi' WHEN 2 THEN 'Dinner with Jim' ELSE 'hotel' END"
_NOTES = "CASE x % 3 WHEN 0 THEN '' WHEN 1 THEN 'office to airport' ELSE 'with jack, \"the client\"' END"
_SLOT = f"CASE WHEN x % 10 = 0 THEN 0 ELSE 1 + (x / 10) % {OTHER_USERS} END"
_TAG_NAMES = ("cash", "clientx", "projecty", "travel", "food")
_CHANGED_IDS = [10 * (k * 997 + 3) for k in range(CHANGED)]


def _expenses_insert(source: str, stamp) -> str:
    """The INSERT of every expense; `stamp(offset_sql)` is the dialect's timestamp of x minutes + offset."""
    return f"""
        INSERT INTO expenses_expense (id, owner_id, report_id, type, amount, rawamount, notes, date, status,
                                      sourceid, category, receipt, created, modified)
        SELECT x, o.owner_id, o.report_id, {_TYPE}, (x % 9000) / 100.0 + 1, (x % 9000) / 100.0 + 1, {_NOTES},
               {stamp("x * 60")}, CASE WHEN x % 1010 = 0 THEN -1 ELSE 1 END, '',
               CASE WHEN x % 7 = 0 THEN 'travel' END, '', {stamp("x * 60 + 3600")}, {stamp("x * 60 + 7200")}
        FROM {source} JOIN owners o ON o.slot = {_SLOT}"""


def _links_insert(first_tag: int, bench_user: int) -> str:
    return f"""INSERT INTO expenses_expense_tags (expense_id, tag_id)
        SELECT id, {first_tag} + (id / 10) % 5 FROM expenses_expense
        WHERE owner_id = {bench_user} AND id % 30 = 0
        UNION ALL
        SELECT id, {first_tag} + (id / 10 + 2) % 5 FROM expenses_expense
        WHERE owner_id = {bench_user} AND id % 60 = 0"""


_COUNTS = {
    "total": "SELECT COUNT(*) FROM expenses_expense",
    "bench": "SELECT COUNT(*) FROM expenses_expense WHERE owner_id = {user}",
    "bench_live": "SELECT COUNT(*) FROM expenses_expense WHERE owner_id = {user} AND status = 1",
    "links": "SELECT COUNT(*) FROM expenses_expense_tags",
}


def _bulk_sqlite(total, users, now) -> dict:
    db = sqlite3.connect(DB_PATH, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
    reports = dict(db.execute("SELECT owner_id, id FROM reports_report WHERE is_default = 1"))
    db.execute("CREATE TEMP TABLE owners (slot INTEGER PRIMARY KEY, owner_id INTEGER, report_id INTEGER)")
    db.executemany("INSERT INTO owners VALUES (?, ?, ?)", [(n, u, reports[u]) for n, u in enumerate(users)])
    db.execute(f"WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq LIMIT {total})"
               + _expenses_insert("seq", lambda offset: f"strftime('%Y-%m-%d %H:%M:%f', '2023-01-01', "
                                                         f"'+' || ({offset}) || ' seconds')"))
    db.executemany("INSERT INTO expenses_tag (owner_id, name, created) VALUES (?, ?, ?)",
                   [(users[0], name, stamp) for name in _TAG_NAMES])
    db.execute(_links_insert(db.execute("SELECT MIN(id) FROM expenses_tag").fetchone()[0], users[0]))
    db.executemany("UPDATE expenses_expense SET modified = ?, notes = 'changed' WHERE id = ?",
                   [(stamp, i) for i in _CHANGED_IDS])
    db.execute("UPDATE expenses_expense SET status = -1 WHERE id = ?", (_CHANGED_IDS[0],))
    db.execute("COMMIT")
    db.execute("ANALYZE")
    counts = {name: db.execute(sql.format(user=users[0])).fetchone()[0] for name, sql in _COUNTS.items()}
    db.close()
    return counts


def _pg_stamp(offset: str) -> str:
    return f"timestamptz '2023-01-01 00:00:00+00' + ({offset}) * interval '1 second'"


def _bulk_postgres(total, users, now) -> dict:
    import psycopg

    with psycopg.connect(STORE.url.replace("postgres://", "postgresql://", 1)) as db:
        reports = dict(db.execute("SELECT owner_id, id FROM reports_report WHERE is_default").fetchall())
        db.execute("CREATE TEMP TABLE owners (slot integer PRIMARY KEY, owner_id bigint, report_id bigint)")
        with db.cursor() as cursor:
            cursor.executemany("INSERT INTO owners VALUES (%s, %s, %s)",
                               [(n, u, reports[u]) for n, u in enumerate(users)])
        db.execute(_expenses_insert(f"generate_series(1, {total}) AS seq(x)", _pg_stamp))
        # Ids were given explicitly: the identity sequence continues after them (the bench creates more).
        db.execute("SELECT setval(pg_get_serial_sequence('expenses_expense', 'id'), "
                   "(SELECT MAX(id) FROM expenses_expense))")
        with db.cursor() as cursor:
            cursor.executemany("INSERT INTO expenses_tag (owner_id, name, created) VALUES (%s, %s, %s)",
                               [(users[0], name, now.replace(tzinfo=dt.UTC)) for name in _TAG_NAMES])
        db.execute(_links_insert(db.execute("SELECT MIN(id) FROM expenses_tag").fetchone()[0], users[0]))
        with db.cursor() as cursor:
            cursor.executemany("UPDATE expenses_expense SET modified = %s, notes = 'changed' WHERE id = %s",
                               [(now.replace(tzinfo=dt.UTC), i) for i in _CHANGED_IDS])
        db.execute("UPDATE expenses_expense SET status = -1 WHERE id = %s", (_CHANGED_IDS[0],))
        db.commit()
        db.autocommit = True
        db.execute("VACUUM ANALYZE")
        return {name: db.execute(sql.format(user=users[0])).fetchone()[0] for name, sql in _COUNTS.items()}


def seed_oauth(user):
    """A consumer and an access token for the bench user, when the OAuth 1 provider is on this branch."""
    try:
        from oauth_bridge.models import AccessToken, Consumer
    except ImportError:
        return None
    consumer = Consumer.objects.create(name="bench")
    # oauthlib requires access tokens of 16 to 128 characters.
    token = AccessToken.objects.create(consumer=consumer, user=user, key="bench-access-token-0001",
                                       secret="bench-access-token-secret-0001")
    return f"{consumer.key}:{consumer.secret}:{token.key}:{token.secret}"


# -- the server ----------------------------------------------------------------------------------------
class Server:
    """`make serve` (migrate, collectstatic, gunicorn with gunicorn.conf.py) in its own process group."""

    def __init__(self, port):
        self.port = port
        self.log = open(OUT / "server.log", "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"PY={PY}", f"PORT={port}"],
            cwd=ROOT, env=server_env(port), stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if self.get("/bench/floor")[0] == 200 and len(self.workers()) >= 1:
                    break
            except OSError:
                if self.proc.poll() is not None:
                    raise SystemExit("make serve exited; see bench/out/server.log") from None
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start; see bench/out/server.log")
        # Warm every worker (imports, URL resolvers, connections).
        for _ in range(20):
            self.get("/bench/floor")

    def get(self, path, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, body

    def workers(self):
        """The gunicorn workers: the children of the gunicorn master under `make serve` (none before it forks)."""
        pending = _children(self.proc.pid)
        while pending:
            pid = pending.pop(0)
            try:
                if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    return _children(pid)
            except OSError:
                continue
            pending.extend(_children(pid))
        return []

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # gunicorn's master stops its workers gracefully
            self.proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


def _children(pid) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def proc_status(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


# -- load ----------------------------------------------------------------------------------------------
WARMUP_SECONDS = 3


def wrk(server, script, path, *, duration, connections=8, threads=2, env=None):
    """Run wrk after an unrecorded warm-up of the same load; returns requests/s, p50/p99 in ms, errors
    (non-2xx and socket errors), and the workers' CPU time per request.

    The warm-up fills what every long-running server has warm (each worker's SQLite page cache, the
    queries' first compilation, the allocator's pools), so that the first endpoint measured after a
    start is not penalised against the others.
    """
    def command(seconds):
        return ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
                str(BENCH / script), f"http://127.0.0.1:{server.port}{path}"]

    env = {**os.environ, **(env or {})}
    subprocess.run(command(WARMUP_SECONDS), capture_output=True, text=True, env=env)
    log_offset = ACCESS_LOG.stat().st_size if ACCESS_LOG.exists() else 0
    workers = server.workers()
    cpu_before = workers_cpu_seconds(workers)
    result = subprocess.run(command(duration), capture_output=True, text=True, env=env)
    cpu_used = workers_cpu_seconds(workers) - cpu_before
    text = result.stdout + result.stderr
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", text, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: (.*)", text)
    total = re.search(r"(\d+) requests in", text)
    return {
        "rps": rps, "p50_ms": to_ms(latency.get("50")), "p99_ms": to_ms(latency.get("99")),
        "requests": int(total.group(1)) if total else 0, "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "cpu_ms_per_request": round(cpu_used * 1000 / int(total.group(1)), 3) if total else None,
        **server_latency(log_offset),
    }


def workers_cpu_seconds(pids) -> float:
    """User + system CPU time the given processes have used so far (from /proc/PID/stat)."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def server_latency(offset: int) -> dict:
    """p50/p99 of the time the server took per request (gunicorn's JSON access log, from `offset` on).

    Sync workers close the connection after each response; wrk then reconnects, and its own latency figures
    for requests that met a closing connection include the reconnection (a sequential client sees none of
    it), so the server's figures are given beside them.
    """
    time.sleep(0.5)  # the last lines reach the log after the responses
    with open(ACCESS_LOG, "rb") as f:
        f.seek(offset)
        durations = sorted(json.loads(line)["duration_ms"] for line in f if line.startswith(b"{"))
    if not durations:
        return {"server_p50_ms": None, "server_p99_ms": None}
    return {"server_p50_ms": durations[len(durations) // 2],
            "server_p99_ms": durations[min(len(durations) - 1, int(len(durations) * 0.99))]}


def to_ms(text):
    if not text:
        return None
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def endpoint_exists(server, path, headers):
    status, _ = server.get(path, headers)
    return status not in (404, 405)


# -- downloads -----------------------------------------------------------------------------------------
FLOOR_SQL = """
SELECT e.id, e.date, e.type, e.amount, e.rawamount, e.notes,
       (SELECT group_concat(t.name) FROM expenses_expense_tags et JOIN expenses_tag t ON t.id = et.tag_id
        WHERE et.expense_id = e.id) AS tags,
       e.report_id, e.created, e.modified, e.status
FROM expenses_expense e WHERE e.owner_id = {user} AND e.status = 1 ORDER BY e.date DESC, e.id
"""


def floor_download(user_id, repeats=3):
    """The same rows dumped as CSV by the database's own client: `sqlite3 -csv`, or `psql` with COPY."""
    if STORE.postgres:
        sql = FLOOR_SQL.format(user=user_id).replace("group_concat(t.name)", "string_agg(t.name, ',')")
        command = ["psql", "-q", STORE.url.replace("postgres://", "postgresql://", 1), "-c",
                   f"\\copy ({' '.join(sql.split())}) TO STDOUT WITH CSV HEADER"]
    else:
        command = ["sqlite3", "-csv", "-header", str(DB_PATH), FLOOR_SQL.format(user=user_id)]
    times = []
    for _ in range(repeats):
        started = time.monotonic()
        with open(OUT / "floor.csv", "wb") as out:
            subprocess.run(command, stdout=out, check=True)
        times.append(time.monotonic() - started)
    rows = (OUT / "floor.csv").read_bytes().count(b"\n") - 1
    return statistics.median(times), rows, (OUT / "floor.csv").stat().st_size


def download(server, path, repeats=3):
    """Median wall time of a full download and the largest RSS growth of any worker (peak minus start)."""
    times, growth, size = [], [], 0
    for _ in range(repeats):
        workers = server.workers()
        before = {}
        for pid in workers:
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS
            before[pid] = proc_status(pid, "VmRSS")
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
        conn.request("GET", path, headers={"Authorization": BASIC})
        response = conn.getresponse()
        first_byte = time.monotonic() - started
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        conn.close()
        times.append(time.monotonic() - started)
        if response.status != 200:
            return {"error": f"HTTP {response.status}"}
        growth.append(max(proc_status(pid, "VmHWM") - before[pid] for pid in workers))
    return {"seconds": statistics.median(times), "first_byte_s": first_byte, "bytes": size,
            "rss_growth_mb": max(growth) / 1e6}


# -- EXPLAIN -------------------------------------------------------------------------------------------
def explain_delta(info):
    """The plan of Django's delta-sync query on the bench database (EXPLAIN ANALYZE on PostgreSQL)."""
    from django.http import QueryDict

    from accounts.models import User
    from expenses.selectors import expense_list

    user = User.objects.get(pk=info["user_id"])
    params = QueryDict(f"report=*&status=all&modified={info['since'].replace(' ', '+')}&modified_op=gt")
    queryset = expense_list(user=user, params=params)
    return queryset.explain(analyze=True) if STORE.postgres else queryset.explain()


def explain_postgres(total):
    """Seed 1M rows into a scratch PostgreSQL database (generate_series) and EXPLAIN the delta query."""
    dbname = "xp_prod_bench"
    url = f"postgres://postgres@127.0.0.1:5432/{dbname}"
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        return "PostgreSQL is not reachable on 127.0.0.1:5432: skipped."
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {dbname}")
        admin.execute(f"CREATE DATABASE {dbname}")
    env = {**server_env(0), "DATABASE_URL": url}
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    # Users through the ORM (their default reports come with them), expenses by one generate_series INSERT.
    script = ("import json; from accounts.models import User; "
              "users = [User.objects.create_user(f'pg{n}@example.com') for n in range(10)]; "
              "print(json.dumps([(u.pk, u.reports.get(is_default=True).pk) for u in users]))")
    made = subprocess.run([PY, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True)
    users = json.loads(made.stdout.strip().splitlines()[-1])
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{dbname}", autocommit=True) as db:
        owners = ", ".join(f"({i}, {u}, {r})" for i, (u, r) in enumerate(users))
        db.execute(
            f"""INSERT INTO expenses_expense (owner_id, report_id, type, amount, rawamount, notes, date, status,
                    sourceid, category, receipt, created, modified)
                SELECT o.u, o.r, 'lunch', 1, 1, '', now() - (x || ' minutes')::interval, 1, '', NULL, '',
                       now() - interval '3 days', now() - interval '3 days'
                FROM generate_series(1, {total}) x JOIN (VALUES {owners}) o(i, u, r) ON o.i = x % 10"""
        )
        db.execute(f"UPDATE expenses_expense SET modified = now() WHERE id IN "
                   f"(SELECT id FROM expenses_expense WHERE owner_id = {users[0][0]} LIMIT {CHANGED})")
        db.execute("ANALYZE")
        plan = db.execute(
            "EXPLAIN ANALYZE SELECT * FROM expenses_expense WHERE owner_id = %s"
            " AND modified > now() - interval '1 hour' ORDER BY date DESC, id", (users[0][0],),
        ).fetchall()
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {dbname}")
    return "\n".join(row[0] for row in plan)


# -- report --------------------------------------------------------------------------------------------
def machine():
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor())
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kb = int(next(line.split()[1] for line in meminfo if line.startswith("MemTotal")))
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "kernel": platform.release()}


def verdict(ok, *runs):
    if any(run.get("non2xx") for run in runs):
        return "INVALID (error responses)"
    return "PASS" if ok else "MISS"


def write_results(r):
    m = r["machine"]
    lines = [
        "# Benchmark results (`make bench-postgres`)" if STORE.postgres else "# Benchmark results (`make bench`)",
        "",
        f"Run {r['date']} on commit `{r['commit']}`: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, "
        f"Python {m['python']}, Linux {m['kernel']}. Server: `make serve` "
        f"({r['workers']} workers, gunicorn.conf.py), {STORE.name}, load by {r['loadgen']} "
        f"({r['duration']} s per run, 8 connections, 2 threads) on the same machine.",
        "",
        f"Data: {r['seed']['total']:,} expenses, {r['seed']['bench']:,} of them for the bench user "
        f"({r['seed']['bench_live']:,} live), {r['seed']['links']:,} tag links; "
        f"migrate {r['seed']['migrate_s']:.1f} s, "
        f"bulk seed {r['seed']['seed_s']:.1f} s. Whole run {r['elapsed_s']:.0f} s.",
        "",
        "## Targets",
        "",
        "| measure | figure | floor / reference | ratio | target | |",
        "|---|---|---|---|---|---|",
    ]
    for row in r["targets"]:
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "## Raw figures", "",
              f"Each run follows an unrecorded {WARMUP_SECONDS} s warm-up of the same load. Latency as wrk saw it, "
              "and as the server measured it (access log; see `server_latency` in run.py); worker CPU: user + "
              "system time of the gunicorn workers over the run, per request.",
              "", "| run | req/s | p50 ms | p99 ms | server p50 ms | server p99 ms | worker CPU ms/request "
              "| requests | non-2xx | socket errors |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, w in r["wrk"].items():
        if "skipped" in w:
            lines.append(f"| {name} | skipped: {w['skipped']} | | | | | | | | |")
        else:
            lines.append(f"| {name} | {w['rps']:.0f} | {w['p50_ms']} | {w['p99_ms']} | {w.get('server_p50_ms')} | "
                         f"{w.get('server_p99_ms')} | {w.get('cpu_ms_per_request')} | {w['requests']} | "
                         f"{w['non2xx']} | {w['socket_errors']} |")
    lines += ["", "| download (100k) | seconds | first byte s | bytes | worker RSS growth MB |",
              "|---|---|---|---|---|"]
    floor_s, floor_rows, floor_bytes = r["floor"]
    lines.append(f"| `{STORE.floor_label}` floor ({floor_rows:,} rows) | {floor_s:.3f} | | {floor_bytes:,} | |")
    for name, d in r["downloads"].items():
        if "error" in d or "skipped" in d:
            lines.append(f"| {name} | {d.get('error') or 'skipped: ' + d['skipped']} | | | |")
        else:
            lines.append(f"| {name} | {d['seconds']:.3f} | {d['first_byte_s']:.3f} | {d['bytes']:,} | "
                         f"{d['rss_growth_mb']:.1f} |")
    engine = "PostgreSQL" if STORE.postgres else "SQLite"
    lines += ["", "## Delta-sync query plans", "", f"{engine} ({r['seed']['total']:,} rows, Django's query):",
              "", "```", r["explain_delta"].strip(), "```"]
    if not STORE.postgres:
        lines += ["", f"PostgreSQL (a scratch database of {r['seed']['total']:,} rows, EXPLAIN ANALYZE):", "", "```",
                  r["explain_postgres"].strip(), "```"]
    lines.append("")
    history = ""
    if STORE.results.exists() and HISTORY_MARKER in STORE.results.read_text():
        history = STORE.results.read_text().split(HISTORY_MARKER, 1)[1]
    STORE.results.write_text("\n".join(lines) + "\n" + HISTORY_MARKER + (history or "\n"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="100k expenses in total (smoke run)")
    parser.add_argument("--skip-postgres", action="store_true", help="no EXPLAIN on a scratch PostgreSQL database")
    parser.add_argument("--postgres", action="store_true",
                        help="serve from PostgreSQL + Redis on localhost instead of SQLite (RESULTS-postgres.md)")
    args = parser.parse_args()
    global STORE
    if args.postgres:
        STORE = POSTGRES
    started = time.monotonic()
    total = 100_000 if args.quick else 1_000_000

    have_wrk = ensure_tool("wrk")
    if not STORE.postgres and not ensure_tool("sqlite3"):
        raise SystemExit("sqlite3 is required for the download floor (apt-get install -y sqlite3)")
    if STORE.postgres and not shutil.which("psql"):
        raise SystemExit("psql is required for the download floor (apt-get install -y postgresql-client)")
    if not have_wrk:
        raise SystemExit("wrk could not be installed (apt-get install -y wrk); no load generator")

    log(f"seeding {total:,} expenses into {STORE.url}")
    info = seed(total)
    log(f"seeded in {info['seed_s']:.1f} s (+ migrate {info['migrate_s']:.1f} s): {info}")
    explain = explain_delta(info)

    port = free_port()
    server = Server(port)
    log(f"gunicorn up on port {port}, workers {server.workers()}")
    ids = f"{info['id_first']}:{info['id_step']}:{info['id_count']}"
    env = {"BENCH_AUTH": BASIC, "BENCH_IDS": ids, "BENCH_ORIGIN": f"http://127.0.0.1:{port}"}
    results = {"wrk": {}, "downloads": {}}
    try:
        w = results["wrk"]
        log("floor: bare view")
        w["floor: bare Django view /bench/floor"] = wrk(
            server, "simple_create.lua", "/", duration=args.duration, env={**env, "BENCH_PATH": "/bench/floor"})
        since = info["since"].replace(" ", "+")
        delta_paths = [f"/api/v1.0/expenses/?report=*&status=all&modified={since}&modified_op=gt",
                       f"/api/expenses/?report=*&status=all&format=json&modified={since}&modified_op=gt"]
        delta = next((p for p in delta_paths if endpoint_exists(server, p, {"Authorization": BASIC})), None)
        if delta:
            status, body = server.get(delta, {"Authorization": BASIC})
            changed = len(json.loads(body))
            log(f"delta sync ({changed} changed): {delta}")
            w[f"delta sync, 1 connection ({changed} of {info['total']:,} changed) {delta.split('?')[0]}"] = wrk(
                server, "basic_read.lua", "/", duration=max(3, args.duration // 2), connections=1, threads=1,
                env={**env, "BENCH_PATH": delta, "BENCH_IDS": "none"})
            results["delta_changed"] = changed
        else:
            w["delta sync"] = {"skipped": "no expense list endpoint on this branch"}

        read_path = "/api/v1.0/expense/"
        if endpoint_exists(server, f"{read_path}{info['id_first']}", {"Authorization": BASIC}):
            log("Basic-auth reads")
            w["Basic-auth reads /api/v1.0/expense/ID"] = wrk(
                server, "basic_read.lua", "/", duration=args.duration, env={**env, "BENCH_PATH": read_path})
            if info["oauth"]:
                log("OAuth-signed reads")
                w["OAuth-signed reads /api/v1.0/expense/ID"] = wrk(
                    server, "oauth_read.lua", "/", duration=args.duration,
                    env={**env, "BENCH_PATH": read_path, "BENCH_OAUTH": info["oauth"]})
            else:
                w["OAuth-signed reads /api/v1.0/expense/ID"] = {"skipped": "the OAuth 1 provider is not on this branch"}
        else:
            w["Basic-auth reads /api/v1.0/expense/ID"] = {"skipped": f"{read_path}ID is not on this branch"}
            w["OAuth-signed reads /api/v1.0/expense/ID"] = {"skipped": f"{read_path}ID is not on this branch"}

        # Creates last: they add changed rows, which would change what delta sync measures.
        if endpoint_exists(server, "/api/simple/?format=json&q=bench+1", {"Authorization": BASIC}):
            log("simple API creates")
            w["Basic-auth creates /api/simple/?format=json&q=..."] = wrk(
                server, "simple_create.lua", "/", duration=args.duration, env={**env, "BENCH_PATH": "/api/simple/"})
        else:
            w["Basic-auth creates /api/simple/?format=json&q=..."] = {"skipped": "/api/simple/ is not on this branch"}
        log(f"{STORE.floor_label} floor")
        results["floor"] = floor_download(info["user_id"])
        downloads = [("csv", "/api/expenses/?report=*&format=csv"), ("json", "/api/expenses/?report=*&format=json"),
                     ("qif", "/api/expenses/?report=*&format=qif"), ("xml", "/api/expenses/?report=*&format=xml"),
                     ("v1 xml", "/api/v1.0/expenses/?report=*&format=xml"),
                     ("v1 json", "/api/v1.0/expenses/?report=*&format=json")]
        for name, path in downloads:
            if not endpoint_exists(server, path.replace("report=*", "report=*&type=none"), {"Authorization": BASIC}):
                results["downloads"][f"{name} {path}"] = {"skipped": "not on this branch"}
                continue
            log(f"download {name}")
            results["downloads"][f"{name} {path}"] = download(server, path)
    finally:
        server.stop()

    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    explain_pg = "skipped (--skip-postgres)" if not STORE.postgres else "the bench database's plan, above"
    if not args.skip_postgres and not STORE.postgres:
        log("EXPLAIN on PostgreSQL")
        try:
            explain_pg = explain_postgres(total)
        except Exception as exc:  # noqa: BLE001 - the SQLite figures are still worth writing
            explain_pg = f"failed: {type(exc).__name__}: {exc}"

    results.update(
        machine=machine(), date=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        commit=subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip(),
        workers=server_env(0)["WEB_CONCURRENCY"], loadgen="wrk 4.1 + Lua", duration=args.duration, seed=info,
        explain_delta=explain, explain_postgres=explain_pg, elapsed_s=time.monotonic() - started,
    )
    results["targets"] = targets(results)
    write_results(results)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    log(f"done in {results['elapsed_s']:.0f} s: {STORE.results.relative_to(ROOT)}")
    for row in results["targets"]:
        print("  " + " | ".join(row))


def targets(r):
    w, rows = r["wrk"], []
    floor = w["floor: bare Django view /bench/floor"]
    creates = w.get("Basic-auth creates /api/simple/?format=json&q=...", {})
    if "rps" in creates:
        ratio = creates["rps"] / floor["rps"]
        rows.append(["simple-API creates/s (Basic)", f"{creates['rps']:.0f}/s (p50 {creates['p50_ms']} ms, "
                     f"p99 {creates['p99_ms']} ms; server p99 {creates.get('server_p99_ms')} ms)",
                     f"bare view {floor['rps']:.0f}/s", f"{ratio:.0%}", ">= 40%",
                     verdict(ratio >= 0.4, creates)])
    basic = w.get("Basic-auth reads /api/v1.0/expense/ID", {})
    oauth = w.get("OAuth-signed reads /api/v1.0/expense/ID", {})
    if "rps" in basic and "rps" in oauth:
        ratio = oauth["rps"] / basic["rps"]
        rows.append(["OAuth-signed reads/s", f"{oauth['rps']:.0f}/s (p50 {oauth['p50_ms']} ms)",
                     f"Basic {basic['rps']:.0f}/s", f"{ratio:.0%}", ">= 60%", verdict(ratio >= 0.6, basic, oauth)])
    delta = next((v for k, v in w.items() if k.startswith("delta sync,")), None)
    if delta:
        rows.append(["delta sync p50", f"{delta['p50_ms']} ms (p99 {delta['p99_ms']} ms; server p50 "
                     f"{delta.get('server_p50_ms')} ms, p99 {delta.get('server_p99_ms')} ms)", "", "", "< 20 ms",
                     verdict(delta["p50_ms"] < 20, delta)])
    floor_s = r["floor"][0]
    for name, d in r["downloads"].items():
        if "seconds" in d:
            ratio = d["seconds"] / floor_s
            rows.append([f"download {name.split(' /')[0]}", f"{d['seconds']:.2f} s, +{d['rss_growth_mb']:.1f} MB",
                         f"{STORE.floor_label} {floor_s:.2f} s", f"{ratio:.1f}x", "<= 4x, < 60 MB",
                         verdict(ratio <= 4 and d["rss_growth_mb"] < 60)])
    return rows


if __name__ == "__main__":
    main()
