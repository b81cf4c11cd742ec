"""Several processes writing to one SQLite file: no lost write, no "database is locked"."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.processes import ROOT, project_env

WRITERS = 4
ITERATIONS = 40


def _env(db_path: Path) -> dict:
    return project_env(DATABASE_URL=f"sqlite:///{db_path}", DJANGO_SECRET_KEY="test-key-for-writers")


def _run(args, env, **kwargs):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          **kwargs)


@pytest.fixture
def shared_sqlite_file(db, tmp_path):
    """A migrated SQLite file: the test database's schema copied (or a fresh migrate on other engines)."""
    path = tmp_path / "shared.sqlite3"
    env = _env(path)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")
            schema = [row[0] for row in cursor.fetchall()]
        target = sqlite3.connect(path)
        for statement in schema:
            target.execute(statement)
        target.commit()
        target.close()
    else:
        result = _run(["manage.py", "migrate", "--noinput", "-v0"], env)
        assert result.returncode == 0, result.stderr
    result = _run(["-m", "tests.production.sqlite_writer", "setup"], env)
    assert result.returncode == 0, result.stderr
    return path


def test_parallel_writers_lose_nothing_and_never_see_locked(shared_sqlite_file):
    env = _env(shared_sqlite_file)
    procs = [
        subprocess.Popen([sys.executable, "-m", "tests.production.sqlite_writer", str(ITERATIONS), f"writer{n}"],
                         cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(WRITERS)
    ]
    summaries = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        summaries.append(json.loads(out.strip().splitlines()[-1]))

    for summary in summaries:
        assert summary["errors"] == []
        # The settings' tuning really applies to live connections (Django 5.2 init_command).
        assert summary["journal_mode"] == "wal"
        assert summary["transaction_mode"] == "IMMEDIATE"

    db = sqlite3.connect(shared_sqlite_file)
    counts = dict(db.execute("SELECT type, COUNT(*) FROM expenses_expense GROUP BY type").fetchall())
    counter = db.execute("SELECT amount FROM expenses_expense WHERE type = 'counter'").fetchone()[0]
    db.close()
    assert counts == {"counter": 1, **{f"writer{n}": ITERATIONS for n in range(WRITERS)}}
    assert int(float(counter)) == WRITERS * ITERATIONS
