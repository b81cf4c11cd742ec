"""Headers (issue 12, item 5): CSP on every HTML page, HSTS and Secure cookies over HTTPS only."""

import pytest

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

HTML_PAGES = ["/", "/expenses/", "/reports/", "/charts/", "/export/", "/settings/", "/account/applications/",
              "/api/v2/docs/", "/admin/", "/accounts/password_change/"]
ANONYMOUS_PAGES = ["/accounts/login/", "/signup/", "/accounts/password_reset/", "/admin/login/", "/no-such-page/"]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict_csp(response):
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_signed_in_html_page_has_a_strict_content_security_policy(client, user, path):
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("text/html")
    assert_strict_csp(response)


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_every_anonymous_html_page_has_it_too(client, path):
    response = client.get(path)
    assert response["Content-Type"].startswith("text/html")
    assert_strict_csp(response)


def test_the_api_docs_load_their_script_from_the_app_not_inline(client, user):
    client.force_login(user)
    page = client.get("/api/v2/docs/").content.decode()
    assert '<script src="/api/v2/docs/?script="' in page and "<style" not in page
    script = client.get("/api/v2/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_hsts_only_on_https(client):
    assert "Strict-Transport-Security" not in client.get("/accounts/login/")
    assert client.get("/accounts/login/", secure=True)["Strict-Transport-Security"] == "max-age=31536000"
    assert client.get("/api/expenses/", secure=True)["Strict-Transport-Security"] == "max-age=31536000"


def test_behind_a_trusted_proxy_hsts_follows_x_forwarded_proto(client, settings):
    # Without trusting the proxy, a client's X-Forwarded-Proto changes nothing.
    assert "Strict-Transport-Security" not in client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # XPENSER_TRUST_PROXY_HEADERS=1
    assert "Strict-Transport-Security" in client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" not in client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="http")


def sign_in(client, **extra):
    client.get("/accounts/login/", **extra)
    csrf = client.cookies["csrftoken"]
    response = client.post("/accounts/login/", {"username": "user@test.com", "password": DEFAULT_PASSWORD,
                                                "csrfmiddlewaretoken": csrf.value}, **extra)
    assert response.status_code == 302
    return csrf, response.cookies["sessionid"]


def test_session_and_csrf_cookies_are_secure_over_https(client, user):
    csrf, session = sign_in(client, secure=True)
    assert csrf["secure"] is True and session["secure"] is True
    assert session["httponly"] is True


def test_behind_a_trusted_proxy_cookies_are_secure_when_it_says_https(client, user, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    csrf, session = sign_in(client, HTTP_X_FORWARDED_PROTO="https")
    assert csrf["secure"] is True and session["secure"] is True


def test_over_plain_http_cookies_are_not_secure_so_development_still_works(client, user):
    csrf, session = sign_in(client)
    assert not csrf["secure"] and not session["secure"]


def test_secure_cookies_setting_marks_them_secure_even_over_http(client, user, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True  # DJANGO_SECURE_COOKIES=1
    csrf, session = sign_in(client)
    assert csrf["secure"] is True and session["secure"] is True
