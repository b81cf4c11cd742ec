from django.contrib import admin

from .models import Expense, ReceiptReading, Tag


@admin.register(Expense)
class ExpenseAdmin(admin.ModelAdmin):
    list_display = ["id", "owner", "type", "amount", "date", "report", "status", "review", "modified"]
    list_filter = ["status", "review"]
    search_fields = ["type", "notes", "owner__email"]
    raw_id_fields = ["owner", "report", "tags"]
    date_hierarchy = "date"


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "owner"]
    search_fields = ["name", "owner__email"]
    raw_id_fields = ["owner"]


@admin.register(ReceiptReading)
class ReceiptReadingAdmin(admin.ModelAdmin):
    """Receipt reading results; unreadable ones are listed with the reason (the receipts are kept)."""

    list_display = ["id", "owner", "receipt", "status", "total", "currency", "date", "merchant", "updated"]
    list_filter = ["status"]
    search_fields = ["merchant", "text", "owner__email"]
    raw_id_fields = ["owner", "receipt"]
    readonly_fields = ["created", "updated"]
