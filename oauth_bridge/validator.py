"""oauthlib RequestValidator backed by the oauth_bridge models.

One validator is built per Django request (see server.py): it knows whether the request arrived over
HTTPS (PLAINTEXT is refused otherwise), who the logged-in user is (for the authorize step) and records
why a check failed so the API can answer with a message instead of a bare 401.
"""

import string

from django.conf import settings
from django.utils import timezone
from oauthlib.common import safe_string_equals
from oauthlib.oauth1 import (
    SIGNATURE_HMAC_SHA1,
    SIGNATURE_HMAC_SHA256,
    SIGNATURE_PLAINTEXT,
    RequestValidator,
)

from .models import AccessToken, Consumer, RequestToken
from .nonces import nonce_use
from .services import callback_allowed

OOB = "oob"
# Unreserved URI characters: keys, tokens, nonces and verifiers travel unencoded.
_SAFE = frozenset(string.ascii_letters + string.digits + "-._~")
# Stand-ins so that an unknown consumer or token costs the same work as a known one (oauthlib's timing rule).
_DUMMY_CONSUMER = "dummy-consumer-key-0000"
_DUMMY_REQUEST_TOKEN = "dummy-request-token-0000"
_DUMMY_ACCESS_TOKEN = "dummy-access-token-00000"
_DUMMY_SECRET = "dummy-secret-that-never-matches"
_NO_VERIFIER = "request-token-not-authorized"


def insecure_transport_allowed() -> bool:
    return bool(settings.DEBUG or settings.XPENSER_OAUTH_INSECURE_TRANSPORT)


def effective_callback(request_token: RequestToken, authorize_callback: str | None) -> str:
    """Where the user goes after deciding: the request token's callback, or (legacy consumers only, as in
    OAuth 1.0) an allowed callback named on the authorize URL."""
    consumer = request_token.consumer
    if consumer.legacy_oauth10 and authorize_callback and callback_allowed(consumer, authorize_callback):
        return authorize_callback
    return request_token.callback


