"""SQLite writers in several processes (Django's own backend, `BEGIN IMMEDIATE` and a busy timeout from the
settings' OPTIONS): a waiting writer gets in once the holder commits, gives up with "database is locked"
after the configured timeout, and is never blocked by a process that died holding the lock."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
from unittest import mock

import pytest
from django.db import OperationalError

from tests.processes import ROOT, project_env


@pytest.fixture
def shared_file(tmp_path):
    path = tmp_path / "lock.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE lock_test (id INTEGER PRIMARY KEY, label TEXT)")
    db.commit()
    db.close()
    return path


def _env(path, query=""):
    return project_env(DATABASE_URL=f"sqlite:///{path}{query}", DJANGO_SECRET_KEY="test-key-for-lock")


def _start(args, env):
    return subprocess.Popen([sys.executable, "-m", "tests.production.sqlite_lock_holder", *args], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _holding(proc):
    line = proc.stdout.readline().strip()
    assert line == "holding", proc.stderr.read()


def _writer(env):
    """A writer process that has started and connected, waiting to be told to write (see _write)."""
    proc = _start(["write"], env)
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return proc


def _write(env, writer=None) -> dict:
    proc = writer or _writer(env)
    out, err = proc.communicate("go\n", timeout=60)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def _labels(path):
    db = sqlite3.connect(path)
    labels = [row[0] for row in db.execute("SELECT label FROM lock_test ORDER BY id")]
    db.close()
    return labels


def test_a_writer_waits_for_the_holder_then_commits(shared_file):
    writer = _writer(_env(shared_file))  # started and connected first: its start-up is not part of the wait
    holder = _start(["hold", "1.0"], _env(shared_file))
    _holding(holder)
    summary = _write(_env(shared_file), writer)
    assert holder.wait(timeout=30) == 0
    assert summary["error"] is None
    assert summary["engine"] == "django.db.backends.sqlite3"
    assert 0.5 < summary["waited"] < 10
    assert _labels(shared_file) == ["holder", "writer"]  # nothing lost, in commit order


def test_a_writer_gives_up_after_the_timeout_with_database_is_locked(shared_file):
    holder = _start(["hold", "8"], _env(shared_file))
    _holding(holder)
    summary = _write(_env(shared_file, "?timeout=1"))
    holder.kill()
    holder.wait(timeout=30)
    assert "database is locked" in summary["error"]
    assert 0.9 < summary["waited"] < 6


def test_a_process_killed_while_holding_the_lock_does_not_block_others(shared_file):
    holder = _start(["hold", "60"], _env(shared_file))
    _holding(holder)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    summary = _write(_env(shared_file, "?timeout=5"))
    assert summary["error"] is None
    assert summary["waited"] < 3
    assert _labels(shared_file) == ["writer"]  # the killed holder's transaction was rolled back


def test_threads_of_several_processes_take_turns_and_lose_nothing(shared_file):
    """As under gunicorn with threads: each thread has its own connection; no write fails, none is lost."""
    procs = [_start(["threads", "4", "25", f"p{n}"], _env(shared_file)) for n in range(2)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert json.loads(out.strip().splitlines()[-1]) == {"errors": []}
    labels = _labels(shared_file)
    assert len(labels) == 2 * 4 * 25
    assert {label: labels.count(label) for label in set(labels)} == {
        f"p{n}-t{t}": 25 for n in range(2) for t in range(4)}


@pytest.mark.parametrize("path", ["/api/simple/?format=json&q=lunch+45", "/api/v1.0/expense/?q=lunch+45"])
def test_a_database_still_locked_after_the_timeout_answers_503_with_retry_after(client, auth, path):
    method = client.get if path.startswith("/api/simple/") else client.post
    with mock.patch("expenses.services.expense_create_from_text",
                    side_effect=OperationalError("database is locked")):
        response = method(path, **auth)
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json() == {"status": 503, "error": "the database is busy with other writes; retry in a moment",
                               "retry_after": 2}
