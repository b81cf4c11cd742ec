"""What a received message says: its id, subject, the body lines to read and the attached files."""

import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

from expenses.services import receipt_kind

# Body lines read at most (a long mail is a letter, not a list of expenses).
MAX_BODY_LINES = 30
MAX_MESSAGE_ID = 255
REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|tr|sv|vs)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
# Where the user's own text ends: a signature, or the quoted or forwarded message below it.
END_OF_TEXT = re.compile(r"^(-- ?|_{5,}|-{5,}.*|-+ ?(original|forwarded) message ?-+|on .+ wrote:)$", re.IGNORECASE)
ATTACHMENT_TYPES = ("application/pdf", "application/octet-stream")


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    content_type: str

    @property
    def is_receipt_kind(self) -> bool:
        """An image or a PDF by its content (the declared type is not trusted)."""
        return receipt_kind(self.data[:16]) is not None


def message_parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def message_id_header(raw: bytes) -> str:
    """The Message-ID header as written, on one line; "" when there is none or it is not UTF-8. Read from the
    bytes: the email package's parsers fail on malformed ids (`<>`, `<@>`), cut an id at a space (`<a b@x>`)
    or turn its non-ASCII bytes into U+FFFD (two ids in one)."""
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    for line in re.sub(rb"\r?\n[ \t]", b" ", head).splitlines():
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"message-id":
            try:
                return " ".join(value.decode("utf-8").split())
            except UnicodeDecodeError:
                return ""
    return ""


def message_id(header: str, raw: bytes) -> str:
    """The Message-ID (its `header`, message_id_header) without its brackets; a digest of the whole message when
    it has none (a redelivery is the same bytes)."""
    value = header.strip("<>").strip()
    if not value or len(value) > MAX_MESSAGE_ID:
        return "sha256:" + hashlib.sha256(value.encode() if value else raw).hexdigest()
    return value


def message_subject(message: EmailMessage) -> str:
    """The subject without `Re:` / `Fwd:` prefixes, on one line."""
    subject = " ".join(str(message.get("Subject", "") or "").split())
    return REPLY_PREFIX.sub("", subject).strip()


def message_date(message: EmailMessage):
    try:
        value = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    return value if value is not None and value.tzinfo is not None else None


def message_is_automatic(message: EmailMessage) -> bool:
    """An auto-reply, bounce or list mail: recorded, never answered (no mail loops)."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return auto != "no" or precedence in ("bulk", "list", "junk") or not message.get("From")


class _HTMLText(HTMLParser):
    """The text of an HTML body as its reader sees it: entities decoded, no style sheet, script or title, a line
    per block (`<p>`, `<div>`, `<li>`, a table row, `<br>`), table cells apart. (Not `<head>` as a whole: HTML
    lets it go unclosed.)"""

    HIDDEN = frozenset({"style", "script", "template", "title"})
    BLOCKS = frozenset({"p", "div", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
    CELLS = frozenset({"td", "th"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in self.CELLS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    reader = _HTMLText()
    reader.feed(html)
    reader.close()
    return "".join(reader.parts)


def body_lines(message: EmailMessage) -> list[str]:
    """The non-empty lines the sender wrote, above any signature or quoted text."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return []
    try:
        text = part.get_content()
    except (LookupError, ValueError):  # an unknown charset
        text = part.get_payload(decode=True).decode("utf-8", "replace")
    if part.get_content_subtype() == "html":
        text = html_text(text)
    lines = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if END_OF_TEXT.match(line):
            break
        if line and not line.startswith(">"):
            lines.append(line)
    return lines


def attachments(message: EmailMessage) -> list[Attachment]:
    """Every attached (or inline) file other than the body's own text."""
    body = message.get_body(preferencelist=("plain", "html"))
    found = []
    for number, part in enumerate(message.walk(), start=1):
        if part.is_multipart() or part is body:
            continue
        content_type = part.get_content_type()
        name = part.get_filename() or ""
        if part.get_content_maintype() == "text" and not name:
            continue
        if not (name or content_type.startswith("image/") or content_type in ATTACHMENT_TYPES):
            continue
        data = part.get_payload(decode=True) or b""
        if data:
            found.append(Attachment(name or f"attachment-{number}", data, content_type))
    return found
