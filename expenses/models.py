"""Expenses and tags."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from xpenser_server.models import ModifiedOnSave


class Tag(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=100)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(Lower("name"), "owner", name="unique_tag_name_per_owner")]

    def __str__(self):
        return self.name


def receipt_upload_to(instance, filename):
    # Receipts are served without credentials at an unguessable path (an old client relies on it).
    return f"Receipts/{secrets.token_urlsafe(24)}/{filename[-100:]}"


class Expense(ModifiedOnSave, models.Model):
    LIVE = 1
    DELETED = -1
    STATUS_CHOICES = [(LIVE, "live"), (DELETED, "deleted")]

    # No index of its own: the (owner, ...) indexes below serve lookups by owner alone too, and each index
    # is one more B-tree to update on every insert.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expenses", db_index=False
    )
    report = models.ForeignKey("reports.Report", on_delete=models.PROTECT, related_name="expenses")
    type = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    rawamount = models.DecimalField(max_digits=12, decimal_places=2)
    notes = models.TextField(blank=True, default="")
    date = models.DateTimeField(default=timezone.now)
    status = models.SmallIntegerField(choices=STATUS_CHOICES, default=LIVE)
    sourceid = models.CharField(max_length=100, blank=True, default="")
    category = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001 (legacy JSON has null)
    receipt = models.FileField(upload_to=receipt_upload_to, max_length=200, blank=True, default="")
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(default=timezone.now)
    tags = models.ManyToManyField(Tag, related_name="expenses", blank=True)

    class Meta:
        ordering = ["-date", "id"]
        indexes = [
            models.Index(fields=["owner", "report"], name="expense_owner_report"),
            models.Index(fields=["owner", "modified"], name="expense_owner_modified"),
            models.Index(fields=["owner", "date"], name="expense_owner_date"),
        ]

    def __str__(self):
        return f"{self.type} {self.amount}"
