"""Webhooks in the admin: any user's hooks, and administrators' hooks that receive every user's events
(`all_users`, only for staff owners); the delivery log with filters."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from xpenser_server.errors import InvalidInput

from . import services
from .models import Delivery, Webhook


class WebhookForm(forms.ModelForm):
    class Meta:
        model = Webhook
        fields = ("owner", "url", "description", "events", "active", "all_users", "secret")

    def clean(self):
        data = super().clean()
        try:
            if "url" in data:
                data["url"] = services.clean_url(data["url"])
            if "events" in data:
                data["events"] = services.clean_events(data["events"])
        except InvalidInput as problem:
            raise ValidationError(problem.message) from None
        owner = data.get("owner")
        if data.get("all_users") and owner is not None and not owner.is_staff:
            raise ValidationError("Only an administrator's (staff) webhook may receive every user's events.")
        return data


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ("url", "owner", "all_users", "active", "events", "created")
    list_filter = ("active", "all_users", "created")
    search_fields = ("url", "description", "owner__email")
    raw_id_fields = ("owner",)
    readonly_fields = ("created", "modified")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "event", "webhook", "status", "attempts", "status_code", "created", "delivered_at")
    list_filter = ("status", "event", "created")
    search_fields = ("webhook__url", "error", "event_id")
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
