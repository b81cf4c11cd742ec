"""The dead-letter list in the admin (filters by task and day; retry enqueues a job again, once) and the workers."""

from django.contrib import admin, messages

from . import services
from .models import DeadJob, WorkerBeat


@admin.register(DeadJob)
class DeadJobAdmin(admin.ModelAdmin):
    list_display = ("task_path", "attempts", "exception_class", "short_error", "died_at", "retried_at")
    list_filter = ("task_path", "exception_class", "died_at", ("retried_at", admin.EmptyFieldListFilter))
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
            except Exception as error:  # the queue refused it: it stays to retry, the others go on
                self.message_user(request, f"{dead_job.task_path} (dead job {dead_job.pk}) was not enqueued: "
                                           f"{error or type(error).__name__}", messages.ERROR)
        if retried.count(True):
            self.message_user(request, f"{retried.count(True)} job(s) enqueued again.", messages.SUCCESS)
        if retried.count(False):
            self.message_user(request, f"{retried.count(False)} job(s) were enqueued again already: "
                                       "not enqueued twice.", messages.WARNING)

    @admin.action(description="Allow the selected jobs to be enqueued again (their retry never reached the queue)")
    def allow_retry(self, request, queryset):
        count = services.dead_jobs_allow_retry(dead_jobs=queryset)
        self.message_user(request, f"{count} job(s) can be enqueued again.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "host", "pid", "started", "seen")
    readonly_fields = ("worker_id", "host", "pid", "started", "seen")

    def has_add_permission(self, request):
        return False
