"""A real server for live tests: gunicorn on a free port over a scratch database (a SQLite file, or a scratch
PostgreSQL database when the suite runs on PostgreSQL), with one account."""

import os
import re
import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from tests.processes import project_env

REPO = Path(__file__).resolve().parents[1]


@contextmanager
def scratch_database(tmp_path):
    """DATABASE_URL of an empty database of the suite's engine, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'live.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    base = f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    # XPENSER_SCRATCH_DATABASE_PREFIX: keeps the scratch databases of several checkouts on one server apart.
    name = f"{os.environ.get('XPENSER_SCRATCH_DATABASE_PREFIX', 'xp_live')}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{base}/{name}".replace("postgresql://", "postgres://", 1)
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def server_env(database_url: str, tmp_path, **extra) -> dict:
    return project_env(DATABASE_URL=database_url, DJANGO_SECRET_KEY="live-test-key", DJANGO_DEBUG="0",
                       DJANGO_SETTINGS_MODULE="xpenser_server.settings", XPENSER_MEDIA_ROOT=str(tmp_path / "media"),
                       XPENSER_LOGIN_FAILURE_DIR=str(tmp_path / "login-failures"), no_proxy="127.0.0.1,localhost",
                       **extra)


def prepare(env, email: str, password: str) -> None:
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=REPO, check=True, capture_output=True,
                   timeout=180)
    script = (f"from accounts.models import User; User.objects.create_user(email={email!r}, "
              f"password={password!r})")
    subprocess.run([*manage, "shell", "-c", script], env=env, cwd=REPO, check=True, capture_output=True, timeout=60)


def listening_url(process: subprocess.Popen, *, timeout: float) -> str:
    """The `http://127.0.0.1:<port>` gunicorn announces ("Listening at: ...") on `process`'s stderr (a text
    pipe), which goes on being read so that it never fills; AssertionError with what it printed if none
    comes within `timeout` seconds."""
    found, address, log = threading.Event(), {}, []

    def watch():
        for line in process.stderr:
            log.append(line)
            match = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line)
            if match and not found.is_set():
                address["url"] = match.group(1)
                found.set()

    threading.Thread(target=watch, daemon=True).start()
    assert found.wait(timeout), "the server did not start:\n" + "".join(log)
    return address["url"]


@contextmanager
def gunicorn(env, *, workers=2, threads=4):
    """Base URL of gunicorn bound to a free port (port 0: the kernel picks it)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "xpenser_server.wsgi", "--bind", "127.0.0.1:0", "--workers",
         str(workers), "--threads", str(threads), "--worker-class", "gthread"],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        yield listening_url(process, timeout=60)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
