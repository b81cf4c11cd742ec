"""DRF authentication: OAuth 1 signed requests and personal access tokens (`Authorization: Bearer`)."""

from oauthlib.oauth1.rfc5849 import errors
from rest_framework import authentication, exceptions

from .models import PERSONAL_TOKEN_PREFIX
from .selectors import personal_token_get_active
from .server import OAuthServer, has_oauth1_parameters
from .services import mark_used

REALM = "Xpenser"


class OAuthAuthenticationFailed(exceptions.AuthenticationFailed):
    """A refused OAuth request: 401 with the OAuth challenge (xpenser_server.api honours `challenge`)."""

    challenge = f'OAuth realm="{REALM}"'


class OAuth1Authentication(authentication.BaseAuthentication):
    """Accepts requests signed with an OAuth 1 access token (header, query or form-body parameters)."""

    def authenticate(self, request):
        django_request = request._request  # the Django request, as DRF's own SessionAuthentication reads it
        if not has_oauth1_parameters(django_request):
            return None
        server = OAuthServer(django_request)
        try:
            valid, oauth_request, reason = server.verify_resource_request()
        except errors.OAuth1Error as exc:
            raise OAuthAuthenticationFailed(f"OAuth: {exc.description}") from None
        if not valid:
            raise OAuthAuthenticationFailed(f"OAuth: {reason.rstrip('.')}.")
        token = server.validator.access_token_for(oauth_request.resource_owner_key)
        mark_used(token)
        return token.user, token

    def authenticate_header(self, request):
        return OAuthAuthenticationFailed.challenge


def personal_token_user(secret: str):
    """(user, token) for an active personal access token, or None."""
    token = personal_token_get_active(secret)
    if token is None:
        return None
    mark_used(token)
    return token.user, token


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer xpp_...`; other bearer tokens are left to OAuth 2."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != b"bearer":
            return None
        secret = parts[1].decode("latin-1")
        if not secret.startswith(PERSONAL_TOKEN_PREFIX):
            return None
        result = personal_token_user(secret)
        if result is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked personal access token.")
        return result

    def authenticate_header(self, request):
        return f'Bearer realm="{REALM}"'
