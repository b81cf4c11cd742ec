from django.apps import AppConfig


def give_new_user_a_default_report(sender, instance, created, raw=False, **kwargs):
    """Every account has exactly one default report from the moment it exists."""
    if created and not raw:
        from .services import report_ensure_default

        report_ensure_default(user=instance)


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_save

        post_save.connect(
            give_new_user_a_default_report, sender=settings.AUTH_USER_MODEL, dispatch_uid="default-report"
        )
