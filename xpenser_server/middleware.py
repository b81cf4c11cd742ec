"""Project middleware."""

import re

from django.template import loader

_ABSOLUTE_FORM = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*(?P<path>/.*)?$", re.DOTALL)


class AbsoluteFormTargetMiddleware:
    """Accept absolute-form request targets (`GET http://host/api/expenses/ HTTP/1.1`, RFC 9112 3.2.2).

    Old HTTP clients and proxies send them. gunicorn already strips the scheme and authority, but the
    development server passes the whole URI as the path, which would not resolve. The scheme and host
    are dropped (the Host header names the host), so the URL resolver sees the path alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = _ABSOLUTE_FORM.match(request.path_info)
        if match:
            request.path_info = match.group("path") or "/"
            request.path = f"{request.META.get('SCRIPT_NAME', '').rstrip('/')}{request.path_info}"
        return self.get_response(request)


class SecureCookiesOverHttpsMiddleware:
    """Mark every cookie the answer sets (session, CSRF, messages) Secure when the request came over HTTPS.

    `request.is_secure()` is true on a TLS connection, or behind a trusted proxy (XPENSER_TRUST_PROXY_HEADERS) that
    says https; DJANGO_SECURE_COOKIES=1 makes them Secure always. Listed before the session and CSRF middleware
    so their cookies are set by the time the answer passes back through here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response


# Paths that machines call (the API families, OAuth's endpoints, hosted mail's webhooks): their answers stay theirs.
MACHINE_PATHS = ("/api/", "/oauth/", "/o/", "/anymail/")


class MethodNotAllowedPageMiddleware:
    """A web page's 405 with a body that says what to do. Django's `require_POST` answers an empty 405, which a
    browser shows as its own error page: a form's address opened again from the address bar, say."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content \
                or request.path_info.startswith(MACHINE_PATHS):
            return response
        response.content = loader.get_template("error.html").render({
            "title": "Not a page to open",
            "message": "This address takes what a form sends, not a visit. Go back to the page with the form and "
                       "use its button.",
        })  # fmt: skip
        response["Content-Type"] = "text/html; charset=utf-8"
        return response
