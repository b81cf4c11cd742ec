"""A user's webhooks and the log of their deliveries."""

import json
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from xpenser_server.models import OwnedQuerySet

EVENTS = ("expense.created", "expense.updated", "expense.deleted")
PING = "ping"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookQuerySet(OwnedQuerySet):
    def receiving(self, *, user):
        """The active hooks that receive `user`'s events: the user's own, and administrators' hooks for every
        user's events (`all_users`, set in the admin). Which events each takes is in `events`."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner=user) | Q(all_users=True, owner__is_staff=True), active=True)


class Webhook(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100, default=new_secret, help_text="Signs every delivery (HMAC-SHA256).")
    events = models.JSONField(default=list, help_text=f"Any of {', '.join(EVENTS)}.")
    active = models.BooleanField(default=True)
    all_users = models.BooleanField(default=False, help_text="An administrator's hook that receives every "
                                    "user's events (only staff owners; set here in the admin).")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.url


class Delivery(models.Model):
    PENDING, DELIVERED, RETRYING, FAILED = "pending", "delivered", "retrying", "failed"
    STATUSES = [(PENDING, "pending"), (DELIVERED, "delivered"), (RETRYING, "failed, will retry"),
                (FAILED, "failed for good")]

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                              help_text="The hook's owner.")
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(help_text="The event's `id` (the same in every delivery of the event).")
    event = models.CharField(max_length=40)
    expense_id = models.BigIntegerField(null=True, blank=True)
    body = models.TextField(help_text="The JSON sent, byte for byte (signed with each attempt's timestamp).")
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True, help_text="The last attempt's HTTP status.")
    error = models.TextField(blank=True, help_text="Why the last attempt failed.")
    response_body = models.TextField(blank=True, help_text="The start of the last answer.")
    created = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["webhook", "-id"])]

    def __str__(self):
        return f"{self.event} to {self.webhook_id}: {self.status}"

    @property
    def payload_json(self):
        return json.loads(self.body)
