from django.apps import AppConfig

from expenses.events import receipt_added


class OcrConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ocr"
    verbose_name = "Receipt reading"

    def ready(self):
        from .receivers import receipt_added_read

        receipt_added.connect(receipt_added_read, dispatch_uid="ocr-read-added-receipt")
