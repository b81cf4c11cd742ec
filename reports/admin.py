from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "owner", "status", "is_default", "created", "modified"]
    list_filter = ["status", "is_default"]
    search_fields = ["name", "owner__email"]
    raw_id_fields = ["owner"]
