"""Mail as it arrives in the wild: hosted services' JSON, malformed Message-IDs, HTML-only bodies, receipts
that cannot be kept. What is recorded must be what was sent; nothing is lost without a word."""

import base64
import json
from decimal import Decimal

import pytest
from django.core import mail

from capture.models import CapturedMessage
from capture.services import mail_receive
from expenses.models import Expense, Receipt
from tests.capture.conftest import make_message, png_bytes

pytestmark = pytest.mark.django_db
POSTMARK = "/anymail/postmark/inbound/"
BASIC = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"hook:s3cret").decode()}
# A PNG whose bytes hold CR and LF (its signature does, and so do these), which a text round trip rewrites.
PNG_WITH_NEWLINES = png_bytes() + b"\r\n\r\r\n\n"


@pytest.fixture
def postmark(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    def receive(raw: bytes, to):
        with django_capture_on_commit_callbacks(execute=True):
            return mail_receive(raw=raw, recipients=[to], via="smtp")
    return receive


def postmark_event(address, *, attachments=()):
    return {
        "FromFull": {"Email": "jack@example.com", "Name": "Jack"}, "From": "jack@example.com",
        "ToFull": [{"Email": address.address, "Name": ""}], "To": address.address,
        "OriginalRecipient": address.address, "Subject": "lunch 45 with jack", "TextBody": "", "HtmlBody": "",
        "MessageID": "pm-1", "Headers": [{"Name": "Message-ID", "Value": "<pm-1@example.com>"}],
        "Date": "Tue, 1 Dec 2026 12:00:00 +0000",
        "Attachments": [
            {"Name": name, "Content": base64.b64encode(data).decode(), "ContentType": kind, "ContentLength": len(data)}
            for name, data, kind in attachments
        ],
    }  # fmt: skip


def test_a_hosted_services_attachment_is_kept_byte_for_byte(client, postmark, user, address):
    event = postmark_event(address, attachments=[("r.png", PNG_WITH_NEWLINES, "image/png"),
                                                 ("scan.pdf", b"%PDF-1.4\r\n%\xe2\xe3\r\n" + bytes(range(256)),
                                                  "application/pdf")])  # fmt: skip
    answer = client.post(POSTMARK, json.dumps(event), content_type="application/json", **BASIC)
    assert answer.status_code == 200
    expense = Expense.objects.owned_by(user).get()
    assert (expense.type, expense.amount) == ("lunch", Decimal("45.00"))
    stored = {receipt.name: receipt.file.read() for receipt in Receipt.objects.owned_by(user)}
    assert stored == {"r.png": PNG_WITH_NEWLINES, "scan.pdf": b"%PDF-1.4\r\n%\xe2\xe3\r\n" + bytes(range(256))}


@pytest.mark.parametrize("body", [
    "", "{not json", "[1, 2]", '{"Attachments": "nope"}',
    '{"FromFull": {"Email": "a@b.c"}, "Attachments": [{"Name": "x.png", "Content": "!!!notb64", '
    '"ContentType": "image/png"}]}',
])  # fmt: skip
def test_a_malformed_hosted_payload_is_a_400_and_records_nothing(client, postmark, user, address, body):
    answer = client.post(POSTMARK, body, content_type="application/json", **BASIC)
    assert answer.status_code == 400
    assert answer["Content-Type"] == "text/plain; charset=utf-8"
    assert b"not an inbound message this service sends" in answer.content
    assert not Expense.objects.exists() and not CapturedMessage.objects.exists()


@pytest.mark.parametrize("message_id", ["<>", "<@>", "<<<m10@x", "not bracketed at all"])
def test_a_malformed_message_id_still_records_the_message(user, address, receive, message_id):
    raw = make_message(address.address, "taxi 9").as_bytes().replace(
        b"Message-ID: ", b"Message-ID: " + message_id.encode() + b"\r\nX-Old-Id: ", 1)
    [outcome] = receive(raw, address.address)
    assert [(e.type, e.amount) for e in Expense.objects.owned_by(user)] == [("taxi", Decimal("9.00"))]
    assert outcome.problems == [] and len(mail.outbox) == 1


@pytest.mark.parametrize("ids", [["<shop order@x>", "<shop refund@x>"], ["<café@x>", "<cafè@x>"]])
def test_message_ids_with_spaces_or_accents_are_told_apart(user, address, receive, ids):
    for number, message_id in enumerate(ids, start=1):
        receive(make_message(address.address, f"taxi {number}").as_bytes().replace(
            b"Message-ID: ", b"Message-ID: " + message_id.encode() + b"\r\nX-Old-Id: ", 1), address.address)
    assert sorted(Expense.objects.owned_by(user).values_list("sourceid", flat=True)) == sorted(
        message_id.strip("<>") for message_id in ids)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].extra_headers["In-Reply-To"] == ids[1]


def test_an_html_body_is_read_as_its_reader_sees_it(user, address, receive):
    message = make_message(address.address, "My expenses")
    message.set_content(
        "<html><head><style>p { margin 0 } td { padding 4 }</style><title>Receipts 5</title></head><body>"
        "<p>dinner 45 &amp; drinks</p><div>lunch&nbsp;12 caf&eacute;</div><script>var total = 99;</script>"
        "taxi 9<br>bus 2</body></html>", subtype="html")
    receive(message.as_bytes(), address.address)
    assert [(e.type, e.amount, e.notes) for e in Expense.objects.owned_by(user).order_by("id")] == [
        ("dinner", Decimal("45.00"), "& drinks"), ("lunch", Decimal("12.00"), "café"),
        ("taxi", Decimal("9.00"), ""), ("bus", Decimal("2.00"), "")]


@pytest.mark.parametrize("html", [
    "<html><head><title>Trip</title><body><p>lunch 12</p><p>taxi 9</p>",  # <head> left unclosed, as HTML allows
    "<table><tr><td>lunch</td><td>12</td></tr><tr><td>taxi</td><td>9</td></tr></table>",
])  # fmt: skip
def test_html_without_closed_head_or_in_table_cells_is_read(user, address, receive, html):
    message = make_message(address.address, "My expenses")
    message.set_content(html, subtype="html")
    receive(message.as_bytes(), address.address)
    assert [(e.type, e.amount) for e in Expense.objects.owned_by(user).order_by("id")] == [
        ("lunch", Decimal("12.00")), ("taxi", Decimal("9.00"))]


def test_a_receipt_only_message_whose_receipt_is_refused_records_no_empty_expense(user, address, receive, settings):
    settings.XPENSER_RECEIPT_MAX_BYTES = 100  # the PNG is larger: refused
    [outcome] = receive(make_message(address.address, "", files=[("big.png", png_bytes((200, 200)), "image", "png")])
                        .as_bytes(), address.address)  # fmt: skip
    assert not Expense.objects.exists() and not Receipt.objects.exists()
    assert not outcome.to_review and outcome.expenses == []
    assert [problem.split(":")[0] for problem in outcome.problems] == ["receipt 'big.png' not kept"]
    [reply] = mail.outbox
    assert "to review" not in reply.body and "receipt 'big.png' not kept" in reply.body
    assert CapturedMessage.objects.owned_by(user).get().expenses == 0
