"""Site-wide views: JSON error pages for API paths."""

from django.views import defaults

from .api import error_response


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return error_response(404, f"no API endpoint at {request.path}")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return error_response(500, "internal error; it has been logged")
    return defaults.server_error(request)
