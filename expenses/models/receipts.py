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
