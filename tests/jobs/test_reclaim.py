"""Database queue: a job left running by a worker that stopped beating runs again (or, after too many
claims, is a dead job); a job of a worker that beats is left alone."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs import services
from jobs.models import DeadJob, WorkerBeat
from tests.jobs import tasks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]


def running(worker_ids, started_seconds_ago=120, **attempt):
    result = tasks.slow_marker.enqueue(path="/nowhere", seconds=0, **attempt)
    row = DBTaskResult.objects.get(pk=result.id)
    row.status, row.worker_ids = "RUNNING", worker_ids
    row.started_at = timezone.now() - dt.timedelta(seconds=started_seconds_ago)
    row.save()
    return row


def test_the_job_of_a_worker_that_stopped_beating_is_ready_again(settings):
    settings.XPENSER_JOBS_WORKER_TIMEOUT = 60
    WorkerBeat.objects.create(worker_id="gone", host="h", pid=1, seen=timezone.now() - dt.timedelta(seconds=90))
    row = running(["gone"])
    assert services.jobs_reclaim() == 1
    row.refresh_from_db()
    assert row.status == "READY" and row.worker_ids == ["gone"]
    assert not WorkerBeat.objects.filter(worker_id="gone").exists()


def test_the_job_of_a_beating_worker_is_left_running(settings):
    settings.XPENSER_JOBS_WORKER_TIMEOUT = 60
    services.worker_beat(worker_id="alive", host="h", pid=1)
    row = running(["alive"])
    assert services.jobs_reclaim() == 0
    row.refresh_from_db()
    assert row.status == "RUNNING"


def test_a_job_started_within_the_timeout_is_left_running(settings):
    settings.XPENSER_JOBS_WORKER_TIMEOUT = 60
    row = running(["never-beat"], started_seconds_ago=5)
    assert services.jobs_reclaim() == 0
    row.refresh_from_db()
    assert row.status == "RUNNING"


def test_a_job_that_lost_its_worker_too_often_is_a_dead_job(settings):
    settings.XPENSER_JOBS_MAX_CLAIMS = 3
    row = running(["w1", "w2", "w3"], job_attempt=2)  # its second attempt: it is listed as first enqueued
    DBTaskResult.objects.filter(pk=row.pk).update(queue_name="slow", backend_name="other", priority=-3)
    assert services.jobs_reclaim() == 0
    row.refresh_from_db()
    assert row.status == "FAILED" and row.exception_class_path == "jobs.WorkerLost"
    dead = DeadJob.objects.get()
    assert dead.attempts == 3 and "stopped during each of 3 attempts" in dead.error
    assert dead.kwargs == {"path": "/nowhere", "seconds": 0}
    assert (dead.queue_name, dead.backend, dead.priority) == ("slow", "other", -3)  # where and how it ran
