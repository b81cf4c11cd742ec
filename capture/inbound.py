"""Inbound mail from hosted services (Mailgun, Postmark, SendGrid, SES, ...) through django-anymail's signed
webhooks: anymail checks the request (HTTP basic auth with ANYMAIL's WEBHOOK_SECRET, plus the service's own
signature where it has one) and sends `anymail.signals.inbound`, received here.

A service's URL answers only once it is set up (the shared secret and the service's settings), so no
endpoint ever takes unauthenticated mail: otherwise it is a 404. A message over XPENSER_MAIL_MAX_BYTES records
nothing: a request body over twice that (room for the service's base64 or JSON) is a 413 before it is read, a
smaller one with a message over the limit is logged and acknowledged (so the service does not send it again).
Form fields (a whole message sent as `body-mime`, say) are held in memory up to Django's
DATA_UPLOAD_MAX_MEMORY_SIZE; a request over that is a 413 too (attachments sent as files are not counted).
"""

import functools
import logging
from email.encoders import encode_base64

from anymail import urls as anymail_urls
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from xpenser_server.api import declared_length

from .services import mail_max_bytes, mail_receive

logger = logging.getLogger(__name__)


def _recipients(message) -> list[str]:
    if message.envelope_recipient:
        return [message.envelope_recipient]
    return [address.addr_spec for address in (*message.to, *message.cc)]


class RecordingFailed(Exception):
    """A message anymail read could not be recorded (the database, say): a 500, so the service sends it again.
    Any other error inside anymail's view is its reading of a malformed payload: a 400."""


# What anymail's parsers raise on a payload that is not what the service sends (JSON that is not an object,
# bad base64, a missing form field).
_MALFORMED = (ValueError, TypeError, KeyError, AttributeError, IndexError)


def _binary_parts_encoded(message) -> None:
    """Give base64 to the attachments anymail built from a service's fields (Postmark's JSON, Mailgun's files):
    it keeps their bytes with no transfer encoding, so serialising would rewrite the CR and LF bytes in them."""
    for part in message.walk():
        binary = not part.is_multipart() and part.get_content_maintype() != "text"
        if binary and "Content-Transfer-Encoding" not in part:
            encode_base64(part)


def inbound_received(sender, event, esp_name, **kwargs):
    """anymail's inbound signal: the message recorded like one received over SMTP. Whatever fails here is ours
    (RecordingFailed, a 500): what anymail could not read never gets this far."""
    try:
        message = event.message
        _binary_parts_encoded(message)
        raw = message.as_bytes()
        if len(raw) > mail_max_bytes():
            logger.warning("%s inbound message of %d bytes is over XPENSER_MAIL_MAX_BYTES (%d): not recorded",
                           esp_name, len(raw), mail_max_bytes())  # fmt: skip
            return
        mail_receive(raw=raw, recipients=_recipients(message), via=esp_name.lower())
    except Exception as failure:
        raise RecordingFailed(f"{esp_name} inbound message not recorded") from failure


def inbound_configured(callback) -> bool:
    """The shared webhook secret is set and the service's view finds all the settings it needs."""
    if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
        return False
    try:
        callback.view_class(**callback.view_initkwargs)
    except ImproperlyConfigured:
        return False
    return True


def _too_big(reason: str) -> HttpResponse:
    return HttpResponse(f"413 {reason}\n", status=413, content_type="text/plain; charset=utf-8")


def _only_when_configured(callback):
    @functools.wraps(callback)
    def view(request, *args, **kwargs):
        if not inbound_configured(callback):
            raise Http404("this mail service's inbound webhook is not set up on this server")
        if declared_length(request) > 2 * mail_max_bytes():
            return _too_big(f"the message is over the limit of {mail_max_bytes()} bytes")
        try:
            return callback(request, *args, **kwargs)
        except RequestDataTooBig:
            return _too_big(f"form fields over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes "
                            "(DATA_UPLOAD_MAX_MEMORY_SIZE); send attachments as files")
        except _MALFORMED as malformed:  # RecordingFailed is none of these: it stays a 500
            logger.warning("malformed inbound payload at %s", request.path, exc_info=malformed)
            return HttpResponse(f"400 not an inbound message this service sends ({type(malformed).__name__})\n",
                                status=400, content_type="text/plain; charset=utf-8")

    return csrf_exempt(view)


def inbound_webhook_urls() -> list:
    """anymail's inbound webhook routes (`<service>/inbound/`), each answering once set up."""
    patterns = []
    for pattern in anymail_urls.urlpatterns:
        if pattern.name and pattern.name.endswith("_inbound_webhook"):
            view = _only_when_configured(pattern.callback)
            patterns.append(type(pattern)(pattern.pattern, view, pattern.default_args, pattern.name))
    return patterns
