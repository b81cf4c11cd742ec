"""One message recorded: the subject or the body lines through the free-form parser, receipts from the
attachments, the message id as sourceid (a redelivery records nothing), and the reply."""

from decimal import Decimal

import pytest
from django.core import mail

from capture.models import CapturedMessage
from capture.services import capture_address_get_or_create, mail_receive
from expenses.models import Expense, Receipt
from tests.capture.conftest import make_message, png_bytes

pytestmark = pytest.mark.django_db
PNG = ("lunch.png", png_bytes(), "image", "png")


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    """Receive a message as the SMTP receiver does, running what waits for the commit (the reply)."""
    def receive(message, to=None, via="smtp"):
        with django_capture_on_commit_callbacks(execute=True):
            return mail_receive(raw=message.as_bytes(), recipients=[to or message["To"]], via=via)
    return receive


def test_the_subject_records_the_expense_with_its_receipt(user, address, receive):
    message = make_message(address.address, "lunch 45 with jack #cash", "Sent from my phone", files=[PNG],
                           message_id="<abc.123@example.com>")
    [outcome] = receive(message)
    expense = Expense.objects.owned_by(user).get()
    assert (expense.type, expense.amount, expense.notes) == ("lunch", Decimal("45.00"), "with jack")
    assert [tag.name for tag in expense.tags.all()] == ["cash"]
    assert expense.sourceid == "abc.123@example.com"
    receipt = Receipt.objects.owned_by(user).get()
    assert receipt.expense == expense and receipt.kind == "PNG" and receipt.name == "lunch.png"
    assert expense.receipt == receipt.file.name
    assert outcome.receipts == ["lunch.png"] and outcome.problems == []
    captured = CapturedMessage.objects.owned_by(user).get()
    assert (captured.message_id, captured.via, captured.expenses, captured.receipts) == (
        "abc.123@example.com", "smtp", 1, 1)


def test_the_reply_says_what_was_recorded(user, address, receive):
    receive(make_message(address.address, "Fwd: lunch 45 with jack #cash", files=[PNG], message_id="<m1@x>"))
    [reply] = mail.outbox
    assert reply.to == [user.email]
    assert reply.subject == "Re: lunch 45 with jack #cash"
    assert reply.extra_headers["In-Reply-To"] == "<m1@x>" and reply.extra_headers["Auto-Submitted"] == "auto-replied"
    assert reply.body == (f"Recorded 1 expense:\n- lunch 45.00 {user.base_currency}: with jack #cash\n"
                          "Receipts kept: lunch.png.\n")


def test_without_an_expense_subject_each_body_line_is_read(user, address, receive):
    body = "taxi 12.50 #travel\n\nhello there\ncoffee 3\n-- \nJack's signature 99\n"
    receive(make_message(address.address, "My expenses", body, message_id="<lines@x>"))
    expenses = Expense.objects.owned_by(user).order_by("id")
    assert [(e.type, e.amount, e.sourceid) for e in expenses] == [
        ("taxi", Decimal("12.50"), "lines@x"), ("coffee", Decimal("3.00"), "lines@x#2")]
    [reply] = mail.outbox
    assert reply.body.startswith(f"Recorded 2 expenses:\n- taxi 12.50 {user.base_currency} #travel\n"
                                 f"- coffee 3.00 {user.base_currency}\n\nNot recorded:\n- 'hello there': no amount")
    assert "one expense per line" in reply.body


def test_a_photo_alone_becomes_an_expense_to_review(user, address, receive):
    [outcome] = receive(make_message(address.address, "", "", files=[PNG], message_id="<photo@x>"))
    expense = Expense.objects.owned_by(user).get()
    assert expense.amount == 0 and expense.sourceid == "photo@x"
    assert outcome.to_review and Receipt.objects.owned_by(user).get().expense == expense
    assert "to review" in mail.outbox[0].body


def test_a_subject_without_amount_and_a_photo_is_to_review_with_the_subject_as_notes(user, address, receive):
    [outcome] = receive(make_message(address.address, "dinner with the team", files=[PNG]))
    expense = Expense.objects.owned_by(user).get()
    assert expense.amount == 0 and expense.notes == "dinner with the team"
    # The reply does not call the subject unread: it is the notes of the expense to review.
    assert outcome.problems == [] and "Not recorded" not in mail.outbox[0].body


