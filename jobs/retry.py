"""`@job(...)`: a django-tasks task that is tried again after a failure, later each time, and recorded as a
dead job when it has used up its attempts.

    @job(max_attempts=8, backoff=60)
    def webhook_deliver(*, delivery_id): ...

    webhook_deliver.enqueue(delivery_id=1)

An exception other than `GiveUp` enqueues the next attempt with `run_after` = now + backoff x 2^(attempt - 1)
(at most MAX_BACKOFF_SECONDS), and the failed attempt's task result keeps its traceback. The attempt number
travels in the keyword `job_attempt` (the function never sees it). Defaults: XPENSER_JOBS_MAX_ATTEMPTS,
XPENSER_JOBS_BACKOFF_SECONDS.
"""

import datetime as dt
import functools
import threading
from collections import OrderedDict

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import services

MAX_BACKOFF_SECONDS = 6 * 3600
# module path -> (max_attempts, backoff) of every task made by job()
RETRIED: dict[str, tuple[int | str | None, float | None]] = {}
# Ids of attempts that raised in this process and enqueued their next attempt (or were recorded dead) until
# the backend's `task_finished` for them, sent in the same process right after, takes them (failure_handled).
# At most HANDLED_MAX, the oldest dropped first: an id whose task_finished never comes (a backend or
# worker that does not send it) does not stay for the life of a long-running worker.
HANDLED_MAX = 1000
_HANDLED: OrderedDict[str, None] = OrderedDict()
_HANDLED_LOCK = threading.Lock()


class GiveUp(Exception):  # noqa: N818 - it names what the job does
    """Raised by a job whose next attempt cannot do better (the data is gone, the target refuses for good)."""


def backoff_seconds(attempt: int, base: float | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt` (1 for the first)."""
    base = settings.XPENSER_JOBS_BACKOFF_SECONDS if base is None else base
    return min(base * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)


def job(function=None, *, max_attempts: int | str | None = None, backoff: float | None = None, **task_options):
    """Decorate a module-level function into a retried task; `max_attempts` is a number or the name of a
    setting (read at each failure); `task_options` are django-tasks' `task()` options (priority, queue_name,
    backend)."""

    def decorate(func):
        @functools.wraps(func)
        def attempt(context, *args, job_attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception as error:
                attempt_failed(context.task_result, error, job_attempt)
                _note_handled(context.task_result.id)
                raise

        del attempt.__wrapped__  # django-tasks reads the signature: `context` comes first
        made = task(takes_context=True, **task_options)(attempt)
        RETRIED[made.module_path] = (max_attempts, backoff)
        return made

    return decorate(function) if function is not None else decorate


def _note_handled(result_id) -> None:
    with _HANDLED_LOCK:
        _HANDLED[str(result_id)] = None
        while len(_HANDLED) > HANDLED_MAX:
            _HANDLED.popitem(last=False)


def failure_handled(result_id) -> bool:
    """True once for an attempt whose failure its own run handled (jobs.receivers skips it then)."""
    with _HANDLED_LOCK:
        if str(result_id) not in _HANDLED:
            return False
        del _HANDLED[str(result_id)]
    return True


def attempt_failed(result, error: BaseException, number: int) -> None:
    """After attempt `number` of a job() task failed: enqueue the next one, or record a dead job."""
    max_attempts, backoff = RETRIED[result.task.module_path]
    if isinstance(max_attempts, str):
        max_attempts = getattr(settings, max_attempts)
    limit = settings.XPENSER_JOBS_MAX_ATTEMPTS if max_attempts is None else max_attempts
    args, kwargs = list(result.args), services.first_attempt_kwargs(result.kwargs)
    if isinstance(error, GiveUp) or number >= limit:
        services.dead_job_record(task_path=result.task.module_path, args=args, kwargs=kwargs,
                                 attempts=number, error=error, result_id=str(result.id),
                                 queue_name=result.task.queue_name, backend=result.task.backend,
                                 priority=result.task.priority)
        return
    run_after = timezone.now() + dt.timedelta(seconds=backoff_seconds(number, backoff))
    result.task.using(run_after=run_after).enqueue(*args, job_attempt=number + 1, **kwargs)
