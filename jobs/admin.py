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
    actions = ["retry"]

    @admin.display(description="error")
    def short_error(self, dead_job):
        return dead_job.error[:120]

    @admin.action(description="Enqueue the selected jobs again")
    def retry(self, request, queryset):
        retried = [services.dead_job_retry(dead_job=dead_job) for dead_job in queryset]
        if retried.count(True):
            self.message_user(request, f"{retried.count(True)} job(s) enqueued again.", messages.SUCCESS)
        if retried.count(False):
            self.message_user(request, f"{retried.count(False)} job(s) were enqueued again already: "
                                       "not enqueued twice.", messages.WARNING)

    def has_add_permission(self, request):
        return False


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "host", "pid", "started", "seen")
    readonly_fields = ("worker_id", "host", "pid", "started", "seen")

    def has_add_permission(self, request):
        return False
