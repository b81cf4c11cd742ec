"""A worker killed (SIGKILL) in the middle of a job: another worker runs the job again, to the end. On the
database queue (jobs_worker: the reclaim of jobs whose worker stopped beating) and on the Redis queue (rqworker:
RQ's cleanup of abandoned jobs, then jobs.receivers; skipped when Redis does not answer)."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import redis

from tests.live_server import REPO, scratch_database, server_env

from .servers import REDIS, answers

pytestmark = [pytest.mark.system, pytest.mark.django_db]
MANAGE = [sys.executable, str(REPO / "manage.py")]
# The worker scripts/with-worker starts for the Redis queue (its worker class: settings.RQ).
RQWORKER = ["rqworker", "--with-scheduler", "--job-class", "django_tasks_rq.backend.Job", "default"]


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


def start_worker(env, queue, worker_id, log):
    """The queue's worker in a process group of its own (an rqworker forks a work horse per job)."""
    command = RQWORKER if queue == "redis" else [
        "jobs_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", "--worker-id", worker_id]
    return subprocess.Popen([*MANAGE, *command], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def kill9(process, job_pid=None):
    """SIGKILL to the worker, then to the process running the job (an rqworker's work horse puts itself in a
    process group of its own), as when the machine is lost."""
    for kill, pid in ((os.killpg, process.pid), (os.kill, job_pid)):
        try:
            if pid is not None:
                kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(10)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            kill9(process)


@pytest.fixture(params=["database", "redis"])
def queue_env(request, tmp_path):
    """(queue, environment) of a scratch deployment whose jobs go to `queue`."""
    queue = request.param
    with scratch_database(tmp_path) as database_url:
        if queue == "database":
            yield queue, server_env(database_url, tmp_path, XPENSER_TASK_QUEUE="database",
                                    XPENSER_JOBS_HEARTBEAT_SECONDS="0.5", XPENSER_JOBS_WORKER_TIMEOUT="2")
            return
        if not answers("127.0.0.1", 6379):
            pytest.skip(f"Redis ({REDIS}) not answering")
        redis.Redis.from_url(REDIS).flushdb()
        try:
            # No XPENSER_TASK_QUEUE: REDIS_URL alone makes RQ the queue. RQ declares a job abandoned 60 s after its
            # last heartbeat (its fixed margin); a worker's maintenance, every 2 s here, then finds it.
            yield queue, server_env(database_url, tmp_path, REDIS_URL=REDIS, XPENSER_JOBS_HEARTBEAT_SECONDS="1",
                                    XPENSER_JOBS_WORKER_TIMEOUT="2", XPENSER_JOBS_BACKOFF_SECONDS="0")
        finally:
            redis.Redis.from_url(REDIS).flushdb()


STATE = {
    "database": "import json; from django_tasks_db.models import DBTaskResult; "
                "print(json.dumps([[r.status, r.worker_ids, r.return_value] for r in DBTaskResult.objects.all()]))",
    "redis": "import json, django_rq; from jobs.models import DeadJob; q = django_rq.get_queue('default'); "
             "print(json.dumps([q.count, q.failed_job_registry.count, q.finished_job_registry.count, "
             "[q.fetch_job(i).return_value() for i in q.finished_job_registry.get_job_ids()], "
             "DeadJob.objects.count()]))",
}


def test_a_job_whose_worker_was_killed_runs_again_to_completion(queue_env, tmp_path):
    queue, env = queue_env
    marker = tmp_path / "marker.txt"
    manage(env, "migrate", "--noinput", "-v0")
    assert manage(env, "shell", "-v0", "-c", "from django.conf import settings; print(settings.TASKS)").count(
        "RQBackend" if queue == "redis" else "DatabaseBackend") == 1
    manage(env, "shell", "-v0", "-c", "from tests.jobs.tasks import slow_marker; "
                                      f"print(slow_marker.enqueue(path={str(marker)!r}, seconds=3).id)")
    with (tmp_path / "first.log").open("w") as log:
        first = start_worker(env, queue, "first", log)
    try:
        wait_for(lambda: marker.exists() and "start" in marker.read_text(), 60, "the first worker to start")
    finally:
        kill9(first, int(marker.read_text().split()[1]) if marker.exists() else None)
    assert "done" not in marker.read_text()
    with (tmp_path / "second.log").open("w") as log:
        second = start_worker(env, queue, "second", log)
    try:
        wait_for(lambda: "done" in marker.read_text(), 180, "the second worker to finish the job")
    finally:
        stop(second)
    lines = marker.read_text().split()
    assert lines[0::2] == ["start", "start", "done"]
    assert lines[1] != lines[3] == lines[5]
    state = json.loads(manage(env, "shell", "-v0", "-c", STATE[queue]))
    if queue == "database":
        assert lines[1] == str(first.pid)
        assert state == [["SUCCESSFUL", ["first", "second"], "done"]]
    else:  # the lost attempt failed (RQ's failed job registry), the next one ran to the end; no dead job
        assert state == [0, 1, 1, ["done"], 0]
