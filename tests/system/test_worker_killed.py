"""A worker killed (SIGKILL) in the middle of a job: another worker runs the job again, to the end."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.live_server import REPO, scratch_database, server_env

pytestmark = [pytest.mark.system, pytest.mark.django_db]
MANAGE = [sys.executable, str(REPO / "manage.py")]


def manage(env, *args, timeout=180):
    return subprocess.run([*MANAGE, *args], env=env, cwd=REPO, check=True, capture_output=True, text=True,
                          timeout=timeout).stdout


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


def worker(env, worker_id):
    return subprocess.Popen([*MANAGE, "jobs_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2",
                             "--worker-id", worker_id], env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def test_a_job_whose_worker_was_killed_runs_again_to_completion(tmp_path):
    marker = tmp_path / "marker.txt"
    with scratch_database(tmp_path) as database_url:
        env = server_env(database_url, tmp_path, XPENSER_JOBS_HEARTBEAT_SECONDS="0.5",
                         XPENSER_JOBS_WORKER_TIMEOUT="2")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "shell", "-v0", "-c", "from tests.jobs.tasks import slow_marker; "
                                   f"print(slow_marker.enqueue(path={str(marker)!r}, seconds=3).id)")
        first = worker(env, "first")
        try:
            wait_for(lambda: marker.exists() and "start" in marker.read_text(), 60, "the first worker to start")
            os.kill(first.pid, signal.SIGKILL)
            first.wait(10)
        finally:
            first.kill()
        assert "done" not in marker.read_text()
        second = worker(env, "second")
        try:
            wait_for(lambda: "done" in marker.read_text(), 60, "the second worker to finish the job")
        finally:
            second.terminate()
            second.wait(10)
        lines = marker.read_text().split()
        assert lines[0::2] == ["start", "start", "done"]
        assert lines[1] == str(first.pid) and lines[3] == lines[5] != lines[1]
        state = json.loads(manage(env, "shell", "-v0", "-c", (
            "import json; from django_tasks_db.models import DBTaskResult; "
            "print(json.dumps([[r.status, r.worker_ids, r.return_value] for r in DBTaskResult.objects.all()]))")))
        assert state == [["SUCCESSFUL", ["first", "second"], "done"]]
