"""Whether a request writes, decided by the view that answers it, and the checks that depend on it: a token's
scope (oauth_bridge.permissions) and a browser session's CSRF token.

A view says what it is about to do through `writes(request)` (ApiView's default: every method but GET, HEAD
and OPTIONS writes); the simple APIs, which create on a GET, say so themselves. Where a request's parameters
sit (query string, form or JSON body) never matters.
"""

from rest_framework import authentication, exceptions, permissions

SESSION_GET_WRITE = ("CSRF Failed: a browser session writes only through a POST carrying its CSRF token "
                     "(a link or an image from another site must not record anything)")


def request_writes(request, view) -> bool:
    """Whether `view`, answering `request`, creates, changes or deletes data."""
    writes = getattr(view, "writes", None)
    if writes is not None:
        return bool(writes(request))
    return request.method not in permissions.SAFE_METHODS


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session login, with the CSRF verdict kept (`csrf_failure`, None when verified) instead of raised.

    Whether a failed check matters depends on what the view does with the request (SessionCsrfPermission): a
    read needs no token, a write does, also on a GET (Django checks no token on safe methods, so a session's
    GET is never verified).
    """

    csrf_failure: str | None = None

    def enforce_csrf(self, request):
        if request.method in permissions.SAFE_METHODS:
            self.csrf_failure = SESSION_GET_WRITE
            return
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refused:
            self.csrf_failure = str(refused.detail)


def session_write_unconfirmed(request) -> bool:
    """True when the request came with a browser session whose CSRF token was not verified."""
    return getattr(request.successful_authenticator, "csrf_failure", None) is not None


class SessionCsrfPermission(permissions.BasePermission):
    """A session request without a verified CSRF token may read, never write (403 `CSRF Failed: ...`).

    Views with `confirms_session_writes = True` (the simple APIs) are let through: they answer a page showing
    what would be recorded, with a same-origin form carrying the token, and record nothing.
    """

    message = SESSION_GET_WRITE

    def has_permission(self, request, view):
        if not session_write_unconfirmed(request) or getattr(view, "confirms_session_writes", False):
            return True
        if not request_writes(request, view):
            return True
        self.message = request.successful_authenticator.csrf_failure
        return False
