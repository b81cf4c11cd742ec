"""HTTP Basic authentication with a short-lived verified-credential cache.

Django's password hasher is deliberately slow (~0.2 s), so a script sending one Basic-auth request per
expense would be limited to a few requests per second. A successful check is remembered in the cache
under an HMAC of the credentials (never the password itself) together with the user's current password
hash, so changing the password (or deactivating the user) invalidates it at once. Failures are never
cached.
"""

import hashlib
import hmac
import threading

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache
from rest_framework import authentication, exceptions

from oauth_bridge.authentication import personal_token_user
from oauth_bridge.models import PERSONAL_TOKEN_PREFIX

from .login_throttle import ensure_login_allowed

REALM = "Xpenser"
# Concurrent first requests with the same credentials (a script's parallel burst, or a worker's threads after a
# restart) wait for one password check instead of each running the slow hasher; striped, so memory is bounded.
_VERIFY_LOCKS = [threading.Lock() for _ in range(64)]


def _credential_key(email: str, password: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{email.lower()}\0{password}".encode(), hashlib.sha256
    ).hexdigest()
    return f"basic-auth:{digest}"


def _password_fingerprint(user) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), user.password.encode(), hashlib.sha256).hexdigest()


def _cached_user(key: str):
    cached = cache.get(key)
    if not cached:
        return None
    user_id, fingerprint = cached
    user_model = get_user_model()
    try:
        user = user_model.objects.get(pk=user_id, is_active=True)
    except user_model.DoesNotExist:
        user = None
    if user is not None and hmac.compare_digest(fingerprint, _password_fingerprint(user)):
        return user
    cache.delete(key)
    return None


def verify_credentials(request, email: str, password: str):
    """Return the active user for email+password, or None; verified pairs are cached for a while.

    Raises LoginThrottled (429) first when this account is locked for this client address (accounts.login_throttle),
    so a guess costs no password hashing, and a correct guess from a locked address is refused like a wrong one.
    """
    ensure_login_allowed(request, email)
    ttl = settings.XPENSER_BASIC_AUTH_CACHE_SECONDS
    if ttl <= 0:
        user = authenticate(request=request, username=email, password=password)
        return user if user is not None and user.is_active else None
    key = _credential_key(email, password)
    user = _cached_user(key)
    if user is not None:
        return user
    with _VERIFY_LOCKS[hash(key) % len(_VERIFY_LOCKS)]:
        user = _cached_user(key)  # verified by another thread meanwhile
        if user is not None:
            return user
        user = authenticate(request=request, username=email, password=password)
        if user is None or not user.is_active:
            return None
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
