"""Token scopes: a read-only token (personal or OAuth 2 `read`) cannot change anything.

What counts as a change is the answering view's decision (xpenser_server.write_checks.request_writes), so a
`q` in a form or JSON body of a GET to the simple API is a write like one in the query string.
"""

from oauth2_provider.models import AbstractAccessToken
from rest_framework import permissions

from xpenser_server.write_checks import request_writes

from .models import PersonalAccessToken


def token_scopes(auth) -> set[str] | None:
    """Scopes the request's credential carries; None when it is not scope-limited (password, session, OAuth 1:
    its tokens carry no scope and act with the user's full rights)."""
    if isinstance(auth, PersonalAccessToken):
        return auth.scopes
    if isinstance(auth, AbstractAccessToken):
        return set((auth.scope or "").split())
    return None


class TokenScopePermission(permissions.BasePermission):
    """Writes need the `write` scope; reads need `read` (or `write`) from a scope-limited token."""

    message = "This token is read-only: creating, changing or deleting data needs a token with the write scope."

    def has_permission(self, request, view):
        scopes = token_scopes(request.auth)
        if scopes is None:
            return True
        if request_writes(request, view):
            return "write" in scopes
        if not scopes & {"read", "write"}:
            self.message = "This token has neither the read nor the write scope."
            return False
        return True
