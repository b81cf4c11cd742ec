"""Receipt files of expenses, several per expense."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from xpenser_server.models import OwnedQuerySet

from .expenses import Expense, receipt_upload_to


class Receipt(models.Model):
    """One receipt file of an expense (an image or a PDF, checked when stored) and its thumbnail.

    An expense's first receipt is also its `Expense.receipt` (the legacy families show that one, at its
    unguessable public URL).
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    expense = models.ForeignKey(Expense, on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(upload_to=receipt_upload_to, max_length=200)
    thumbnail = models.FileField(max_length=200, blank=True, default="")
    kind = models.CharField(max_length=10, help_text="The format found in the content: JPEG, PNG, WebP, HEIC, PDF.")
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    name = models.CharField(max_length=200, blank=True, default="", help_text="The uploaded file's name.")
    position = models.PositiveIntegerField(default=0, help_text="Order among the expense's receipts.")
    created = models.DateTimeField(default=timezone.now, editable=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.file.name


class ReceiptReading(models.Model):
    """What receipt reading (OCR) found on one receipt: its total, currency, date and merchant, and the text.

    `pending` until the job has run; `unreadable` (with the `error`) when no text or no total came out: the
    receipt itself is kept either way.
    """

    PENDING = "pending"
    READ = "read"
    UNREADABLE = "unreadable"
    STATUS_CHOICES = [(PENDING, "pending"), (READ, "read"), (UNREADABLE, "unreadable")]

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    receipt = models.OneToOneField(Receipt, on_delete=models.CASCADE, related_name="reading")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING)
    total = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    date = models.DateField(null=True, blank=True)
    merchant = models.CharField(max_length=200, blank=True, default="")
    text = models.TextField(blank=True, default="")
    error = models.CharField(max_length=500, blank=True, default="")
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    def __str__(self):
        return f"reading of receipt {self.receipt_id}: {self.status}"
