"""Writes of the jobs app: dead jobs, worker heartbeats, and the reclaim of jobs whose worker died."""

import datetime as dt
import logging
import traceback as tb

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import DeadJob, WorkerBeat

logger = logging.getLogger("jobs")
# A retry marked this long ago without a task result never reached the queue (its process died in between).
RETRY_LOST_AFTER = dt.timedelta(minutes=5)


def first_attempt_kwargs(kwargs: dict) -> dict:
    """A job's keyword arguments as it was first enqueued: without jobs.retry's `job_attempt`."""
    return {name: value for name, value in kwargs.items() if name != "job_attempt"}


def dead_job_record(*, task_path: str, args: list, kwargs: dict, attempts: int, error: BaseException | str,
                    queue_name: str, backend: str, priority: int, result_id: str = "") -> DeadJob:
    """Put a job on the dead-letter list (it will not run again unless an administrator retries it), as its
    first attempt was enqueued (without jobs.retry's attempt number), on its queue, backend and priority."""
    if isinstance(error, BaseException):
        exception_class = f"{type(error).__module__}.{type(error).__qualname__}"
        message, trace = str(error) or exception_class, "".join(tb.format_exception(error))
    else:
        exception_class, message, trace = "", error, ""
    logger.error("job %s failed for good after %d attempt(s): %s", task_path, attempts, message)
    return DeadJob.objects.create(task_path=task_path, args=args, kwargs=first_attempt_kwargs(kwargs),
                                  attempts=attempts, exception_class=exception_class[:255], error=message,
                                  traceback=trace, result_id=result_id, queue_name=queue_name, backend=backend,
                                  priority=priority)


def dead_job_retry(*, dead_job: DeadJob) -> bool:
    """Enqueue a dead job again from its first attempt, at most once: True when this call marked it retried
    (it is enqueued once that commits), False when it was retried already (a second click, another admin).

    If the enqueue fails, the mark is taken back (the job can be retried again) and the error raised; once the
    queue takes it, its task result id is kept. A process that dies between the commit and the enqueue leaves
    the mark without a result: dead_jobs_allow_retry. Durable: the enqueue must follow this commit, not a
    caller's later one."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        claimed = (DeadJob.objects.filter(pk=dead_job.pk, retried_at__isnull=True)
                   .update(retried_at=now, retry_result_id=""))
        if claimed:
            transaction.on_commit(lambda: _enqueue_again(dead_job, now))
    if claimed:
        dead_job.retried_at = now
    return bool(claimed)


def dead_jobs_allow_retry(*, dead_jobs) -> tuple[int, int]:
    """Take back the retried mark of those of these dead jobs whose retry never reached the queue: marked more
    than RETRY_LOST_AFTER ago, without a retry result id. Returns (how many, how many marked were left so)."""
    marked = dead_jobs.filter(retried_at__isnull=False)
    lost = marked.filter(retried_at__lt=timezone.now() - RETRY_LOST_AFTER, retry_result_id="")
    allowed = lost.update(retried_at=None)
    return allowed, marked.count()


def _enqueue_again(dead_job: DeadJob, retried_at) -> None:
    try:
        task = import_string(dead_job.task_path).using(  # None: as the task declares
            queue_name=dead_job.queue_name or None, backend=dead_job.backend or None, priority=dead_job.priority)
        result = task.enqueue(*dead_job.args, **dead_job.kwargs)
    except Exception:
        DeadJob.objects.filter(pk=dead_job.pk, retried_at=retried_at).update(retried_at=None)
        raise
    result_id = str(result.id)[:64]
    try:
        recorded = DeadJob.objects.filter(pk=dead_job.pk, retried_at=retried_at).update(retry_result_id=result_id)
        if not recorded:  # the enqueue outlasted RETRY_LOST_AFTER and the mark was taken back meanwhile
            recorded = (DeadJob.objects.filter(pk=dead_job.pk, retried_at__isnull=True)
                        .update(retried_at=retried_at, retry_result_id=result_id))
    except DatabaseError:
        recorded = 0
    if not recorded:
        logger.warning("dead job %s (%s): enqueued again as %s, which it does not record", dead_job.pk,
                       dead_job.task_path, result_id)


def worker_beat(*, worker_id: str, host: str, pid: int) -> None:
    """The worker is alive now."""
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={"host": host[:255], "pid": pid,
                                                                       "seen": timezone.now()})


def worker_gone(*, worker_id: str) -> None:
    """The worker stopped cleanly (nothing of its own is running)."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def jobs_reclaim() -> int:
    """Jobs of the database queue still marked running by a worker that has not beaten for
    XPENSER_JOBS_WORKER_TIMEOUT seconds (killed, its machine lost) are made ready again, or, after
    XPENSER_JOBS_MAX_CLAIMS claims, failed and put on the dead-letter list. Returns how many were made ready.

    A worker without heartbeats (a plain `db_worker`) counts as gone once its job has run for the timeout."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.XPENSER_JOBS_WORKER_TIMEOUT)
    alive = set(WorkerBeat.objects.filter(seen__gte=cutoff).values_list("worker_id", flat=True))
    ready = 0
    stale = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    for result in stale.only("id", "worker_ids", "task_path", "args_kwargs", "queue_name", "backend_name",
                                 "priority"):
        if (result.worker_ids[-1] if result.worker_ids else "") not in alive:
            ready += _reclaim(result)
    WorkerBeat.objects.filter(seen__lt=cutoff).delete()
    return ready


def _reclaim(result: DBTaskResult) -> int:
    running = DBTaskResult.objects.running().filter(pk=result.pk)
    with transaction.atomic():
        if len(result.worker_ids) >= settings.XPENSER_JOBS_MAX_CLAIMS:
            message = f"its worker stopped during each of {len(result.worker_ids)} attempts"
            if running.update(status=TaskResultStatus.FAILED, finished_at=timezone.now(),
                              exception_class_path="jobs.WorkerLost", traceback=message):
                dead_job_record(task_path=result.task_path, args=result.args_kwargs["args"],
                                kwargs=result.args_kwargs["kwargs"], attempts=len(result.worker_ids),
                                error=message, result_id=str(result.pk), queue_name=result.queue_name,
                                backend=result.backend_name, priority=result.priority)
            return 0
        claimed = running.update(status=TaskResultStatus.READY)
    if claimed:
        logger.warning("job %s (%s): its worker %s stopped; it runs again", result.task_path, result.pk,
                       result.worker_ids[-1] if result.worker_ids else "?")
    return claimed