class OAuthValidator(RequestValidator):
    def __init__(self, *, secure: bool, user=None, signs_with_access_token: bool = False):
        super().__init__()
        self.secure = secure
        self.user = user
        # A signed API request (not a token step): its oauth_token names an access token.
        self.signs_with_access_token = signs_with_access_token
        self.failure = ""  # first reason a check failed, for the error message
        # Lookups made while validating one request (the validator lives for one Django request).
        self._consumers, self._request_tokens, self._access_tokens = {}, {}, {}

    def _fail(self, reason: str) -> bool:
        self.failure = self.failure or reason
        return False

    # -- policy --------------------------------------------------------------------------------------
    @property
    def allowed_signature_methods(self):
        methods = (SIGNATURE_HMAC_SHA1, SIGNATURE_HMAC_SHA256)
        return (*methods, SIGNATURE_PLAINTEXT) if self.secure else methods

    @property
    def enforce_ssl(self):
        return not insecure_transport_allowed()

    @property
    def timestamp_lifetime(self):
        return settings.XPENSER_OAUTH_TIMESTAMP_WINDOW

    @property
    def safe_characters(self):
        return _SAFE

    @property
    def client_key_length(self):
        return 3, 128

    @property
    def request_token_length(self):
        return 16, 128

    @property
    def access_token_length(self):
        return 16, 128

    @property
    def nonce_length(self):
        return 8, 255

    @property
    def verifier_length(self):
        return 16, 128

    # `realm` is only a protection-space label here (RFC 5849 3.5.1); every token carries the user's full access.
    def check_realms(self, realms):
        return True

    def get_default_realms(self, client_key, request):
        return []

    def get_realms(self, token, request):
        return []

    def validate_requested_realms(self, client_key, realms, request):
        return True

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    def verify_realms(self, token, realms, request):
        return True

    # -- consumers -----------------------------------------------------------------------------------
    @property
    def dummy_client(self):
        return _DUMMY_CONSUMER

    def _consumer(self, client_key, request):
        if client_key not in self._consumers:
            token_key = getattr(request, "resource_owner_key", None)
            token = self.access_token_for(token_key) if token_key and self.signs_with_access_token else None
            if token is not None and token.consumer.key == client_key:
                # A signed API request: its token's query loaded the consumer too.
                self._consumers[client_key] = token.consumer if token.consumer.is_active else None
            else:
                self._consumers[client_key] = Consumer.objects.filter(key=client_key, is_active=True).first()
        return self._consumers[client_key]

    def validate_client_key(self, client_key, request):
        if self._consumer(client_key, request) is None:
            return self._fail("unknown consumer key")
        return True

    def get_client_secret(self, client_key, request):
        consumer = self._consumer(client_key, request)
        return consumer.secret if consumer else _DUMMY_SECRET

    def get_rsa_key(self, client_key, request):
        raise NotImplementedError("RSA signatures are not offered")

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        consumer = self._consumer(client_key, request)
        if consumer is None:
            return False
        if redirect_uri == OOB:
            return True
        if not callback_allowed(consumer, redirect_uri):
            return self._fail("callback URL not allowed for this consumer")
        return True

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request, request_token=None,
                                     access_token=None):
        # oauthlib has already refused timestamps outside the window; the nonce store does the rest.
        if not nonce_use(client_key, request_token or access_token or "", int(timestamp), nonce):
            return self._fail("nonce already used (replayed request)")
        return True

    # -- request tokens ------------------------------------------------------------------------------
    @property
    def dummy_request_token(self):
        return _DUMMY_REQUEST_TOKEN

    def request_token_for(self, token: str) -> RequestToken | None:
        """The request token with this key (its consumer loaded), looked up once per request."""
        if token not in self._request_tokens:
            self._request_tokens[token] = RequestToken.objects.for_key(token).first()
        return self._request_tokens[token]

    def get_request_token_secret(self, client_key, token, request):
        rt = self.request_token_for(token)
        if rt is None or rt.consumer.key != client_key:
            return _DUMMY_SECRET
        return rt.secret

    def save_request_token(self, token, request):
        consumer = self._consumer(request.client_key, request)
        RequestToken.objects.create(
            consumer=consumer, key=token["oauth_token"], secret=token["oauth_token_secret"],
            callback=request.redirect_uri or OOB,
        )

    def validate_request_token(self, client_key, token, request):
        rt = self.request_token_for(token)
        if rt is None or rt.consumer.key != client_key:
            return self._fail("unknown request token")
        if rt.is_expired:
            return self._fail("request token expired")
        return True

    def verify_request_token(self, token, request):
        rt = self.request_token_for(token)
        return rt is not None and rt.consumer.is_active and not rt.is_expired and not rt.is_authorized

    def get_redirect_uri(self, token, request):
        return effective_callback(self.request_token_for(token), request.redirect_uri)

    def save_verifier(self, token, verifier, request):
        rt = self.request_token_for(token)
        rt.user = self.user if self.user is not None and self.user.is_authenticated else None
        rt.verifier = verifier["oauth_verifier"]
        rt.authorized_at = timezone.now()
        rt.save(update_fields=["user", "verifier", "authorized_at"])

    def validate_verifier(self, client_key, token, verifier, request):
        rt = self.request_token_for(token)
        if rt is None or not rt.is_authorized or rt.consumer.key != client_key:
            return self._fail("request token not authorized by the user")
        if not safe_string_equals(verifier, rt.verifier):
            return self._fail("wrong oauth_verifier")
        return True

    def is_legacy_consumer(self, client_key, request) -> bool:
        consumer = self._consumer(client_key, request)
        return consumer is not None and consumer.legacy_oauth10

    def default_callback(self, client_key, request) -> str:
        consumer = self._consumer(client_key, request)
        return (consumer.callback if consumer else "") or OOB

    def stored_verifier(self, client_key, token, request) -> str:
        """For a legacy consumer's verifier-less exchange: the verifier saved at authorization, if any."""
        rt = self.request_token_for(token)
        if rt is None or rt.consumer.key != client_key or not rt.verifier:
            return _NO_VERIFIER
        return rt.verifier

    def invalidate_request_token(self, client_key, request_token, request):
        RequestToken.objects.for_key(request_token).filter(consumer__key=client_key).delete()

    # -- access tokens -------------------------------------------------------------------------------
    @property
    def dummy_access_token(self):
        return _DUMMY_ACCESS_TOKEN

    def access_token_for(self, token: str) -> AccessToken | None:
        """The access token with this key, with its consumer and user (one joined query per request)."""
        if token not in self._access_tokens:
            # The key is unique: no ORDER BY (first() would sort by the model's ordering on every signed read).
            found = AccessToken.objects.for_key(token).order_by()[:1]
            self._access_tokens[token] = next(iter(found), None)
        return self._access_tokens[token]

    def save_access_token(self, token, request):
        rt = self.request_token_for(request.resource_owner_key)
        AccessToken.objects.create(
            consumer=rt.consumer, user=rt.user, key=token["oauth_token"], secret=token["oauth_token_secret"]
        )

    def get_access_token_secret(self, client_key, token, request):
        at = self.access_token_for(token)
        if at is None or at.consumer.key != client_key:
            return _DUMMY_SECRET
        return at.secret

    def validate_access_token(self, client_key, token, request):
        at = self.access_token_for(token)
        if at is None:
            return self._fail("unknown access token")
        if at.consumer.key != client_key:
            return self._fail("access token was issued to another consumer")
        if at.revoked_at is not None:
            return self._fail("access token has been revoked")
        if not at.user.is_active:
            return self._fail("the user of this access token is inactive")
        return True
