"""Site-wide error views: the API families' JSON envelopes on API paths, HTML pages elsewhere.

Unlike Django's defaults these are not wrapped in `requires_csrf_token`: that decorator checks the CSRF token
again, which reads the form body again, so a body Django refused to parse (a form post in UTF-16) failed the
error page too and reached the WSGI server as a bare 500. The CSRF middleware has already run for every page
that gets here, so the templates' `{% csrf_token %}` still works."""

from django.core.exceptions import BadRequest
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from .api import error_response

V2_PREFIX = "/api/v2/"


def _v2_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def _answer(request, status: int, code: str, title: str, message: str, template: str = "error.html"):
    if request.path.startswith(V2_PREFIX):
        return _v2_error(code, message, status)
    if request.path.startswith("/api/"):
        return error_response(status, message)
    return render(request, template, {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    """400; names the problem when Django said what it was (`BadRequest`), not for suspicious operations."""
    message = str(exception) if isinstance(exception, BadRequest) and str(exception) else "The request is malformed."
    return _answer(request, 400, "bad_request", "Bad request", message)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "You may not do this here."
    return _answer(request, 403, "permission_denied", "Forbidden", message)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return _answer(request, 404, "not_found", "Not found", f"no API endpoint at {request.path}")
    return render(request, "404.html", {"exception": _not_found_message(exception)}, status=404)


def _not_found_message(exception) -> str:
    # Http404's message for a missing object or page; the resolver's own (a dict of tried patterns) is not one.
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) else ""


def server_error(request):
    """500 without the request's context: rendering must not fail on what made the request fail."""
    if request.path.startswith("/api/"):
        return _answer(request, 500, "server_error", "Server error", "internal error; it has been logged")
    return HttpResponse(loader.get_template("500.html").render(), status=500)
