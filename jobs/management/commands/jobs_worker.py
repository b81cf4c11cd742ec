"""`manage.py jobs_worker`: the database queue's worker. django-tasks-db's `db_worker` (same options), which
also beats every XPENSER_JOBS_HEARTBEAT_SECONDS and makes ready again the jobs of workers that stopped
beating (jobs.services.jobs_reclaim), so a job whose worker was killed runs again."""

import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from jobs import services


class Command(DatabaseWorkerCommand):
    help = "Run the database queue's worker, with heartbeats and the reclaim of jobs whose worker died"

    def handle(self, *args, worker_id: str, **options) -> None:
        stop = threading.Event()
        beating = threading.Thread(target=self.beat, args=(worker_id, stop), name="jobs-heartbeat", daemon=True)
        self.beat_once(worker_id)
        beating.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            stop.set()
            beating.join(timeout=5)
            services.worker_gone(worker_id=worker_id)

    def beat_once(self, worker_id: str) -> None:
        services.worker_beat(worker_id=worker_id, host=socket.gethostname(), pid=os.getpid())
        services.jobs_reclaim()

    def beat(self, worker_id: str, stop: threading.Event) -> None:
        while not stop.wait(settings.XPENSER_JOBS_HEARTBEAT_SECONDS):
            try:
                close_old_connections()
                self.beat_once(worker_id)
            except Exception:  # a busy or unreachable database: beat again next time
                services.logger.exception("jobs_worker %s could not beat", worker_id)
        connection.close()
