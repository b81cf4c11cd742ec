"""Redis queue: a job() task whose attempt ended without the job's own error (its worker or work horse died) is
enqueued again like any failed attempt; the database queue does the same in jobs_worker (jobs.services).

RQ reports such a job through django-tasks' `task_finished` signal, FAILED (the maintenance of a worker finding
it abandoned: rq.exceptions.AbandonedJobError), or through jobs.rq_worker's work_horse_killed_handler. A job
that raised also ends in `task_finished`, FAILED, but its own attempt (jobs.retry) has already enqueued the
next one: jobs.retry notes that, in the process where both happen, and this receiver skips it."""

from django.dispatch import receiver
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_rq import RQBackend

from .retry import RETRIED, attempt_failed, failure_handled


class WorkerLost(Exception):  # noqa: N818 - what happened
    """The worker running the job stopped before the job ended."""


@receiver(task_finished, dispatch_uid="jobs.requeue_abandoned")
def requeue_abandoned(sender, task_result, **kwargs) -> None:
    if failure_handled(task_result.id):
        return  # the job raised: its own attempt enqueued the next one
    if task_result.status != TaskResultStatus.FAILED or not issubclass(sender, RQBackend):
        return
    job_lost(task_result, "the worker stopped before the job ended")


def job_lost(task_result, why: str) -> None:
    """The attempt `task_result` of a job() task ended without an error of its own: enqueue the next attempt,
    or record a dead job after the last one. Other tasks are left to RQ (its failed job registry)."""
    if task_result.task.module_path not in RETRIED:
        return
    attempt_failed(task_result, WorkerLost(why), int(task_result.kwargs.get("job_attempt", 1)))
