"""Redis queue: a job() task whose attempt ended without an error of its own (its worker died: RQ's
AbandonedJobError, or its work horse was killed) is enqueued again, as a failed attempt; the signal of other
backends, and of a job that raised (its own attempt enqueued the next one), enqueues nothing.

The next attempts go to the database queue here, so that they can be counted; tests/jobs/test_rq_queue.py runs
the same on RQ for real."""

import dataclasses

import pytest
from django_tasks import TaskResultStatus
from django_tasks.base import TaskError
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from django_tasks_rq import RQBackend

from jobs.models import DeadJob
from jobs.receivers import requeue_abandoned
from jobs.rq_worker import horse_killed
from tests.jobs import tasks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]
ABANDONED = TaskError(exception_class_path="rq.exceptions.AbandonedJobError", traceback="")


def failed(result, errors=()):
    return dataclasses.replace(result, status=TaskResultStatus.FAILED, errors=list(errors))


def test_a_job_lost_with_its_worker_is_enqueued_again():
    result = tasks.flaky.enqueue(fail_times=0, key="lost")
    requeue_abandoned(RQBackend, task_result=failed(result))
    again = DBTaskResult.objects.exclude(pk=result.id).get()
    assert again.args_kwargs["kwargs"] == {"fail_times": 0, "key": "lost", "job_attempt": 2}
    assert again.run_after is not None


def test_a_job_lost_on_its_last_attempt_is_a_dead_job():
    result = tasks.broken.enqueue(reason="x", job_attempt=2)
    requeue_abandoned(RQBackend, task_result=failed(result, [ABANDONED]))
    assert DBTaskResult.objects.count() == 1
    dead = DeadJob.objects.get()
    assert (dead.error, dead.exception_class) == ("the worker stopped before the job ended",
                                                  "jobs.receivers.WorkerLost")


def test_a_job_whose_work_horse_was_killed_is_enqueued_again():
    result = tasks.flaky.enqueue(fail_times=0, key="horse")
    job = type("RQJob", (), {"task_result": result})()
    horse_killed(job, 1234, 9, None)
    again = DBTaskResult.objects.exclude(pk=result.id).get()
    assert again.args_kwargs["kwargs"]["job_attempt"] == 2


def test_other_backends_and_other_outcomes_enqueue_nothing():
    result = tasks.flaky.enqueue(fail_times=0, key="raised")
    requeue_abandoned(DatabaseBackend, task_result=failed(result))  # the database queue: jobs_worker's part
    requeue_abandoned(RQBackend, task_result=dataclasses.replace(result, status=TaskResultStatus.SUCCESSFUL))
    assert DBTaskResult.objects.count() == 1
    assert not DeadJob.objects.exists()
