"""Settings (validated, nothing saved on error), password change, and sign-up."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from reports.models import Report

pytestmark = pytest.mark.django_db

GOOD = {"name": "Ada", "base_currency": "eur", "currency_history": "convert", "mileage_rate": "0.30",
        "hourly_rate": "95.50", "time_zone": "Europe/Berlin", "date_order": "dmy"}


def test_settings_save(web, user):
    response = web.post("/settings/", GOOD)
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.name, user.base_currency, user.mileage_rate, user.hourly_rate, user.time_zone, user.date_order) == (
        "Ada", "EUR", Decimal("0.30"), Decimal("95.50"), "Europe/Berlin", "dmy")


def test_settings_page_shows_current_values(web, user):
    body = web.get("/settings/").content.decode()
    assert '<option value="USD" selected>' in body and '<option value="UTC" selected>' in body


@pytest.mark.parametrize("field, value", [
    ("time_zone", "Mars/Olympus"),
    ("mileage_rate", "-1"),
    ("mileage_rate", "abc"),
    ("hourly_rate", "1.234"),
    ("base_currency", "EURO"),
    ("base_currency", "E1"),
    ("base_currency", "XYZ"),
    ("currency_history", ""),
    ("currency_history", "both"),
    ("date_order", "ymd"),
])
def test_settings_reject_bad_values_and_save_nothing(web, user, field, value):
    response = web.post("/settings/", {**GOOD, field: value})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    user.refresh_from_db()
    assert (user.name, user.base_currency, user.time_zone) == ("", "USD", "UTC")


def test_password_change_page_works(web, user):
    response = web.post("/accounts/password_change/", {
        "old_password": "password", "new_password1": "a-much-better-pass", "new_password2": "a-much-better-pass"})
    assert response["Location"] == "/accounts/password_change/done/"
    user.refresh_from_db()
    assert user.check_password("a-much-better-pass")
    assert "Password changed" in web.get("/accounts/password_change/done/").content.decode()


def test_signup_creates_user_with_default_report_and_logs_in(client):
    response = client.post("/signup/", {"email": "New.Person@Example.com", "password1": "correct-horse-9",
                                        "password2": "correct-horse-9"}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    user = get_user_model().objects.get(email="new.person@example.com")
    assert user.check_password("correct-horse-9")
    assert [r.name for r in Report.objects.owned_by(user).default()] == ["My Expenses"]
    assert response.context["user"] == user
    assert "Welcome" in response.content.decode()


@pytest.mark.parametrize("data, field", [
    ({"email": "x@test.com", "password1": "correct-horse-9", "password2": "different-horse-9"}, "password2"),
    ({"email": "x@test.com", "password1": "short", "password2": "short"}, "password2"),
    ({"email": "x@test.com", "password1": "password123", "password2": "password123"}, "password2"),
    ({"email": "not-an-email", "password1": "correct-horse-9", "password2": "correct-horse-9"}, "email"),
    ({"email": "USER@test.com", "password1": "correct-horse-9", "password2": "correct-horse-9"}, "email"),
])
def test_signup_validation(client, user, data, field):
    response = client.post("/signup/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert get_user_model().objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_signup_can_be_closed(client, settings):
    settings.XPENSER_SIGNUP_OPEN = False
    assert client.get("/signup/").status_code == 404
    assert 'href="/signup/"' not in client.get("/accounts/login/").content.decode()
