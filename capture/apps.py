from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "capture"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from anymail.signals import inbound

        from . import inbound as receivers

        inbound.connect(receivers.inbound_received, dispatch_uid="capture.inbound_received")
