"""Site-wide error views: the API families' answers on API paths, HTML pages elsewhere.

Unlike Django's defaults these are not wrapped in `requires_csrf_token`: that decorator checks the CSRF token
again, which reads the form body again, so a body Django refused to parse (a form post in UTF-16) failed the
error page too and reached the WSGI server as a bare 500. The 400, 403 and 500 pages render without the
request's context, as Django's do (an error can come before the CSRF and authentication middleware ran); the
404 page has it (the resolver runs after every middleware's request phase).

The legacy and v1.0 families keep the answers they always gave outside their views: Django's plain pages for
400 and 403, the JSON envelope for 404 and 500.
"""

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.defaults import ERROR_PAGE_TEMPLATE

from .api import V2_PREFIX, error_response, v2_error_response


def _page(status: int, title: str, message: str, template: str = "error.html") -> HttpResponse:
    return HttpResponse(loader.get_template(template).render({"title": title, "message": message}), status=status)


def _plain_page(status: int, title: str) -> HttpResponse:
    """Django's own page, as the frozen API families answered."""
    return HttpResponse(ERROR_PAGE_TEMPLATE % {"title": title, "details": ""}, status=status)


def bad_request(request, exception=None):
    """400; names the problem when Django said what it was (`BadRequest`), not for suspicious operations."""
    message = str(exception) if isinstance(exception, BadRequest) and str(exception) else "The request is malformed."
    return _refusal(request, 400, "bad_request", ("Bad request", "Bad Request (400)"), message)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "You may not do this here."
    return _refusal(request, 403, "permission_denied", ("Forbidden", "403 Forbidden"), message)


def _refusal(request, status: int, code: str, titles: tuple[str, str], message: str) -> HttpResponse:
    """v2's envelope, the frozen families' plain page (titles[1]), or the site's page (titles[0])."""
    if request.path.startswith(V2_PREFIX):
        return v2_error_response(status, code, message)
    if request.path.startswith("/api/"):
        return _plain_page(status, titles[1])
    return _page(status, titles[0], message)


def page_not_found(request, exception=None):
    if request.path.startswith(V2_PREFIX):
        return v2_error_response(404, "not_found", f"no API endpoint at {request.path}")
    if request.path.startswith("/api/"):
        return error_response(404, f"no API endpoint at {request.path}")
    return render(request, "404.html", {"exception": _not_found_message(exception)}, status=404)


def _not_found_message(exception) -> str:
    # Http404's message for a missing object or page; the resolver's own (a dict of tried patterns) is not one.
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) else ""


def server_error(request):
    """500 without the request's context: rendering must not fail on what made the request fail."""
    if request.path.startswith(V2_PREFIX):
        return v2_error_response(500, "server_error", "internal error; it has been logged")
    if request.path.startswith("/api/"):
        return error_response(500, "internal error; it has been logged")
    return HttpResponse(loader.get_template("500.html").render(), status=500)
