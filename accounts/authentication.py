"""HTTP Basic authentication with a short-lived verified-credential cache.

Django's password hasher is deliberately slow (~0.2 s), so a script sending one Basic-auth request per
expense would be limited to a few requests per second. A successful check is remembered in the cache
under an HMAC of the credentials (never the password itself) together with the user's current password
hash, so changing the password (or deactivating the user) invalidates it at once. Failures are never
cached.
"""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache
from rest_framework import authentication, exceptions

from oauth_bridge.authentication import personal_token_user
from oauth_bridge.models import PERSONAL_TOKEN_PREFIX

REALM = "Xpenser"


def _credential_key(email: str, password: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{email.lower()}\0{password}".encode(), hashlib.sha256
    ).hexdigest()
    return f"basic-auth:{digest}"


def _password_fingerprint(user) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), user.password.encode(), hashlib.sha256).hexdigest()


def verify_credentials(request, email: str, password: str):
    """Return the active user for email+password, or None; verified pairs are cached for a while."""
    ttl = settings.XPENSER_BASIC_AUTH_CACHE_SECONDS
    key = _credential_key(email, password)
    if ttl > 0:
        cached = cache.get(key)
        if cached:
            user_id, fingerprint = cached
            user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
            if user is not None and hmac.compare_digest(fingerprint, _password_fingerprint(user)):
                return user
            cache.delete(key)
    user = authenticate(request=request, username=email, password=password)
    if user is None or not user.is_active:
        return None
    if ttl > 0:
        cache.set(key, (user.pk, _password_fingerprint(user)), ttl)
    return user


class CachedBasicAuthentication(authentication.BasicAuthentication):
    """Basic auth (email + password) answering 401 with `WWW-Authenticate: Basic realm="Xpenser"`."""

    www_authenticate_realm = REALM

    def authenticate_credentials(self, userid, password, request=None):
        # A personal access token works as the password (for scripts that only speak Basic auth).
        if password.startswith(PERSONAL_TOKEN_PREFIX):
            result = personal_token_user(password)
            if result is not None and result[0].email.lower() == userid.strip().lower():
                return result
        user = verify_credentials(request, userid, password)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid email or password.")
        return (user, None)
