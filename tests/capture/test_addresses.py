"""Each user's private address: unguessable, unique, replaceable (the old one refused), on the Settings page."""

import pytest

from capture.models import SECRET_LENGTH, CaptureAddress
from capture.selectors import capture_address_owner
from capture.services import capture_address_get_or_create, capture_address_replace
from tests.capture.conftest import DOMAIN

pytestmark = pytest.mark.django_db


def test_an_address_is_made_once_per_user_and_unguessable(user, other_user):
    first = capture_address_get_or_create(user=user)
    assert capture_address_get_or_create(user=user) == first
    other = capture_address_get_or_create(user=other_user)
    assert first.secret != other.secret
    assert len(first.secret) == SECRET_LENGTH and first.secret.isalnum() and first.secret == first.secret.lower()
    assert first.address == f"{first.secret}@{DOMAIN}"
    assert CaptureAddress.objects.count() == 2


def test_the_address_finds_its_owner_and_nothing_else(user, other_user, address):
    assert capture_address_owner(address.address) == user
    assert capture_address_owner(address.address.upper()) == user
    assert capture_address_owner(f"<{address.address}>") == user
    assert capture_address_owner(f"{address.secret}@elsewhere.test") is None
    assert capture_address_owner(f"expenses+{address.secret}@mailbox.test") == user  # a polled mailbox
    assert capture_address_owner(f"x{address.secret}@{DOMAIN}") is None
    assert capture_address_owner(f"@{DOMAIN}") is None
    user.is_active = False
    user.save()
    assert capture_address_owner(address.address) is None


def test_replacing_the_address_refuses_the_old_one(user, address):
    old = address.address
    new = capture_address_replace(user=user)
    assert new.pk == address.pk and new.address != old
    assert capture_address_owner(old) is None
    assert capture_address_owner(new.address) == user


def test_the_settings_page_shows_the_address_and_replaces_it(client, user, address):
    client.force_login(user)
    page = client.get("/settings/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<code data-capture-address>{address.address}</code>" in html
    assert 'action="/settings/email-in/replace/"' in html and "Replace my address" in html
    answer = client.post("/settings/email-in/replace/")
    assert answer.status_code == 302 and answer["Location"] == "/settings/#email-in"
    new = CaptureAddress.objects.get(pk=address.pk)
    assert new.secret != address.secret
    html = client.get("/settings/").content.decode()
    assert new.address in html and address.address not in html


def test_replacing_needs_a_signed_in_post(client, user, address):
    assert client.post("/settings/email-in/replace/").status_code == 302  # to the sign-in page
    client.force_login(user)
    assert client.get("/settings/email-in/replace/").status_code == 405
    assert CaptureAddress.objects.get(pk=address.pk).secret == address.secret


def test_the_settings_page_says_when_email_in_is_off(client, user, settings):
    settings.XPENSER_MAIL_DOMAIN = ""
    client.force_login(user)
    html = client.get("/settings/").content.decode()
    assert "Email in is not set up on this server" in html
    assert CaptureAddress.objects.count() == 0
