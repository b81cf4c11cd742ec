"""The SMTP receiver end to end: smtplib talks to it on a real port, as a sending server would."""

import io
import smtplib
import threading
import time

import pytest
from django.core import mail
from django.core.management import call_command

from capture.management.commands import receive_mail
from capture.models import CapturedMessage
from capture.smtp import smtp_controller
from expenses.models import Expense, Receipt
from tests.capture.conftest import make_message, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)
PORT = 2525


@pytest.fixture
def receiver():
    controller = smtp_controller(host="127.0.0.1", port=PORT)
    controller.start()
    yield controller
    controller.stop()
    controller.handler.close()


def send(message, to=None):
    with smtplib.SMTP("127.0.0.1", PORT, timeout=10) as client:
        return client.send_message(message, to_addrs=[to or message["To"]])


def test_a_mailed_expense_is_recorded_with_its_receipt_before_the_250(receiver, user, address):
    message = make_message(address.address, "lunch 45 with jack #cash", files=[("r.png", png_bytes(), "image", "png")],
                           message_id="<smtp-1@example.com>")
    assert send(message) == {}
    expense = Expense.objects.owned_by(user).get()  # already there when send() returns
    assert (expense.type, str(expense.amount), expense.notes, expense.sourceid) == (
        "lunch", "45.00", "with jack", "smtp-1@example.com")
    assert [tag.name for tag in expense.tags.all()] == ["cash"]
    assert Receipt.objects.owned_by(user).get().expense == expense
    assert mail.outbox[0].subject == "Re: lunch 45 with jack #cash"


def test_a_photo_only_mail_becomes_an_expense_to_review(receiver, user, address):
    send(make_message(address.address, "", files=[("r.png", png_bytes(), "image", "png")]))
    expense = Expense.objects.owned_by(user).get()
    assert expense.amount == 0 and Receipt.objects.owned_by(user).get().expense == expense


def test_a_redelivery_records_nothing(receiver, user, address):
    message = make_message(address.address, "taxi 12", message_id="<twice@example.com>")
    send(message)
    send(message)
    assert Expense.objects.owned_by(user).count() == 1 and CapturedMessage.objects.count() == 1


def test_an_unknown_address_is_refused_with_550(receiver, user, address):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(make_message(f"wrong{address.secret}@in.xpenser.test", "lunch 45"))
    [(code, text)] = refused.value.recipients.values()
    assert code == 550 and b"no such address" in text
    assert Expense.objects.count() == 0 and CapturedMessage.objects.count() == 0


def test_a_message_over_the_limit_is_refused_with_552(settings, user, address):
    settings.XPENSER_MAIL_MAX_BYTES = 20_000
    controller = smtp_controller(host="127.0.0.1", port=PORT)
    controller.start()
    try:
        message = make_message(address.address, "lunch 45", files=[("big.bin", b"x" * 30_000, "application", "pdf")])
        with smtplib.SMTP("127.0.0.1", PORT, timeout=10) as client:
            client.ehlo()
            assert client.has_extn("size") and client.esmtp_features["size"] == "20000"
            # Announced with SIZE: refused at MAIL FROM.
            with pytest.raises(smtplib.SMTPSenderRefused) as refused:
                client.send_message(message)
            assert refused.value.smtp_code == 552
        with smtplib.SMTP("127.0.0.1", PORT, timeout=10) as client:
            # Not announced: refused at the end of DATA.
            client.ehlo()
            client.mail("jack@example.com")
            assert client.rcpt(address.address)[0] == 250
            code, _ = client.data(message.as_bytes().replace(b"\n", b"\r\n"))
            assert code == 552
    finally:
        controller.stop()
        controller.handler.close()
    assert Expense.objects.count() == 0 and CapturedMessage.objects.count() == 0 and Receipt.objects.count() == 0


def test_one_unknown_recipient_does_not_stop_the_known_one(receiver, user, address):
    message = make_message(address.address, "lunch 45")
    with smtplib.SMTP("127.0.0.1", PORT, timeout=10) as client:
        refused = client.send_message(message, to_addrs=[address.address, "nobody@in.xpenser.test"])
    assert list(refused) == ["nobody@in.xpenser.test"]
    assert Expense.objects.owned_by(user).count() == 1


def test_the_receive_mail_command_serves_until_stopped(user, address):
    command, out = receive_mail.Command(), io.StringIO()
    thread = threading.Thread(target=call_command, args=(command, "--host", "127.0.0.1", "--port", str(PORT + 1)),
                              kwargs={"stdout": out})
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while "Receiving mail on 127.0.0.1:2526" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        with smtplib.SMTP("127.0.0.1", PORT + 1, timeout=10) as client:
            client.send_message(make_message(address.address, "coffee 3"))
    finally:
        command.stopping.set()
        thread.join(timeout=10)
    assert Expense.objects.owned_by(user).get().type == "coffee"
    assert out.getvalue().endswith("Stopped\n")
