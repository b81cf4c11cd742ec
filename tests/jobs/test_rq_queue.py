"""The Redis queue for real (RQ on REDIS_URL, skipped without it): a job that raises runs again once per failure,
after the backoff, and is a dead job after its last attempt; a job whose work horse died runs again too.

The worker runs in this process (RQ's SimpleWorker, or its forking Worker for the killed horse) against a queue
of the test's own; `tests/system/test_worker_killed.py` kills a whole `rqworker`."""

import os
import uuid

import django_rq
import pytest
import redis
from django_tasks_rq.backend import Job
from rq.worker import SimpleWorker

from jobs import services
from jobs.models import DeadJob
from jobs.rq_worker import Worker
from tests.jobs import tasks


def redis_answers() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not redis_answers(), reason="REDIS_URL is not set or Redis does not answer")]


@pytest.fixture
def queue(settings):
    """An RQ queue of this test's own on REDIS_URL, the tasks' backend; removed afterwards with its jobs."""
    name = f"xp-test-{uuid.uuid4().hex[:10]}"
    settings.RQ_QUEUES = {name: {"URL": os.environ["REDIS_URL"]}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    tasks.CALLS.clear()
    rq_queue = django_rq.get_queue(name, job_class=Job)
    yield rq_queue
    registries = [rq_queue.started_job_registry, rq_queue.finished_job_registry, rq_queue.failed_job_registry,
                  rq_queue.scheduled_job_registry, rq_queue.deferred_job_registry]
    for job_id in {*rq_queue.job_ids, *(i for registry in registries for i in registry.get_job_ids())}:
        rq_queue.connection.delete(Job.key_for(job_id))
    rq_queue.connection.delete(rq_queue.key, *(registry.key for registry in registries))


def work(queue, worker_class=SimpleWorker, rounds=4):
    """Run the queue dry, scheduled attempts included (each burst enqueues the scheduled jobs that are due)."""
    for _ in range(rounds):
        worker_class([queue], connection=queue.connection, job_class=Job).work(burst=True, with_scheduler=True)


def attempts(queue) -> dict[str, list[int]]:
    """Attempt numbers of the queue's jobs, by how each ended."""
    ended = {"finished": queue.finished_job_registry, "failed": queue.failed_job_registry,
             "scheduled": queue.scheduled_job_registry}
    return {how: sorted(Job.fetch(i, connection=queue.connection).kwargs.get("job_attempt", 1)
                        for i in registry.get_job_ids()) for how, registry in ended.items()}


def test_a_job_that_raises_runs_again_once_then_succeeds(queue):
    tasks.flaky.using(queue_name=queue.name).enqueue(fail_times=1, key="rq")
    work(queue)
    assert [call["key"] for call in tasks.CALLS] == ["rq", "rq"]
    assert attempts(queue) == {"finished": [2], "failed": [1], "scheduled": []}
    assert not DeadJob.objects.exists()


def test_the_next_attempt_waits_for_the_backoff(queue, settings):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 600
    tasks.flaky.using(queue_name=queue.name).enqueue(fail_times=1, key="later")
    work(queue)
    assert len(tasks.CALLS) == 1
    assert attempts(queue) == {"finished": [], "failed": [1], "scheduled": [2]}


def test_a_job_failing_every_attempt_is_a_dead_job(queue):
    tasks.broken.using(queue_name=queue.name).enqueue(reason="no such account")
    work(queue)
    assert attempts(queue) == {"finished": [], "failed": [1, 2], "scheduled": []}
    dead = DeadJob.objects.get()
    assert (dead.task_path, dead.attempts, dead.error) == ("tests.jobs.tasks.broken", 2, "no such account")
    assert dead.exception_class == "builtins.ValueError"


def test_a_job_whose_work_horse_was_killed_runs_again_and_then_is_a_dead_job(queue, tmp_path):
    marker = tmp_path / "runs.txt"
    tasks.dies.using(queue_name=queue.name).enqueue(path=str(marker), test_pid=os.getpid())
    work(queue, worker_class=Worker)
    runs = marker.read_text().split()
    assert runs[0::2] == ["run", "run"] and os.getpid() not in map(int, runs[1::2])
    assert attempts(queue) == {"finished": [], "failed": [1, 2], "scheduled": []}
    dead = DeadJob.objects.get()
    assert (dead.task_path, dead.attempts, dead.exception_class) == ("tests.jobs.tasks.dies", 2,
                                                                      "jobs.receivers.WorkerLost")
    assert dead.error.startswith("the process running the job ended unexpectedly")


def test_a_dead_job_retried_on_redis_records_the_queued_job_and_runs_once_more(queue):
    tasks.broken.using(queue_name=queue.name).enqueue(reason="no such account")
    work(queue)
    dead = DeadJob.objects.get()
    assert (dead.queue_name, dead.backend) == (queue.name, "default")
    assert services.dead_job_retry(dead_job=dead) is True
    recorded = DeadJob.objects.get().retry_result_id
    assert recorded in queue.job_ids
    assert Job.fetch(recorded, connection=queue.connection).kwargs == {"reason": "no such account"}
    work(queue)
    assert attempts(queue)["failed"] == [1, 1, 2, 2]  # the retry starts again at attempt 1
    assert DeadJob.objects.count() == 2  # and, failing every attempt again, is a dead job of its own
