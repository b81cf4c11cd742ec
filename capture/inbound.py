"""Inbound mail from hosted services (Mailgun, Postmark, SendGrid, SES, ...) through django-anymail's signed
webhooks: anymail checks the request (HTTP basic auth with ANYMAIL's WEBHOOK_SECRET, plus the service's own
signature where it has one) and sends `anymail.signals.inbound`, received here.

A service's URL answers only once it is set up (the shared secret and the service's settings), so no
endpoint ever takes unauthenticated mail: otherwise it is a 404.
"""

import functools

from anymail import urls as anymail_urls
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt

from .services import mail_receive


def _recipients(message) -> list[str]:
    if message.envelope_recipient:
        return [message.envelope_recipient]
    return [address.addr_spec for address in (*message.to, *message.cc)]


def inbound_received(sender, event, esp_name, **kwargs):
    """anymail's inbound signal: the message recorded like one received over SMTP."""
    message = event.message
    mail_receive(raw=message.as_bytes(), recipients=_recipients(message), via=esp_name.lower())


def inbound_configured(callback) -> bool:
    """The shared webhook secret is set and the service's view finds all the settings it needs."""
    if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
        return False
    try:
        callback.view_class(**callback.view_initkwargs)
    except ImproperlyConfigured:
        return False
    return True


def _only_when_configured(callback):
    @functools.wraps(callback)
    def view(request, *args, **kwargs):
        if not inbound_configured(callback):
            raise Http404("this mail service's inbound webhook is not set up on this server")
        return callback(request, *args, **kwargs)

    return csrf_exempt(view)


def inbound_webhook_urls() -> list:
    """anymail's inbound webhook routes (`<service>/inbound/`), each answering once set up."""
    patterns = []
    for pattern in anymail_urls.urlpatterns:
        if pattern.name and pattern.name.endswith("_inbound_webhook"):
            view = _only_when_configured(pattern.callback)
            patterns.append(type(pattern)(pattern.pattern, view, pattern.default_args, pattern.name))
    return patterns
