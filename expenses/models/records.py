"""Records of what a user's requests did: base-currency changes, and answers kept for Idempotency-Key retries."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from xpenser_server.models import OwnedQuerySet


class CurrencyChange(models.Model):
    """A change of the user's base currency and what it did to the history: converted every amount at its own
    date's rate (`convert`, in the background for large histories) or left them labelled (`keep`)."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUS_CHOICES = [(QUEUED, "queued"), (RUNNING, "running"), (DONE, "done"), (FAILED, "failed")]
    CONVERT, KEEP = "convert", "keep"
    HISTORY_CHOICES = [(CONVERT, "convert every amount at its date's rate"), (KEEP, "keep amounts as they are")]

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    from_currency = models.CharField(max_length=3)
    to_currency = models.CharField(max_length=3)
    history = models.CharField(max_length=8, choices=HISTORY_CHOICES)
    status = models.CharField(max_length=8, choices=STATUS_CHOICES, default=QUEUED)
    total = models.PositiveIntegerField(default=0, help_text="Expenses to convert.")
    done = models.PositiveIntegerField(default=0, help_text="Expenses looked at so far.")
    kept = models.PositiveIntegerField(default=0, help_text="Expenses left in their currency: no rate for their date.")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True, help_text="Its last progress.")
    finished = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.from_currency} to {self.to_currency} ({self.history}, {self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.QUEUED, self.RUNNING)

    @property
    def converted(self) -> int:
        """Expenses converted so far (`done` counts the `kept` ones too)."""
        return self.done - self.kept

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)


class IdempotencyRecord(models.Model):
    """The answer given to a POST sent with an `Idempotency-Key`, replayed for retries with the same key."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                              db_index=False)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    headers = models.JSONField(default=dict)
    created = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="unique_idempotency_key_per_owner")]
        indexes = [models.Index(fields=["owner", "created"], name="idempotency_owner_created")]

    def __str__(self):
        return f"{self.key} of user {self.owner_id}"