def test_a_redelivered_message_records_nothing(user, address, receive):
    message = make_message(address.address, "lunch 45", files=[PNG], message_id="<again@x>")
    receive(message)
    [outcome] = receive(message)
    assert outcome.duplicate
    assert Expense.objects.owned_by(user).count() == 1 and Receipt.objects.owned_by(user).count() == 1
    assert len(mail.outbox) == 1


def test_a_message_without_message_id_is_known_by_its_content(user, address, receive):
    message = make_message(address.address, "lunch 45")
    del message["Message-ID"]
    receive(message)
    receive(message)
    assert Expense.objects.owned_by(user).count() == 1
    assert Expense.objects.owned_by(user).get().sourceid.startswith("sha256:")


def test_the_same_message_to_two_users_records_for_each(user, other_user, address, receive):
    other = capture_address_get_or_create(user=other_user)
    message = make_message(f"{address.address}, {other.address}", "lunch 45")
    outcomes = mail_receive(raw=message.as_bytes(), recipients=[address.address, other.address], via="smtp")
    assert [o.owner for o in outcomes] == [user, other_user]
    assert Expense.objects.owned_by(user).count() == 1 and Expense.objects.owned_by(other_user).count() == 1


def test_unknown_recipients_record_nothing(user, address, receive):
    assert receive(make_message("nobody@in.xpenser.test", "lunch 45")) == []
    assert Expense.objects.count() == 0 and CapturedMessage.objects.count() == 0 and mail.outbox == []


def test_files_that_are_not_receipts_are_named_in_the_reply(user, address, receive):
    files = [("notes.txt", b"just text", "text", "plain"), ("fake.png", b"not a png at all", "image", "png")]
    receive(make_message(address.address, "lunch 45", files=files))
    assert Receipt.objects.count() == 0 and Expense.objects.owned_by(user).count() == 1
    body = mail.outbox[0].body
    assert "- 'notes.txt' is not an image or a PDF: not kept" in body
    assert "- 'fake.png' is not an image or a PDF: not kept" in body


def test_nothing_readable_gets_a_reply_that_says_why(user, address, receive):
    receive(make_message(address.address, "hello", ""))
    assert Expense.objects.count() == 0
    assert mail.outbox[0].body.startswith("Nothing was recorded from your message.\n\nNot recorded:\n- subject 'hello':"
                                          " no amount found")
    assert CapturedMessage.objects.owned_by(user).get().expenses == 0


def test_automatic_mail_is_recorded_but_never_answered(user, address, receive):
    message = make_message(address.address, "lunch 45")
    message["Auto-Submitted"] = "auto-replied"
    receive(message)
    assert Expense.objects.owned_by(user).count() == 1 and mail.outbox == []


def test_a_timer_command_by_mail(user, address, receive):
    receive(make_message(address.address, "Time start client call"))
    assert "Timer started." in mail.outbox[0].body


def test_an_html_only_message_is_read_from_its_text(user, address, receive):
    message = make_message(address.address, "", "")
    message.set_content("<p>taxi 12 #travel</p><div>coffee 3<br>tea 2</div>", subtype="html")
    receive(message)
    assert sorted(e.type for e in Expense.objects.owned_by(user)) == ["coffee", "taxi", "tea"]


def test_an_inline_image_without_a_name_is_a_receipt(user, address, receive):
    message = make_message(address.address, "lunch 45")
    message.add_related(png_bytes(), maintype="image", subtype="png", cid="<logo>")
    receive(message)
    assert Receipt.objects.owned_by(user).get().kind == "PNG"


def test_a_quoted_reply_reads_only_the_new_text(user, address, receive):
    body = "lunch 45\n\nOn Tue, 1 Dec 2026, Xpenser wrote:\n> Recorded 1 expense:\n> - taxi 12\n"
    receive(make_message(address.address, "Re: my expenses", body))
    assert [e.type for e in Expense.objects.owned_by(user)] == ["lunch"]
