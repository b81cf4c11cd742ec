"""Requests refused before any view, for what the views beneath (django-oauth-toolkit's, the authenticators)
would turn into a 500: NUL characters the database refuses, malformed percent-encoding oauthlib cannot
decode, ids that are not ids, and form bodies in a charset Django does not parse."""

import base64
import binascii
import re

from django.core.exceptions import BadRequest
from django.http import Http404

from .api import V2_PREFIX, error_response, v2_error_response
from .ids import parse_id
from .views import bad_request

_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
# django-oauth-toolkit's views that take an object id from the path (its URLs accept any slug).
_OAUTH2_ID_PATH = re.compile(r"^/o/(?:applications|authorized_tokens)/(?P<pk>[^/]+)/(?:delete/|update/)?$")
_OAUTH2_FIXED = {"register"}
FORM = "application/x-www-form-urlencoded"


def _authorization_has_nul(header: str) -> bool:
    if "\x00" in header:
        return True
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        return b"\x00" in base64.b64decode(credentials.strip(), validate=False)
    except (binascii.Error, ValueError):
        return False


FORM_CHARSET = "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded."


def _form_in_other_charset(request) -> bool:
    """A form body in a charset Django will not parse (it takes UTF-8 only)."""
    charset = request.content_params.get("charset") if request.content_type == FORM else None
    return charset is not None and charset.lower() != "utf-8"


def _form_body(request) -> bytes:
    if request.content_type != FORM:
        return b""
    return request.body


class MalformedRequestMiddleware:
    """401 for a NUL in the credentials (Basic user name or password, a bearer token), before any lookup;
    400 for a form body in another charset than UTF-8 outside the API families; on django-oauth-toolkit's
    views (`/o/`): 400 for malformed percent-encoding or a NUL in a parameter, and 404 for an object id that
    is not one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _authorization_has_nul(request.headers.get("Authorization", "")):
            return self._nul_in_credentials(request)
        if not request.path_info.startswith("/api/") and _form_in_other_charset(request):
            # Django refuses to parse it, and the CSRF check, the OAuth 2 views and Django's debug page all
            # read the form; the API families parse forms themselves, in the charset declared.
            if request.path_info.startswith("/o/"):
                return error_response(400, f"invalid_request: {FORM_CHARSET}")
            return bad_request(request, BadRequest(FORM_CHARSET))
        if request.path_info.startswith("/o/"):
            refusal = self._oauth2_refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    @staticmethod
    def _nul_in_credentials(request):
        """401 in the envelope of the family asked (docs/api.md's, or /api/v2/'s)."""
        message = "the Authorization header holds a NUL character"
        challenge = {"WWW-Authenticate": 'Basic realm="Xpenser"'}
        if request.path_info.startswith(V2_PREFIX):
            return v2_error_response(401, "authentication_failed", message, challenge)
        return error_response(401, message, challenge)

    def _oauth2_refusal(self, request):
        match = _OAUTH2_ID_PATH.match(request.path_info)
        if match and match["pk"] not in _OAUTH2_FIXED and parse_id(match["pk"]) is None:
            raise Http404("No such application or token")
        raw = [request.META.get("QUERY_STRING", "").encode("latin-1", "replace"), _form_body(request)]
        if any(_BAD_PERCENT.search(part) for part in raw):
            return error_response(400, "invalid_request: malformed percent-encoding in the parameters")
        form = request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        values = [*request.GET.lists(), *(request.POST.lists() if form else [])]
        if any("\x00" in name or any("\x00" in value for value in items) for name, items in values):
            return error_response(400, "invalid_request: a parameter holds a NUL character")
        return None
