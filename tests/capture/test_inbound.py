"""Hosted mail services' inbound webhooks (django-anymail): signed requests recorded, others refused."""

import base64
import hashlib
import hmac

import pytest

from capture.models import CapturedMessage
from expenses.models import Expense, Receipt
from tests.capture.conftest import make_message, png_bytes

pytestmark = pytest.mark.django_db
URL = "/anymail/mailgun/inbound_mime/"
SIGNING_KEY = "key-for-tests"
BASIC = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"hook:s3cret").decode()}


@pytest.fixture
def mailgun(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret", "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


def payload(address, signature=None, files=()):
    message = make_message(address.address, "lunch 45 with jack #cash",
                           files=[("r.png", png_bytes(), "image", "png"), *files], message_id="<hosted-1@example.com>")
    timestamp, token = "1764590400", "a" * 50
    good = hmac.new(SIGNING_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {"body-mime": message.as_string(), "recipient": address.address, "sender": "jack@example.com",
            "timestamp": timestamp, "token": token, "signature": good if signature is None else signature}


def test_a_signed_inbound_message_is_recorded(client, mailgun, user, address):
    answer = client.post(URL, payload(address), **BASIC)
    assert answer.status_code == 200
    expense = Expense.objects.owned_by(user).get()
    assert (expense.type, str(expense.amount), expense.sourceid) == ("lunch", "45.00", "hosted-1@example.com")
    assert Receipt.objects.owned_by(user).get().expense == expense
    assert CapturedMessage.objects.owned_by(user).get().via == "mailgun"
    # The service retries what it thinks failed: the same message again records nothing.
    assert client.post(URL, payload(address), **BASIC).status_code == 200
    assert Expense.objects.owned_by(user).count() == 1


def test_a_bad_signature_is_refused(client, mailgun, user, address):
    answer = client.post(URL, payload(address, signature="0" * 64), **BASIC)
    assert answer.status_code == 400
    assert Expense.objects.count() == 0 and CapturedMessage.objects.count() == 0


def test_a_missing_or_wrong_webhook_secret_is_refused(client, mailgun, user, address):
    assert client.post(URL, payload(address)).status_code == 400
    wrong = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"hook:guess").decode()}
    assert client.post(URL, payload(address), **wrong).status_code == 400
    assert Expense.objects.count() == 0


def test_a_service_not_set_up_has_no_webhook(client, settings, user, address):
    settings.ANYMAIL = {}
    assert client.post(URL, payload(address), **BASIC).status_code == 404
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}  # Mailgun's signing key missing
    assert client.post(URL, payload(address), **BASIC).status_code == 404
    assert Expense.objects.count() == 0


def test_a_message_over_the_size_limit_records_nothing(client, mailgun, settings, user, address):
    scan = ("scan.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 12, "application", "pdf")
    settings.XPENSER_MAIL_MAX_BYTES = 3500  # the message (its scan in base64) is larger, the request not twice that
    answer = client.post(URL, payload(address, files=[scan]), **BASIC)
    assert answer.status_code == 200  # acknowledged: the service would only send it again
    assert not Expense.objects.exists() and not CapturedMessage.objects.exists()
    settings.XPENSER_MAIL_MAX_BYTES = 100  # the request itself is over twice the limit: refused unread
    refused = client.post(URL, payload(address, files=[scan]), **BASIC)
    assert refused.status_code == 413 and b"over the limit of 100 bytes" in refused.content
    assert not Expense.objects.exists() and not CapturedMessage.objects.exists()


def test_form_fields_over_djangos_memory_limit_are_a_413_not_a_400(client, mailgun, settings, user, address):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000  # body-mime (a form field) is larger; the mail limit is not reached
    scan = ("scan.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 12, "application", "pdf")
    refused = client.post(URL, payload(address, files=[scan]), **BASIC)
    assert refused.status_code == 413
    assert b"form fields over 2000 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE)" in refused.content
    assert not Expense.objects.exists() and not CapturedMessage.objects.exists()
