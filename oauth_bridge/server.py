"""oauthlib OAuth 1 endpoints wired to Django requests, through oauthlib's public endpoint methods.

Like django-oauth-toolkit's oauth2_backends: a Django request becomes oauthlib's (uri, method, body,
headers). The URI is the one the client used (request.build_absolute_uri, which honours the proxy headers
when XPENSER_TRUST_PROXY_HEADERS is set), because that is what the client signed.

oauthlib decides every request. Its refusals of malformed requests carry generic or no reasons (the
resource endpoint answers a bare False), so `refusal` explains them from the parsed parameters and
`transport_refusal` checks the two transport rules first, with clearer words.
"""

import time

from django.http.request import RawPostDataException
from oauthlib.common import CaseInsensitiveDict
from oauthlib.oauth1 import (
    SIGNATURE_PLAINTEXT,
    AccessTokenEndpoint,
    AuthorizationEndpoint,
    RequestTokenEndpoint,
    ResourceEndpoint,
)
from oauthlib.oauth1.rfc5849 import errors, signature, utils

from .validator import OAuthValidator

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
INSECURE_TRANSPORT = "OAuth requests must use HTTPS on this server."
PLAINTEXT_OVER_HTTP = "PLAINTEXT signatures are accepted over HTTPS only; sign with HMAC-SHA1 or HMAC-SHA256."
MANDATORY = ("oauth_signature", "oauth_consumer_key", "oauth_nonce", "oauth_timestamp", "oauth_signature_method")


class OAuthRefusal(errors.InvalidRequestError):
    """A request refused before oauthlib saw it: its parameters cannot be parsed."""


def oauth_parameters(uri: str, body: str, headers: dict) -> dict:
    """The `oauth_*` parameters of a request (header, form body or query), as oauthlib collects them.

    Raises OAuthRefusal for parameters that cannot be parsed (oauthlib raises a bare ValueError there).
    """
    query = uri.split("?", 1)[1] if "?" in uri else ""
    headers = CaseInsensitiveDict(headers or {})
    if FORM_CONTENT_TYPE not in headers.get("Content-Type", ""):
        body = ""
    try:
        found = signature.collect_parameters(uri_query=query, body=body, headers=headers,
                                             exclude_oauth_signature=False)
    except ValueError as exc:  # a malformed Authorization header
        raise OAuthRefusal(description=f"Malformed OAuth parameters ({exc}).") from None
    return dict(utils.filter_oauth_params(found))


def transport_refusal(validator: OAuthValidator, uri: str, params: dict) -> str | None:
    """Why a request must be refused for how it travelled, or None."""
    if validator.enforce_ssl and not uri.lower().startswith("https://"):
        return INSECURE_TRANSPORT
    if params.get("oauth_signature_method") == SIGNATURE_PLAINTEXT and not validator.secure:
        return PLAINTEXT_OVER_HTTP
    return None


def refusal(validator: OAuthValidator, uri: str, params: dict) -> str:
    """Why oauthlib refused a signed request, in the words of oauthlib's own checks where it has them."""
    problem = transport_refusal(validator, uri, params)
    if problem:
        return problem
    if not all(params.get(name) for name in MANDATORY):
        missing = ", ".join(name for name in MANDATORY if not params.get(name))
        return f"Missing mandatory OAuth parameters ({missing})."
    method = params["oauth_signature_method"]
    if method not in validator.allowed_signature_methods:
        return f"Invalid signature, {method} not in {list(validator.allowed_signature_methods)!r}."
    if params.get("oauth_version", "1.0") != "1.0":
        return "Invalid OAuth version."
    stamp = params["oauth_timestamp"]
    if len(stamp) != 10 or not stamp.isascii() or not stamp.isdigit():
        return "Timestamp must be an integer of 10 digits."
    if abs(time.time() - int(stamp)) > validator.timestamp_lifetime:
        return f"Timestamp given is invalid, differ from allowed by over {validator.timestamp_lifetime} seconds."
    if not validator.check_client_key(params["oauth_consumer_key"]):
        return "Invalid client key format."
    if not validator.check_nonce(params["oauth_nonce"]):
        return "Invalid nonce format."
    if not params.get("oauth_token"):
        return "missing oauth_token (sign API requests with an access token)"
    return validator.failure or "invalid signature"


class XpRequestTokenEndpoint(RequestTokenEndpoint):
    def validate_request_token_request(self, request):
        # OAuth 1.0 clients may omit oauth_callback; a legacy consumer then gets its registered callback or oob.
        if not request.redirect_uri and self.request_validator.is_legacy_consumer(request.client_key, request):
            request.redirect_uri = self.request_validator.default_callback(request.client_key, request)
        return super().validate_request_token_request(request)


class XpAccessTokenEndpoint(AccessTokenEndpoint):
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
        self.authorization = AuthorizationEndpoint(self.validator)
        self.access_token = XpAccessTokenEndpoint(self.validator)
        self.resource = ResourceEndpoint(self.validator)
        self.args = oauthlib_request_args(request)

    def parameters(self) -> dict:
        """This request's `oauth_*` parameters (raises OAuthRefusal when they cannot be parsed)."""
        uri, _method, body, headers = self.args
        return oauth_parameters(uri, body, headers)

    def check_transport(self) -> None:
        """Raise oauthlib's own error when the request broke a transport rule (plain HTTP, PLAINTEXT over
        HTTP), with clearer words; OAuthRefusal when its parameters cannot be parsed."""
        problem = transport_refusal(self.validator, self.args[0], self.parameters())
        if problem == INSECURE_TRANSPORT:
            raise errors.InsecureTransportError(description=problem)
        if problem:
            raise errors.InvalidSignatureMethodError(description=problem)

    def verify_resource_request(self):
        """(valid, oauthlib request, reason) of a signed API request; the reason explains a refusal."""
        params = self.parameters()
        self.validator.signs_with_access_token = True
        problem = transport_refusal(self.validator, self.args[0], params)
        if problem:
            return False, None, problem
        valid, oauth_request = self.resource.validate_protected_resource_request(*self.args)
        if valid:
            return True, oauth_request, ""
        if oauth_request is not None and not oauth_request.validator_log.get("signature", True) \
                and not self.validator.failure:
            return False, oauth_request, "invalid signature"
        return False, oauth_request, refusal(self.validator, self.args[0], params)
