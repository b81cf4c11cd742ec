from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import listeners, receivers  # noqa: F401 - connect to the models' and expenses' signals
