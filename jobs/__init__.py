"""Background jobs on Django's Tasks API: retries with backoff, a dead-letter list, and (database queue)
workers that beat so a job whose worker died runs again.

- `jobs.retry.job(...)`: like django-tasks' `@task()`, with retries.
- `jobs.retry.GiveUp`: raised by a job, it fails at once (no retry) and lands in the dead-letter list.
- `manage.py jobs_worker`: the database queue's worker (django-tasks-db's `db_worker` plus heartbeats and
  the reclaim of jobs whose worker stopped beating).
- `jobs.rq_worker.Worker`: the Redis queue's worker class (`manage.py rqworker`), which with jobs.receivers
  enqueues again the jobs of a worker or work horse that died.
"""
