"""The project's own configuration of Django's static files app."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class ProjectStaticFilesConfig(StaticFilesConfig):
    """`collectstatic` leaves out ReDoc: the API documentation at /api/v2/docs/ is Swagger UI, so ReDoc's
    bundle (the largest file drf-spectacular-sidecar ships) would only slow every `make serve` start."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "redoc"]
