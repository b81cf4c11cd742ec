from django.contrib import admin

from .models import Expense, Tag


@admin.register(Expense)
class ExpenseAdmin(admin.ModelAdmin):
    list_display = ["id", "owner", "type", "amount", "date", "report", "status", "modified"]
    list_filter = ["status"]
    search_fields = ["type", "notes", "owner__email"]
    raw_id_fields = ["owner", "report", "tags"]
    date_hierarchy = "date"


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "owner"]
    search_fields = ["name", "owner__email"]
    raw_id_fields = ["owner"]
