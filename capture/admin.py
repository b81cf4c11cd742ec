from django.contrib import admin

from .models import CaptureAddress, CapturedMessage


@admin.register(CaptureAddress)
class CaptureAddressAdmin(admin.ModelAdmin):
    list_display = ("owner", "secret", "created")
    search_fields = ("owner__email",)
    readonly_fields = ("secret", "created")


@admin.register(CapturedMessage)
class CapturedMessageAdmin(admin.ModelAdmin):
    list_display = ("received", "owner", "via", "subject", "expenses", "receipts")
    list_filter = ("via",)
    search_fields = ("owner__email", "message_id", "subject")
    readonly_fields = [f.name for f in CapturedMessage._meta.fields]
