"""EMAIL_URL (django-environ's email_url) configures the mail backend; development uses the console."""

from tests.processes import run_python

PROBE = ("import json, django; django.setup(); from django.conf import settings as s; print(json.dumps(["
         "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.XPENSER_PASSWORD_RESET_BY_EMAIL]))")


def settings_of(tmp_path, **env) -> list:
    """[backend, host, port, TLS, reset by email] as a server started with `env` has them."""
    return run_python(PROBE, tmp_path, DJANGO_SETTINGS_MODULE="xpenser_server.settings", DJANGO_SECRET_KEY="k", **env)


def test_email_url_selects_smtp_and_offers_reset_by_email(tmp_path):
    assert settings_of(tmp_path, EMAIL_URL="smtp+tls://u:p@mail.example.com:587") == [
        "django.core.mail.backends.smtp.EmailBackend", "mail.example.com", 587, True, True]


def test_development_prints_mails_to_the_console(tmp_path):
    backend, *_, reset_by_email = settings_of(tmp_path, DJANGO_DEBUG="1")
    assert backend == "django.core.mail.backends.console.EmailBackend"
    assert reset_by_email is True


def test_without_either_reset_by_email_is_off(tmp_path):
    assert settings_of(tmp_path)[-1] is False
