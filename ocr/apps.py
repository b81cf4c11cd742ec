from django.apps import AppConfig


class OcrConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ocr"
    verbose_name = "Receipt reading"

    def ready(self):
        from . import receivers  # noqa: F401 - connects to expenses' receipt_added
