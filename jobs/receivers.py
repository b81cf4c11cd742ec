"""Redis queue: RQ moves the job of a worker that died (killed, its machine lost) to its failed jobs once the
worker's heartbeat expires, and django-tasks reports it failed with no error of the job's own. A job() task
lost so is enqueued again here like any failed attempt (the database queue does it in jobs_worker)."""

from django.dispatch import receiver
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from .retry import RETRIED, attempt_failed

ABANDONED = "rq.exceptions.AbandonedJobError"


class WorkerLost(Exception):  # noqa: N818 - what happened
    """The worker running the job stopped before the job ended."""


@receiver(task_finished, dispatch_uid="jobs.requeue_abandoned")
def requeue_abandoned(sender, task_result, **kwargs) -> None:
    if not sender.__module__.startswith("django_tasks_rq") or task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path not in RETRIED:
        return
    if task_result.errors and task_result.errors[-1].exception_class_path != ABANDONED:
        return  # the job raised: its own attempt enqueued the next one
    attempt_failed(task_result, WorkerLost("the worker stopped before the job ended"),
                   int(task_result.kwargs.get("job_attempt", 1)))
