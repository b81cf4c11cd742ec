"""Each user's private address for email in, and the messages already recorded (so none is recorded twice)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from xpenser_server.models import OwnedQuerySet

# 16 random bytes in lowercase base32-like letters and digits: unguessable, and safe in any mail system
# (local parts are compared case-insensitively by many relays).
SECRET_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
SECRET_LENGTH = 26


def new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


class CaptureAddressQuerySet(OwnedQuerySet):
    def with_secret(self, secret: str):
        """The address whose local part is `secret`: the secret is the credential of email in, so this is the
        one lookup not scoped to a user."""
        return self.filter(secret=secret.lower())


class CaptureAddress(models.Model):
    """`<secret>@<XPENSER_MAIL_DOMAIN>`: mail to it records expenses for its owner. One per user; replacing it
    gives a new secret and the old one is refused from then on."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    secret = models.CharField(max_length=64, unique=True, default=new_secret)
    created = models.DateTimeField(default=timezone.now)

    objects = CaptureAddressQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "capture addresses"

    def __str__(self):
        return self.address

    @property
    def address(self) -> str:
        domain = settings.XPENSER_MAIL_DOMAIN
        return f"{self.secret}@{domain}" if domain else self.secret


class CapturedMessage(models.Model):
    """A message recorded for its owner, by its Message-ID (or a digest of the message when it has none):
    the unique pair makes a redelivered message record nothing."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=255)
    via = models.CharField(max_length=20)  # smtp, imap, or the hosted service's name
    subject = models.CharField(max_length=255, blank=True, default="")
    expenses = models.PositiveIntegerField(default=0)
    receipts = models.PositiveIntegerField(default=0)
    problems = models.TextField(blank=True, default="")
    received = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-received", "-id"]
        constraints = [models.UniqueConstraint("owner", "message_id", name="captured_message_once_per_owner")]

    def __str__(self):
        return f"{self.message_id} ({self.via})"
