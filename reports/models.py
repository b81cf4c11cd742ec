"""Reports (folders) that expenses are filed in."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from xpenser_server.models import ModifiedOnSave, OwnedQuerySet


class ReportQuerySet(OwnedQuerySet):
    def default(self):
        """The default report among these (each user has exactly one)."""
        return self.filter(is_default=True)


class Report(ModifiedOnSave, models.Model):
    class Status(models.TextChoices):
        UNSUBMITTED = "U", "Unsubmitted"
        SUBMITTED = "S", "Submitted"
        APPROVED = "A", "Approved"
        REJECTED = "R", "Rejected"
        PAID = "P", "Paid"
        CLOSED = "C", "Closed"

    # No reverse accessor on the user (`related_name="+"`): reads start from Report.objects.owned_by(user).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=1, choices=Status.choices, default=Status.UNSUBMITTED)
    is_default = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(default=timezone.now)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["owner", "status"], name="report_owner_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=models.Q(is_default=True), name="one_default_report_per_owner"
            )
        ]

    def __str__(self):
        return self.name
