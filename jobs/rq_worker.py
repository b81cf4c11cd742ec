"""The Redis queue's worker (`manage.py rqworker`, settings.RQ["WORKER_CLASS"]): RQ's forking worker whose job
heartbeat and maintenance follow the jobs settings, and which enqueues again a job whose work horse died.

A job of a dead worker is never lost:
- the work horse (the forked process running the job) is killed, by the OOM killer say, while its worker lives:
  RQ calls `work_horse_killed_handler` (no failure callback runs), here `horse_killed`;
- the whole worker dies (SIGKILL, its machine lost): the job's heartbeat stops, and once it is older than
  XPENSER_JOBS_HEARTBEAT_SECONDS + 60 s (RQ's margin) the maintenance of any worker (every
  XPENSER_JOBS_WORKER_TIMEOUT seconds) finds it abandoned and runs its failure callback: jobs.receivers.
Either way jobs.receivers.job_lost counts it as a failed attempt of a job() task: the next attempt is enqueued
with backoff, or, after the last one, a dead job is recorded.
"""

import logging

from django.conf import settings
from rq.worker import Worker as ForkingWorker

from .receivers import job_lost

logger = logging.getLogger(__name__)


class Worker(ForkingWorker):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("job_monitoring_interval", max(1, round(settings.XPENSER_JOBS_HEARTBEAT_SECONDS)))
        kwargs.setdefault("maintenance_interval", max(1, round(settings.XPENSER_JOBS_WORKER_TIMEOUT)))
        kwargs.setdefault("work_horse_killed_handler", horse_killed)
        super().__init__(*args, **kwargs)
        problem = eviction_problem(self.connection)
        if problem:
            logger.warning(problem)

    @property
    def dequeue_timeout(self) -> int:
        """An idle worker waits for a job at most until its next maintenance (RQ runs it between waits, which
        last worker_ttl - 15 s otherwise: about 7 minutes with rqworker's default)."""
        return max(1, min(super().dequeue_timeout, self.maintenance_interval))


def eviction_problem(connection) -> str | None:
    """Why this Redis may drop queued jobs (it evicts keys when full), or None. Redis's default is not to evict;
    a Redis set up as a cache often does. Unknown (CONFIG refused, as some hosted Redis do): None."""
    try:
        config = connection.config_get("maxmemory*")
    except Exception:
        return None
    policy, limit = config.get("maxmemory-policy", "noeviction"), int(config.get("maxmemory") or 0)
    if limit and policy != "noeviction":
        return (f"the job queue's Redis evicts keys when full (maxmemory-policy {policy}, maxmemory {limit}): "
                "queued jobs can be lost; set maxmemory-policy noeviction, or use a Redis of its own for the queue "
                "(docs/deploy.md, \"Background tasks\")")
    return None


def horse_killed(job, retpid, ret_val, rusage) -> None:
    """RQ's work_horse_killed_handler: the process running `job` ended without finishing it. Runs in the worker
    itself: a failure to record the loss (the database away) is logged, and RQ's own handling of the failed job
    goes on."""
    try:
        job_lost(job.task_result, f"the process running the job ended unexpectedly (waitpid status {ret_val})")
    except Exception:
        logger.exception("could not record the loss of job %s", job.id)
