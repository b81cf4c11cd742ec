"""Error pages answer in the asker's format and never fail themselves, whatever the body."""

import pytest
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.test import Client, RequestFactory

from xpenser_server import views

UTF16_FORM = "application/x-www-form-urlencoded; charset=utf-16"
TOKEN = "a" * 32


@pytest.fixture
def csrf_client():
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = TOKEN
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/expenses/"])
def test_a_form_post_in_utf16_is_a_400_naming_the_encoding(csrf_client, path):
    body = f"username=x&password=y&csrfmiddlewaretoken={TOKEN}"  # the client encodes it in UTF-16
    response = csrf_client.post(path, data=body, content_type=UTF16_FORM)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "must be UTF-8 encoded" in response.content.decode()
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_a_form_post_in_utf16_to_no_page_is_refused_as_such(csrf_client):
    response = csrf_client.post("/no-such-page/", data="a=b", content_type=UTF16_FORM)
    assert response.status_code == 400
    assert "must be UTF-8 encoded" in response.content.decode()


@pytest.mark.django_db
def test_with_debug_on_as_in_make_run_a_utf16_form_is_a_400_too(csrf_client, settings):
    # Django's debug page reads the form as well: the request is refused before anything reads it.
    settings.DEBUG = True
    response = csrf_client.post("/accounts/login/", data="username=x", content_type=UTF16_FORM)
    assert response.status_code == 400
    assert "must be UTF-8 encoded" in response.content.decode()


@pytest.mark.django_db
def test_the_api_families_still_take_forms_in_the_charset_they_declare(client, user):
    from tests.conftest import basic_auth

    response = client.post("/api/simple/?format=json", data="q=caf\u00e9 4",  # the client encodes it in Latin-1
                           content_type="application/x-www-form-urlencoded; charset=iso-8859-1",
                           **basic_auth(user.email))
    assert response.status_code == 200
    assert response.json()["data"]["type"] == "caf\u00e9"


def test_a_bad_request_on_an_api_path_keeps_the_familys_answer(rf):
    legacy = views.bad_request(rf.post("/api/expense/"), BadRequest("the body is not UTF-8"))
    v2 = views.bad_request(rf.post("/api/v2/expenses/"), BadRequest("the body is not UTF-8"))
    # The frozen families: Django's own page, as before there were error views.
    assert (legacy.status_code, legacy["Content-Type"]) == (400, "text/html; charset=utf-8")
    assert b"<title>Bad Request (400)</title>" in legacy.content
    assert v2.status_code == 400
    assert v2.content == b'{"error": {"code": "bad_request", "message": "the body is not UTF-8", "fields": {}}}'


@pytest.mark.django_db
def test_a_form_post_in_utf16_to_oauth2s_views_is_an_oauth_style_400(csrf_client):
    response = csrf_client.post("/o/token/", data="grant_type=password", content_type=UTF16_FORM)
    assert response.status_code == 400
    assert response.json()["error"].startswith("invalid_request: HTTP requests with the")


def test_a_suspicious_operation_is_not_echoed(rf):
    response = views.bad_request(rf.get("/"), SuspiciousOperation("secret detail"))
    assert response.status_code == 400
    assert b"secret detail" not in response.content


def test_the_500_page_renders_without_reading_the_request():
    class Unreadable(RequestFactory().post("/x/").__class__):
        @property
        def POST(self):
            raise AssertionError("the 500 page read the body")

    request = RequestFactory().post("/x/")
    request.__class__ = Unreadable
    response = views.server_error(request)
    assert response.status_code == 500
    assert b"Server error" in response.content


@pytest.mark.django_db
def test_the_404_page_does_not_show_the_resolvers_internals(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"There is nothing at this address." in response.content
    assert b"Resolver404" not in response.content and b"tried" not in response.content
