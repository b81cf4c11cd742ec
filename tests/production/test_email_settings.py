"""EMAIL_URL (django-environ's email_url) configures the mail backend; development uses the console."""

import subprocess
import sys

from django.conf import settings


def settings_of(**env) -> str:
    script = ("from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, "
              "s.EMAIL_USE_TLS, s.XPENSER_PASSWORD_RESET_BY_EMAIL)")
    base = {"DJANGO_SETTINGS_MODULE": "xpenser_server.settings", "DJANGO_SECRET_KEY": "k", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {script}"], env={**base, **env},
                         cwd=settings.BASE_DIR, capture_output=True, text=True, check=True, timeout=60)
    return out.stdout.strip()


def test_email_url_selects_smtp_and_offers_reset_by_email():
    assert settings_of(EMAIL_URL="smtp+tls://u:p@mail.example.com:587") == (
        "django.core.mail.backends.smtp.EmailBackend mail.example.com 587 True True")


def test_development_prints_mails_to_the_console():
    assert settings_of(DJANGO_DEBUG="1").startswith("django.core.mail.backends.console.EmailBackend")
    assert settings_of(DJANGO_DEBUG="1").endswith("True")


def test_without_either_reset_by_email_is_off():
    assert settings_of().endswith("False")
