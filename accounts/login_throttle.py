"""Password guessing: django-axes counts failed sign-ins per (account, client address) and refuses more.

Counts live in Django's "login_failures" cache: Redis when REDIS_URL is set (every worker and app server shares
them, and increments are atomic), else files shared by the host's workers (an increment there is a read and a
write, so concurrent failures can be counted once: a flood gets a few more guesses than the limit); each
failure is also recorded in axes' AccessFailureLog (Django admin, "Access failures"). A locked combination is
refused before any password is hashed, with 429 and Retry-After; the same account from another address, and
other accounts from that address, are unaffected (docs/security.md, "Defences and where they are tested").
"""

from axes.handlers.cache import AxesCacheHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle

# DRF adds "Expected available in N seconds."
LOCKED_MESSAGE = "Too many failed sign-ins for this account from your address."


def client_username(request, credentials=None) -> str | None:
    """The account a sign-in names, as the User model matches it (emails are case-insensitive)."""
    username = (credentials or {}).get("username")
    # A form sign-in's own POST. An API request (DRF's Request) names its account in its credentials: its
    # body is never parsed here (a v2 body that is not JSON must get v2's answer, not a parse error).
    if username is None and isinstance(request, HttpRequest) and request.method == "POST":
        username = request.POST.get("username")
    return _text(username).strip().lower() if isinstance(username, str) else None


def _text(value: str, limit: int = 255) -> str:
    """A client-sent string as a text column takes it (PostgreSQL refuses NUL characters)."""
    return value.replace("\x00", "")[:limit]


def client_address(request) -> str:
    """The client address: REMOTE_ADDR, or the trusted proxy's X-Forwarded-For entry (the API throttles' rule)."""
    return BaseThrottle().get_ident(request)


def cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


class LoginThrottled(exceptions.Throttled):
    """429 for an API credential whose (account, address) is locked: the envelope and Retry-After."""

    def __init__(self):
        super().__init__(wait=cool_off_seconds(), detail=LOCKED_MESSAGE)


def ensure_login_allowed(request, username: str) -> None:
    """Raise LoginThrottled when this account is locked for this client (a cache read, no password hashing)."""
    if request is not None and not AxesProxyHandler.is_allowed(request, {"username": username}):
        raise LoginThrottled()


def lockout_response(request, original_response=None, credentials=None):
    """What axes answers a locked web sign-in (login form, admin login): a page saying so, 429 + Retry-After."""
    seconds = cool_off_seconds()
    response = render(request, "registration/locked_out.html", {"seconds": seconds, "minutes": -(-seconds // 60)},
                      status=429)
    response["Retry-After"] = str(seconds)
    return response


class CacheCountingRecordingHandler(AxesCacheHandler):
    """axes' cache handler (fast, shared through Redis) that also records each failure for the admin."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or not hasattr(request, "axes_ip_address"):
            return
        AccessFailureLog.objects.create(
            username=(get_client_username(request, credentials) or "")[:255] or None,
            ip_address=request.axes_ip_address,
            user_agent=_text(request.axes_user_agent),
            http_accept=_text(request.axes_http_accept, 1025),
            path_info=_text(request.axes_path_info),
            locked_out=bool(getattr(request, "axes_locked_out", False)),
        )
