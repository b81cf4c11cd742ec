"""Site-wide views: JSON error pages for API paths."""

from django.http import JsonResponse
from django.views import defaults

from .api import error_response


def _v2_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/v2/"):
        return _v2_error("not_found", f"no API endpoint at {request.path}", 404)
    if request.path.startswith("/api/"):
        return error_response(404, f"no API endpoint at {request.path}")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/v2/"):
        return _v2_error("server_error", "internal error; it has been logged", 500)
    if request.path.startswith("/api/"):
        return error_response(500, "internal error; it has been logged")
    return defaults.server_error(request)
