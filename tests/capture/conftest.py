"""Email in: a mail domain, tasks run inline (the reply lands in mail.outbox), and messages to send."""

import io
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from PIL import Image

from capture.services import capture_address_get_or_create

DOMAIN = "in.xpenser.test"


@pytest.fixture(autouse=True)
def _email_in(settings):
    settings.XPENSER_MAIL_DOMAIN = DOMAIN
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def make_message(to, subject="", body="", files=(), sender="jack@example.com", message_id=None) -> EmailMessage:
    """A message as a mail client writes it; `files`: (name, bytes, maintype, subtype)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.com")
    message["Date"] = "Tue, 01 Dec 2026 12:00:00 +0000"
    message.set_content(body)
    for name, data, maintype, subtype in files:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


@pytest.fixture
def address(user):
    return capture_address_get_or_create(user=user)
