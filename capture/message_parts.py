"""What a received message says: its id, subject, the body lines to read and the attached files."""

import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from django.utils.html import strip_tags

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


def message_id(message: EmailMessage, raw: bytes) -> str:
    """The Message-ID without its brackets; a digest of the whole message when it has none (a redelivery is
    the same bytes)."""
    value = str(message.get("Message-ID", "") or "").strip().strip("<>").strip()
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
        text = strip_tags(re.sub(r"(?i)<br\s*/?>|</(p|div|li|tr)>", "\n", text))
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
