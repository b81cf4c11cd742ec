"""The dead-letter list (jobs that used up their attempts) and the database queue's worker heartbeats."""

from django.db import models


class DeadJob(models.Model):
    """A job that failed on its last attempt (or gave up): what it was, and why it failed."""

    task_path = models.CharField(max_length=255, db_index=True)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    attempts = models.PositiveIntegerField()
    exception_class = models.CharField(max_length=255)
    error = models.TextField(help_text="The exception's message.")
    traceback = models.TextField(blank=True)
    result_id = models.CharField(max_length=64, blank=True, help_text="The last attempt's task result id.")
    # Where and how it ran (a task enqueued with `.using(...)`): its retry is enqueued so again. Blank or null
    # (dead jobs recorded before these were kept): as the task declares.
    queue_name = models.CharField(max_length=100, blank=True)
    backend = models.CharField(max_length=100, blank=True, help_text="The TASKS backend's alias.")
    priority = models.IntegerField(null=True, blank=True)
    died_at = models.DateTimeField(auto_now_add=True, db_index=True)
    retried_at = models.DateTimeField(null=True, blank=True, help_text="When an administrator enqueued it again.")
    retry_result_id = models.CharField(max_length=64, blank=True,
                                       help_text="The task result of that retry, once the queue took it.")

    class Meta:
        ordering = ["-died_at", "-id"]
        verbose_name = "dead job"

    def __str__(self):
        return f"{self.task_path} ({self.attempts} attempts): {self.error[:80]}"


class WorkerBeat(models.Model):
    """A running `jobs_worker`: `seen` moves every few seconds while it lives."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started = models.DateTimeField(auto_now_add=True)
    seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen"]

    def __str__(self):
        return f"{self.worker_id} ({self.host}:{self.pid})"
