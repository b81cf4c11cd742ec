"""Password reset mails a link only where email is configured; otherwise the page says how an administrator helps."""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_without_email_the_page_says_to_ask_an_administrator_and_sends_nothing(client, user, settings):
    settings.XPENSER_PASSWORD_RESET_BY_EMAIL = False
    page = client.get("/accounts/password_reset/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "cannot mail you a reset link" in body and "manage.py changepassword" in body
    assert "<form" not in body.split("<main")[1]
    client.post("/accounts/password_reset/", {"email": user.email})
    assert mail.outbox == []


def test_with_email_configured_the_form_mails_a_working_link(client, user, settings):
    settings.XPENSER_PASSWORD_RESET_BY_EMAIL = True
    assert "Send the link" in client.get("/accounts/password_reset/").content.decode()
    response = client.post("/accounts/password_reset/", {"email": user.email}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    link = next(word for word in mail.outbox[0].body.split() if "/accounts/reset/" in word)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "a-new-passphrase-9",
                                                    "new_password2": "a-new-passphrase-9"}, follow=True)
    assert "Password set" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("a-new-passphrase-9")


def test_login_page_links_to_the_reset(client):
    assert 'href="/accounts/password_reset/"' in client.get("/accounts/login/").content.decode()
