"""Writes for OAuth consumers, authorizations and personal access tokens."""

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from xpenser_server.errors import InvalidInput
from xpenser_server.text import clean_text

from .models import (
    PERSONAL_TOKEN_PREFIX,
    SCOPE_CHOICES,
    AccessToken,
    Consumer,
    OAuth2AccessToken,
    OAuth2RefreshToken,
    PersonalAccessToken,
    RequestToken,
    generate_key,
    hash_personal_token,
)

_CALLBACK_SCHEMES = ("http", "https")


def callback_allowed(consumer: Consumer, url: str) -> bool:
    """Whether `url` may receive the user after authorization.

    Absolute http(s) URLs only; when the consumer registered a callback, the URL must be on the same
    scheme, host and port and under its path (an open redirect otherwise).
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme not in _CALLBACK_SCHEMES or not parts.netloc:
        return False
    if not consumer.callback:
        return True
    registered = urlsplit(consumer.callback)
    return (
        (parts.scheme, parts.netloc.lower()) == (registered.scheme, registered.netloc.lower())
        and parts.path.startswith(registered.path or "/")
    )


def consumer_create(*, name: str, key: str | None = None, secret: str | None = None, callback: str = "",
                    owner=None, legacy_oauth10: bool = False) -> Consumer:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("a consumer needs a name")
    key = key or generate_key()
    if Consumer.objects.filter(key=key).exists():
        raise InvalidInput(f"a consumer with key {key!r} already exists")
    if callback:
        parts = urlsplit(callback)
        if parts.scheme not in _CALLBACK_SCHEMES or not parts.netloc:
            raise InvalidInput(f"callback {callback!r} is not an absolute http(s) URL")
    return Consumer.objects.create(
        name=name, key=key, secret=secret or generate_key(), callback=callback, owner=owner,
        legacy_oauth10=legacy_oauth10,
    )


def request_token_deny(request_token: RequestToken) -> None:
    """The user refused: the temporary credentials are spent."""
    request_token.delete()


def oauth1_authorization_revoke(*, user, consumer_id: int) -> int:
    """Revoke every access token `user` granted to the consumer; returns how many were active."""
    return AccessToken.objects.owned_by(user).filter(consumer_id=consumer_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def oauth2_authorization_revoke(*, user, application_id: int) -> int:
    """Revoke every OAuth 2 access and refresh token `user` granted to the application; returns how many
    tokens were live (a refresh token's revoke also deletes its access token, so they are counted first)."""
    with transaction.atomic():
        refreshes = list(OAuth2RefreshToken.objects.owned_by(user).filter(
            application_id=application_id, revoked__isnull=True
        ))
        accesses = list(OAuth2AccessToken.objects.owned_by(user).filter(application_id=application_id))
        for refresh in refreshes:
            refresh.revoke()
        for token in accesses:
            # Already gone when its refresh token's revoke deleted it.
            if OAuth2AccessToken.objects.owned_by(user).filter(pk=token.pk).exists():
                token.revoke()
    return len(refreshes) + len(accesses)


@dataclass(frozen=True)
class NewPersonalToken:
    token: PersonalAccessToken
    secret: str  # shown to the user once, never stored


def personal_token_create(*, user, name: str, scope: str) -> NewPersonalToken:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("give the token a name, e.g. the script that will use it")
    if len(name) > 100:
        raise InvalidInput("token names are at most 100 characters")
    if clean_text(name) != name:
        raise InvalidInput("token names cannot hold control characters (NUL, escapes)")
    if scope not in dict(SCOPE_CHOICES):
        raise InvalidInput(f"scope must be one of: {', '.join(dict(SCOPE_CHOICES))}")
    secret = PERSONAL_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user, name=name, scope=scope, token_hash=hash_personal_token(secret), hint=secret[:10]
    )
    return NewPersonalToken(token=token, secret=secret)


def personal_token_revoke(*, user, token_id: int) -> bool:
    updated = PersonalAccessToken.objects.owned_by(user).filter(pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return bool(updated)


def mark_used(instance, field: str = "last_used_at", every_seconds: int = 60) -> None:
    """Record use of a token, at most once a minute (no write per request)."""
    now = timezone.now()
    last = getattr(instance, field)
    if last is None or (now - last).total_seconds() >= every_seconds:
        type(instance).objects.filter(pk=instance.pk).update(**{field: now})
        setattr(instance, field, now)
