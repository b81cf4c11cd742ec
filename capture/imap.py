"""IMAP polling, for a mailbox without an MX: each new message of a folder is recorded once, then flagged
(\\Seen and the XpenserRecorded keyword) or moved to a processed folder, so no poll reads it again (and the
Message-ID check records nothing twice should a flag be lost). A message over XPENSER_MAIL_MAX_BYTES is not
downloaded: it is flagged XpenserTooBig, left where it is and logged (the SMTP receiver's 552)."""

import logging
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessageFlags

from xpenser_server.errors import InvalidInput

from .selectors import header_addresses
from .services import mail_max_bytes, mail_receive

logger = logging.getLogger(__name__)
RECORDED_KEYWORD = "XpenserRecorded"
TOO_BIG_KEYWORD = "XpenserTooBig"
SCHEMES = {"imap": (MailBoxUnencrypted, 143), "imap+starttls": (MailBoxStartTls, 143), "imaps": (MailBox, 993)}


@dataclass(frozen=True)
class ImapSource:
    """Where to poll: `imaps://user:password@host:993/Folder` (imap:// plain, imap+starttls:// upgraded)."""

    scheme: str
    host: str
    port: int
    user: str
    password: str
    folder: str
    processed_folder: str = ""
    owner_email: str = ""

    @classmethod
    def from_url(cls, url: str, *, processed_folder: str = "", owner_email: str = "") -> "ImapSource":
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise InvalidInput(f"XPENSER_IMAP_URL must look like imaps://user:password@host/INBOX "
                               f"(schemes: {', '.join(SCHEMES)})")  # fmt: skip
        return cls(parts.scheme, parts.hostname, parts.port or SCHEMES[parts.scheme][1], unquote(parts.username or ""),
                   unquote(parts.password or ""), unquote(parts.path.lstrip("/")) or "INBOX", processed_folder,
                   owner_email)  # fmt: skip

    @classmethod
    def from_settings(cls) -> "ImapSource":
        if not settings.XPENSER_IMAP_URL:
            raise InvalidInput("set XPENSER_IMAP_URL (e.g. imaps://user:password@host/INBOX) to poll a mailbox")
        return cls.from_url(settings.XPENSER_IMAP_URL, processed_folder=settings.XPENSER_IMAP_PROCESSED_FOLDER,
                            owner_email=settings.XPENSER_IMAP_OWNER)  # fmt: skip

    def mailbox(self):
        box_class = SCHEMES[self.scheme][0]
        return box_class(self.host, self.port).login(self.user, self.password, initial_folder=self.folder)


def _owner(source: ImapSource):
    if not source.owner_email:
        return None
    owner = get_user_model().objects.filter(email__iexact=source.owner_email, is_active=True).first()
    if owner is None:
        raise InvalidInput(f"XPENSER_IMAP_OWNER: no active user has the address {source.owner_email!r}")
    return owner


def mail_poll(source: ImapSource) -> int:
    """Record the folder's new messages; the number of messages read."""
    owner = _owner(source)
    read = 0
    with source.mailbox() as box:
        if source.processed_folder and not box.folder.exists(source.processed_folder):
            box.folder.create(source.processed_folder)
        for message in _messages(box, _uids_within_limit(box)):
            try:
                outcomes = mail_receive(raw=message.obj.as_bytes(), recipients=header_addresses(message.obj),
                                        via="imap", owner=owner)  # fmt: skip
            except Exception:
                logger.exception("could not record message %s; it stays for the next poll", message.uid)
                continue
            if not outcomes:
                logger.warning("message %s names no user's address: left marked, not recorded", message.uid)
            box.flag(message.uid, [MailMessageFlags.SEEN, RECORDED_KEYWORD], True)
            if source.processed_folder:
                box.move(message.uid, source.processed_folder)
            read += 1
    return read


def _messages(box, uids, per_fetch: int = 20):
    """The messages with these uids, a few per FETCH (a UID set of a whole large mailbox could be longer than a
    server takes on one command line, and a few messages at the limit's size are all that is held at once)."""
    for start in range(0, len(uids), per_fetch):
        yield from box.fetch(AND(uid=uids[start:start + per_fetch]), mark_seen=False, bulk=per_fetch)


def _uids_within_limit(box) -> list[str]:
    """The new messages' uids, from their headers and sizes; those over the limit are flagged and skipped."""
    limit, wanted = mail_max_bytes(), []
    for header in box.fetch(AND(no_keyword=[RECORDED_KEYWORD, TOO_BIG_KEYWORD]), mark_seen=False,
                            headers_only=True, bulk=200):  # fmt: skip
        if header.size_rfc822 > limit:
            logger.warning("message %s is %d bytes, over XPENSER_MAIL_MAX_BYTES (%d): not read", header.uid,
                           header.size_rfc822, limit)  # fmt: skip
            box.flag(header.uid, TOO_BIG_KEYWORD, True)
        else:
            wanted.append(header.uid)
    return wanted
