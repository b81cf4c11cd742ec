"""message_parse splits multipart bodies itself: it must read every message as the standard parser does."""

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest

from capture import message_parts
from tests.capture.conftest import make_message, png_bytes
from tests.expenses.v2.receipt_files import image, pdf


def _shape(message: EmailMessage) -> list:
    return [(part.get_content_type(), part.get_filename(), list(part.items()),
             None if part.is_multipart() else part.get_payload(decode=True)) for part in message.walk()]


def _standard(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def _messages():
    plain = make_message("a@in.x", "lunch 45", "taxi 12\r\ncoffee 3\r\n")
    yield "plain", plain.as_bytes()
    html = make_message("a@in.x", "", "")
    html.set_content("<p>taxi 12</p>", subtype="html")
    yield "html", html.as_bytes()
    files = make_message("a@in.x", "lunch 45", "Sent from my phone",
                         files=[("r.png", png_bytes(), "image", "png"), ("r.pdf", pdf(2), "application", "pdf"),
                                ("notes.txt", b"just text\n", "text", "plain")])
    yield "attachments", files.as_bytes()
    yield "attachments, CRLF", files.as_bytes().replace(b"\n", b"\r\n")
    related = make_message("a@in.x", "lunch 45", "see the picture")
    related.add_alternative("<p>see <img src='cid:logo'></p>", subtype="html")
    related.get_payload()[1].add_related(image("JPEG"), maintype="image", subtype="jpeg", cid="<logo>")
    related.add_attachment(image("JPEG"), maintype="image", subtype="jpeg", filename="r.jpg")
    yield "alternative and related", related.as_bytes()
    preamble = files.as_bytes().replace(b"\n\n--", b"\n\nThis is a multi-part message in MIME format.\n\n--", 1)
    yield "preamble", preamble
    forwarded = make_message("a@in.x", "Fwd: lunch", "below")
    forwarded.add_attachment(make_message("b@in.x", "lunch 45", "inner"))
    yield "forwarded message", forwarded.as_bytes()
    unclosed = files.as_bytes()
    yield "no closing boundary", unclosed[: unclosed.rindex(b"--")] + b"\n"
    boundary = files.get_boundary().encode()
    yield "boundary inside a line", files.as_bytes().replace(b"Sent from my phone", b"x --" + boundary + b" y")
    yield "no header end", b"Subject: lunch 45"


@pytest.mark.parametrize(("name", "raw"), list(_messages()), ids=[name for name, _ in _messages()])
def test_every_message_reads_as_the_standard_parser_reads_it(name, raw):
    parsed, standard = message_parts.message_parse(raw), _standard(raw)
    assert _shape(parsed) == _shape(standard)
    assert message_parts.body_lines(parsed) == message_parts.body_lines(standard)
    assert message_parts.attachments(parsed) == message_parts.attachments(standard)
    assert message_parts.message_subject(parsed) == message_parts.message_subject(standard)


@pytest.mark.parametrize("name", ["plain", "html", "attachments", "attachments, CRLF", "alternative and related",
                                  "preamble", "boundary inside a line"])
def test_ordinary_mail_is_split_without_the_line_by_line_parser(name, monkeypatch):
    raw, whole = dict(_messages())[name], []
    parsebytes = BytesParser.parsebytes

    def recording(self, text, headersonly=False):
        whole.append(not headersonly)
        return parsebytes(self, text, headersonly)

    monkeypatch.setattr(BytesParser, "parsebytes", recording)
    message_parts.message_parse(raw)
    assert whole and not any(whole)
