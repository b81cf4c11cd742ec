"""oauthlib OAuth 1 endpoints wired to Django requests.

Like django-oauth-toolkit's oauth2_backends: a Django request becomes oauthlib's (uri, method, body,
headers). The URI is the one the client used (request.build_absolute_uri, which honours the proxy headers
when XPENSER_TRUST_PROXY_HEADERS is set), because that is what the client signed.
"""

from django.http.request import RawPostDataException
from oauthlib.oauth1 import (
    SIGNATURE_PLAINTEXT,
    AccessTokenEndpoint,
    AuthorizationEndpoint,
    RequestTokenEndpoint,
    ResourceEndpoint,
)
from oauthlib.oauth1.rfc5849 import errors

from .validator import OAuthValidator

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


class _Checks:
    """Clearer refusals than oauthlib's generic ones: malformed input and the two transport rules."""

    def _create_request(self, uri, http_method, body, headers):
        try:
            return super()._create_request(uri, http_method, body, headers)
        except ValueError as exc:  # oauthlib raises ValueError on a malformed Authorization header
            raise errors.InvalidRequestError(description=f"Malformed OAuth parameters ({exc}).") from None

    def _check_transport_security(self, request):
        if self.request_validator.enforce_ssl and not request.uri.lower().startswith("https://"):
            raise errors.InsecureTransportError(
                description="OAuth requests must use HTTPS on this server.", status_code=400
            )

    def _check_mandatory_parameters(self, request):
        if request.signature_method == SIGNATURE_PLAINTEXT and not self.request_validator.secure:
            raise errors.InvalidSignatureMethodError(
                description="PLAINTEXT signatures are accepted over HTTPS only; sign with HMAC-SHA1 or HMAC-SHA256."
            )
        return super()._check_mandatory_parameters(request)


class XpRequestTokenEndpoint(_Checks, RequestTokenEndpoint):
    def validate_request_token_request(self, request):
        # OAuth 1.0 clients may omit oauth_callback; a legacy consumer then gets its registered callback or oob.
        if not request.redirect_uri and self.request_validator.is_legacy_consumer(request.client_key, request):
            request.redirect_uri = self.request_validator.default_callback(request.client_key, request)
        return super().validate_request_token_request(request)


class XpAuthorizationEndpoint(_Checks, AuthorizationEndpoint):
    pass


class XpAccessTokenEndpoint(_Checks, AccessTokenEndpoint):
    def validate_access_token_request(self, request):
        # OAuth 1.0 (before 1.0a) had no verifier. A consumer registered as legacy may exchange an authorized
        # request token without one; the stored verifier then stands in, so the usual checks all still run.
        if not request.verifier and request.resource_owner_key:
            validator = self.request_validator
            if not validator.is_legacy_consumer(request.client_key, request):
                raise errors.InvalidRequestError(
                    description="Missing oauth_verifier: this consumer uses OAuth 1.0a, so pass the verifier "
                    "the user received after authorizing."
                )
            # An unauthorized token gets a placeholder that validate_verifier refuses (after the signature check).
            request.verifier = validator.stored_verifier(request.client_key, request.resource_owner_key, request)
        return super().validate_access_token_request(request)


class XpResourceEndpoint(_Checks, ResourceEndpoint):
    _parsed = None  # the request parsed for the checks below, handed to oauthlib's own validation once

    def _create_request(self, uri, http_method, body, headers):
        parsed, self._parsed = self._parsed, None
        return parsed if parsed is not None else super()._create_request(uri, http_method, body, headers)

    def validate_protected_resource_request(self, uri, http_method="GET", body=None, headers=None, realms=None):
        # oauthlib swallows these errors into a bare False; run them first so the client learns what is wrong.
        request = self._create_request(uri, http_method, body, headers)
        self._check_transport_security(request)
        self._check_mandatory_parameters(request)
        if request.resource_owner_key:
            self.request_validator.preload_access_token(request.client_key, request.resource_owner_key, request)
        # Parsing the request again (oauthlib starts with that) would cost a fifth of a signed read.
        self._parsed = request
        try:
            return super().validate_protected_resource_request(uri, http_method, body, headers, realms)
        finally:
            self._parsed = None


def oauthlib_request_args(request):
    """(uri, http_method, body, headers) of a Django request, for oauthlib."""
    headers = dict(request.headers.items())
    body = ""
    if FORM_CONTENT_TYPE in request.META.get("CONTENT_TYPE", ""):
        # Form bodies carry signed parameters; others (JSON, multipart) are not part of the signature.
        try:
            body = request.body.decode("utf-8", errors="replace")
        except RawPostDataException:
            body = request.POST.urlencode()
    return request.build_absolute_uri(), request.method, body, headers


def has_oauth1_parameters(request) -> bool:
    """Whether the request carries OAuth 1 credentials (header, query or form body)."""
    if request.META.get("HTTP_AUTHORIZATION", "")[:6].lower() == "oauth ":
        return True
    if "oauth_signature" in request.GET or "oauth_consumer_key" in request.GET:
        return True
    if FORM_CONTENT_TYPE in request.META.get("CONTENT_TYPE", ""):
        try:
            body = request.body
        except RawPostDataException:
            return "oauth_signature" in request.POST
        return b"oauth_signature=" in body or b"oauth_consumer_key=" in body
    return False


class OAuthServer:
    """The four OAuth 1 endpoints around one per-request validator."""

    def __init__(self, request):
        # Django's lazy request.user: only the authorization step reads it (a signed API call never does).
        self.validator = OAuthValidator(secure=request.is_secure(), user=getattr(request, "user", None))
        self.request_token = XpRequestTokenEndpoint(self.validator)
        self.authorization = XpAuthorizationEndpoint(self.validator)
        self.access_token = XpAccessTokenEndpoint(self.validator)
        self.resource = XpResourceEndpoint(self.validator)
        self.args = oauthlib_request_args(request)
