"""Token scopes: a read-only token (personal or OAuth 2 `read`) cannot change anything."""

import re

from rest_framework import permissions

from .models import PersonalAccessToken

# Endpoints that create an expense on GET when given `q` (the original "simple" API and its v1 twin).
_WRITES_WITH_Q = re.compile(r"^/api/(?:oauth/)?simple/?$|^/api/v1\.0/expense/?$")


def token_scopes(auth) -> set[str] | None:
    """Scopes the request's credential carries; None when it is not scope-limited (password, session, OAuth 1)."""
    if isinstance(auth, PersonalAccessToken):
        return auth.scopes
    from oauth2_provider.models import AbstractAccessToken

    if isinstance(auth, AbstractAccessToken):
        return set((auth.scope or "").split())
    return None


def is_write(request) -> bool:
    if request.method not in permissions.SAFE_METHODS:
        return True
    return "q" in request.query_params and bool(_WRITES_WITH_Q.match(request.path))


class TokenScopePermission(permissions.BasePermission):
    """Writes need the `write` scope; reads need `read` (or `write`) from a scope-limited token."""

    message = "This token is read-only: creating, changing or deleting data needs a token with the write scope."

    def has_permission(self, request, view):
        scopes = token_scopes(request.auth)
        if scopes is None:
            return True
        if is_write(request):
            return "write" in scopes
        if not scopes & {"read", "write"}:
            self.message = "This token has neither the read nor the write scope."
            return False
        return True
