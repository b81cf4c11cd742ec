"""Redis queue: a job() task whose worker died (RQ's AbandonedJobError) is enqueued again, as a failed
attempt; a job that raised is left to its own retry."""

import dataclasses

import pytest
from django_tasks import TaskResultStatus
from django_tasks.base import TaskError
from django_tasks_db.models import DBTaskResult

from jobs.models import DeadJob
from jobs.receivers import requeue_abandoned
from tests.jobs import tasks

pytestmark = pytest.mark.django_db


class RQBackend:  # what django-tasks-rq's backend class looks like to the receiver
    pass


RQBackend.__module__ = "django_tasks_rq.backend"


def failed(result, errors):
    return dataclasses.replace(result, status=TaskResultStatus.FAILED, errors=errors)


def test_a_job_lost_with_its_worker_is_enqueued_again():
    result = tasks.flaky.enqueue(fail_times=0, key="lost")
    requeue_abandoned(RQBackend, task_result=failed(result, []))
    again = DBTaskResult.objects.exclude(pk=result.id).get()
    assert again.args_kwargs["kwargs"] == {"fail_times": 0, "key": "lost", "job_attempt": 2}


def test_a_job_lost_on_its_last_attempt_is_a_dead_job():
    result = tasks.broken.enqueue(reason="x", job_attempt=2)
    abandoned = TaskError(exception_class_path="rq.exceptions.AbandonedJobError", traceback="")
    requeue_abandoned(RQBackend, task_result=failed(result, [abandoned]))
    assert DBTaskResult.objects.count() == 1
    assert DeadJob.objects.get().error == "the worker stopped before the job ended"


def test_a_job_that_raised_is_not_enqueued_twice():
    result = tasks.flaky.enqueue(fail_times=0, key="raised")
    error = TaskError(exception_class_path="builtins.ValueError", traceback="ValueError")
    requeue_abandoned(RQBackend, task_result=failed(result, [error]))
    requeue_abandoned(DBTaskResult, task_result=failed(result, []))  # the database queue: never here
    assert DBTaskResult.objects.count() == 1
