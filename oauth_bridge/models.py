"""OAuth 1 consumers and tokens, the nonce store, personal access tokens, and OAuth 2 tokens' owner scope.

OAuth 1 HMAC signatures are computed with the consumer secret and the token secret, so those two are
stored as given (the server must know them). Personal access tokens are bearer secrets: only their
SHA-256 is stored and the token is shown once.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from oauth2_provider.models import AccessToken as OAuth2AccessTokenBase
from oauth2_provider.models import RefreshToken as OAuth2RefreshTokenBase

from xpenser_server.models import OwnedQuerySet

SCOPE_READ = "read"
SCOPE_READ_WRITE = "read write"
SCOPE_CHOICES = [(SCOPE_READ, "Read only"), (SCOPE_READ_WRITE, "Read and write")]


class UserTokenQuerySet(OwnedQuerySet):
    """Credentials a user granted: their owner is `user`."""

    owner_field = "user"


def generate_key(nbytes: int = 24) -> str:
    """A random key made of URL-unreserved characters (safe in OAuth parameters as they are)."""
    return secrets.token_urlsafe(nbytes)


class Consumer(models.Model):
    """A registered OAuth 1 client application."""

    name = models.CharField(max_length=200)
    key = models.CharField(max_length=128, unique=True, default=generate_key)
    secret = models.CharField(max_length=128, default=generate_key)
    callback = models.URLField(
        max_length=1000,
        blank=True,
        help_text="Registered callback URL. When set, every callback the consumer asks for must start with it.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # OAuth 1.0 (pre-1.0a) behaviour for old clients: verifier-less access-token exchange and a callback on the
    # authorize URL. Reopens the session-fixation attack 1.0a closed, so it is opt-in per consumer.
    legacy_oauth10 = models.BooleanField(
        "legacy OAuth 1.0",
        default=False,
        help_text="Allow the pre-1.0a flow (no verifier, callback on the authorize URL). Weaker: see docs/oauth.md.",
    )
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class RequestTokenQuerySet(UserTokenQuerySet):
    def for_key(self, key: str):
        """The request token an OAuth 1 step names (its key is the credential), consumer loaded."""
        return self.select_related("consumer").filter(key=key)


class RequestToken(models.Model):
    """Temporary credentials: issued to a consumer, authorized (or not) by a user, exchanged once."""

    consumer = models.ForeignKey(Consumer, on_delete=models.CASCADE, related_name="request_tokens")
    key = models.CharField(max_length=128, unique=True)
    secret = models.CharField(max_length=128)
    callback = models.CharField(max_length=1000, default="oob")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    verifier = models.CharField(max_length=128, blank=True, default="")
    authorized_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    objects = RequestTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"request token for {self.consumer}"

    @property
    def is_expired(self) -> bool:
        age = timezone.now() - self.created
        return age.total_seconds() > settings.XPENSER_OAUTH_REQUEST_TOKEN_SECONDS

    @property
    def is_authorized(self) -> bool:
        return self.user_id is not None and self.authorized_at is not None


class AccessTokenQuerySet(UserTokenQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, consumer__is_active=True, user__is_active=True)

    def for_key(self, key: str):
        """The token a signed request names (its key is the credential), consumer and user loaded."""
        return self.select_related("consumer", "user").filter(key=key)


class AccessToken(models.Model):
    """Token credentials: what a consumer signs API requests with on a user's behalf, until revoked."""

    consumer = models.ForeignKey(Consumer, on_delete=models.CASCADE, related_name="access_tokens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=128, unique=True)
    secret = models.CharField(max_length=128)
    created = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["user", "consumer"])]

    def __str__(self):
        return f"{self.consumer} for {self.user}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Nonce(models.Model):
    """A seen (consumer, token, timestamp, nonce): the unique constraint rejects replays across workers."""

    consumer_key = models.CharField(max_length=128)
    token = models.CharField(max_length=128, blank=True, default="")
    timestamp = models.BigIntegerField(db_index=True)
    nonce = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consumer_key", "token", "timestamp", "nonce"], name="oauth_nonce_once")
        ]

    def __str__(self):
        return self.nonce


PERSONAL_TOKEN_PREFIX = "xpp_"


def hash_personal_token(token: str) -> str:
    # A fast hash is right here: tokens carry 256 random bits, so there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


class PersonalAccessTokenQuerySet(UserTokenQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def for_secret(self, secret: str):
        """The token with this secret (the credential itself: the lookup that finds its user)."""
        return self.select_related("user").filter(token_hash=hash_personal_token(secret))


class PersonalAccessToken(models.Model):
    """A token a user creates for their own scripts; sent as `Authorization: Bearer` or as the Basic password."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=20, choices=SCOPE_CHOICES, default=SCOPE_READ)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=16, editable=False, help_text="First characters, to recognise the token.")
    created = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @property
    def scopes(self) -> set[str]:
        return set(self.scope.split())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class OAuth2AccessToken(OAuth2AccessTokenBase):
    """django-oauth-toolkit's access tokens, with this project's owner scope (a proxy: no table of its own)."""

    objects = UserTokenQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = "OAuth 2 access token"


class OAuth2RefreshToken(OAuth2RefreshTokenBase):
    """django-oauth-toolkit's refresh tokens, with this project's owner scope (a proxy)."""

    objects = UserTokenQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = "OAuth 2 refresh token"
