"""The simple API's fast lane: scripted creates answered without the middleware chain, URL resolver and DRF.

A script logging one expense per request (`curl -u email:password '.../api/simple/?format=json&q=lunch+45'`)
is the busiest client this server has. Through the whole stack such a request spends more time in the
middleware chain, the URL resolver and DRF's dispatch than in recording the expense (bench/RESULTS.md).
The lane answers exactly these requests with the same parts the view uses (the Basic authenticator,
DRF's throttle check, the service, the JSON answer, the exception handler) and the response phase of the
middleware that acts on them; every other request, and every one the lane is unsure of, goes through the
full stack.

Until the throttle has counted a request the lane has changed nothing, so it may still hand the request
over (wrong password, a token, another format, a body, a refused host, an error): the full stack answers
it as it always does. After that the lane answers whatever happens, as the view would.
"""

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.security import SecurityMiddleware

from accounts.authentication import CachedBasicAuthentication
from expenses import services
from xpenser_server.api import exception_handler, requested_format

from .legacy import SIMPLE_FORMATS, SimpleApi, simple_json_answer

PATHS = frozenset({"/api/simple/", "/api/simple"})
# The stack the lane stands in for. Of these, only security, common and clickjacking act on a Basic-auth
# JSON request (the others touch sessions, CSRF cookies, messages and static files, which it has none of);
# the lane runs those three's own methods. With any other MIDDLEWARE setting the lane stays off.
MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
)


def _unused_get_response(request):  # pragma: no cover - the lane calls the middleware's hooks, never __call__
    raise AssertionError("the fast lane does not chain middleware")


def _has_body(meta) -> bool:
    return meta.get("CONTENT_LENGTH", "") not in ("", "0") or "HTTP_TRANSFER_ENCODING" in meta


class SimpleLane:
    """Called with each request; returns its response, or None when the full stack is to answer it."""

    def __init__(self):
        # DRF takes the first authenticator that recognises the request: Basic must come first for the lane's
        # answer to be the view's.
        self.enabled = (settings.XPENSER_SIMPLE_FAST_LANE and tuple(settings.MIDDLEWARE) == MIDDLEWARE
                        and SimpleApi.authentication_classes[:1] == [CachedBasicAuthentication])
        self.authenticator = CachedBasicAuthentication()
        self.security = SecurityMiddleware(_unused_get_response)
        self.common = CommonMiddleware(_unused_get_response)
        self.clickjacking = XFrameOptionsMiddleware(_unused_get_response)

    def __call__(self, request):
        if not self.enabled or request.path_info not in PATHS or request.method not in ("GET", "POST"):
            return None
        if _has_body(request.META) or request.COOKIES:  # form posts and browser sessions: the full stack
            return None
        text, report = request.GET.get("q"), request.GET.get("report")
        try:
            if requested_format(request, default="html", allowed=SIMPLE_FORMATS) != "json":
                return None
            if self.security.process_request(request) or self.common.process_request(request):
                return None
            found = self.authenticator.authenticate(request)
        except Exception:  # noqa: BLE001 - nothing is done yet: the whole stack gives its own answer or error
            return None
        if found is None or found[1] is not None:  # not Basic auth, or a token whose scope DRF checks
            return None
        request.user = found[0]
        response = self._record(request, text, report)
        for middleware in (self.clickjacking, self.common, self.security):  # MIDDLEWARE's response order
            response = middleware.process_response(request, response)
        return response

    def _record(self, request, text, report):
        view = SimpleApi()
        view.setup(request)  # as as_view() does: HEAD among the allowed methods
        view.headers = view.default_response_headers
        try:
            view.check_throttles(request)
            result = services.expense_create_from_text(user=request.user, text=text, report=report)
            response = simple_json_answer(result, user=request.user)
        except Exception as exc:  # noqa: BLE001 - answered as the view and Django's handler would
            response = exception_handler(exc, {"view": view, "request": request})
            if response is None:  # DRF re-raises what its handler does not answer: Django's 500
                return response_for_exception(request, exc)
        for name, value in view.headers.items():  # as DRF's finalize_response
            response[name] = value
        return response
