"""Paths, the bench account and where the database lives (SQLite or PostgreSQL + Redis)."""

import base64
import os
import shutil
import socket
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
STORE = SQLITE  # set by run.py --postgres

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
    env["REDIS_URL"] = STORE.redis_url  # set even when empty, so that a .env file cannot add one
    if os.environ.get("XPENSER_DB_POOL"):  # `XPENSER_DB_POOL=1 make bench-postgres`: Django's connection pool
        env["XPENSER_DB_POOL"] = os.environ["XPENSER_DB_POOL"]
    env.update(
        DATABASE_URL=STORE.url,
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_DEBUG="0",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="bench.settings",  # the project's settings plus the floor view
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


def use_server_env() -> dict:
    """Give this process the environment of `make bench`'s server (server_env), whatever the shell has: for
    the bench scripts that run Django themselves (the seed, profile_request.py). Returns that environment."""
    env = server_env(0)
    for name in [name for name in os.environ if name.startswith(("DJANGO_", "XPENSER_"))]:
        del os.environ[name]
    os.environ.update({name: value for name, value in env.items() if name.startswith(("DJANGO_", "XPENSER_"))})
    os.environ["DATABASE_URL"] = env["DATABASE_URL"]
    os.environ["REDIS_URL"] = env["REDIS_URL"]  # empty on SQLite: the process's memory, as its server has
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


