from django.apps import AppConfig
from django.contrib import messages
from django.contrib.auth.signals import user_logged_out


def confirm_logout(sender, request, user, **kwargs):
    """The login page the logout lands on says that it happened (the message travels in a cookie: the
    session is flushed)."""
    if request is not None and hasattr(request, "_messages"):
        messages.info(request, "You are logged out. Log in again to see your expenses.")


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        user_logged_out.connect(confirm_logout, dispatch_uid="confirm-logout")
