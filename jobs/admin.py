"""The dead-letter list in the admin (filters by task, error, queue, backend and day; retry enqueues a job
again, once; a retry lost before the queue can be allowed again) and the workers."""

import logging

from django.contrib import admin, messages

from . import services
from .models import DeadJob, WorkerBeat

logger = logging.getLogger("jobs")
ALLOW_RETRY = "Allow the selected jobs to be enqueued again (their retry never reached the queue)"


@admin.register(DeadJob)
class DeadJobAdmin(admin.ModelAdmin):
    list_display = ("task_path", "attempts", "exception_class", "short_error", "died_at", "retried_at")
    list_filter = ("task_path", "exception_class", "queue_name", "backend", "died_at",
                   ("retried_at", admin.EmptyFieldListFilter))
    search_fields = ("task_path", "error")
    date_hierarchy = "died_at"
    readonly_fields = [field.name for field in DeadJob._meta.fields]
    actions = ["retry", "allow_retry"]

    @admin.display(description="error")
    def short_error(self, dead_job):
        return dead_job.error[:120]

    @admin.action(description="Enqueue the selected jobs again")
    def retry(self, request, queryset):
        retried = []
        for dead_job in queryset:
            try:
                retried.append(services.dead_job_retry(dead_job=dead_job))
            except Exception as error:  # the queue refused it: the others go on, the log keeps the traceback
                logger.exception("dead job %s (%s): the retry was not enqueued", dead_job.pk, dead_job.task_path)
                self.message_user(request, self._not_enqueued(dead_job, error), messages.ERROR)
        if retried.count(True):
            self.message_user(request, f"{retried.count(True)} job(s) enqueued again.", messages.SUCCESS)
        if retried.count(False):
            self.message_user(request, f"{retried.count(False)} job(s) were enqueued again already: "
                                       "not enqueued twice.", messages.WARNING)

    @staticmethod
    def _not_enqueued(dead_job, error) -> str:
        cause = f"{type(error).__name__}: {error}"
        where = f"queue {dead_job.queue_name or 'as declared'}, backend {dead_job.backend or 'as declared'}"
        # Worded to start with a capital: the admin shows messages with `capfirst`, which would change a task path.
        return (f"Dead job {dead_job.pk} ({dead_job.task_path}; {where}) was not enqueued ({cause}); "
                "it can be retried once that is fixed.")

    @admin.action(description=ALLOW_RETRY)
    def allow_retry(self, request, queryset):
        allowed, kept = services.dead_jobs_allow_retry(dead_jobs=queryset)
        if allowed:
            self.message_user(request, f"{allowed} job(s) can be enqueued again.", messages.SUCCESS)
        if kept:
            minutes = int(services.RETRY_LOST_AFTER.total_seconds() // 60)
            self.message_user(request, f"{kept} job(s) left marked retried: the queue took their retry (see its "
                                       f"retry result id), or it is less than {minutes} minutes old.", messages.WARNING)

    def has_add_permission(self, request):
        return False


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "host", "pid", "started", "seen")
    readonly_fields = ("worker_id", "host", "pid", "started", "seen")

    def has_add_permission(self, request):
        return False
