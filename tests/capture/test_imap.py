"""IMAP polling against a real dovecot that the test starts: each message recorded once, however often polled."""

import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from imap_tools import MailBoxUnencrypted

from capture.imap import RECORDED_KEYWORD, TOO_BIG_KEYWORD, ImapSource, mail_poll
from expenses.models import Expense, Receipt
from tests.capture.conftest import make_message, png_bytes
from tests.capture.dovecot import DOVECOT, Dovecot

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.live,
    pytest.mark.skipif(DOVECOT is None, reason="dovecot is not installed (Debian: apt-get install dovecot-imapd)"),
]
PORT = 10143


@pytest.fixture
def dovecot():
    # Not pytest's tmp_path: its parents are private to the test's user, and dovecot's auth process runs as
    # another user that must read the passwd file.
    root = Path(tempfile.mkdtemp(prefix="xpenser-dovecot-"))
    server = Dovecot(root, PORT).start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def url(server, folder="INBOX"):
    return f"imap://{server.user}:{server.password}@127.0.0.1:{server.port}/{folder}"


def append(server, message, folder="INBOX"):
    with MailBoxUnencrypted("127.0.0.1", server.port).login(server.user, server.password) as box:
        box.append(message.as_bytes(), folder)


def test_a_message_in_the_folder_is_recorded_once_across_two_polls(dovecot, user, address):
    to = f"expenses+{address.secret}@mailbox.test"  # the mailbox's own address, the secret as its subaddress
    append(dovecot, make_message(to, "lunch 45 with jack #cash", files=[("r.png", png_bytes(), "image", "png")],
                                 message_id="<imap-1@example.com>"))
    source = ImapSource.from_url(url(dovecot))
    assert mail_poll(source) == 1
    assert mail_poll(source) == 0
    expense = Expense.objects.owned_by(user).get()
    assert (expense.type, str(expense.amount), expense.sourceid) == ("lunch", "45.00", "imap-1@example.com")
    assert Receipt.objects.owned_by(user).get().expense == expense
    with MailBoxUnencrypted("127.0.0.1", dovecot.port).login(dovecot.user, dovecot.password) as box:
        [message] = box.fetch(mark_seen=False)
        assert "\\Seen" in message.flags and RECORDED_KEYWORD in message.flags


def test_a_lost_flag_still_records_nothing_twice(dovecot, user, address):
    append(dovecot, make_message(address.address, "taxi 12", message_id="<imap-2@example.com>"))
    source = ImapSource.from_url(url(dovecot))
    mail_poll(source)
    with MailBoxUnencrypted("127.0.0.1", dovecot.port).login(dovecot.user, dovecot.password) as box:
        box.flag([m.uid for m in box.fetch(mark_seen=False)], [RECORDED_KEYWORD], False)
    assert mail_poll(source) == 1  # read again...
    assert Expense.objects.owned_by(user).count() == 1  # ...but recorded once


def test_the_command_moves_messages_for_its_owner_to_the_processed_folder(dovecot, user, address, capsys):
    append(dovecot, make_message("me@mailbox.test", "coffee 3"))
    call_command("poll_mail", "--url", url(dovecot), "--processed-folder", "Recorded", "--owner", user.email)
    call_command("poll_mail", "--url", url(dovecot), "--processed-folder", "Recorded", "--owner", user.email)
    assert capsys.readouterr().out == "1 message read\n0 messages read\n"
    assert Expense.objects.owned_by(user).get().type == "coffee"
    with MailBoxUnencrypted("127.0.0.1", dovecot.port).login(dovecot.user, dovecot.password) as box:
        assert list(box.fetch(mark_seen=False)) == []
        box.folder.set("Recorded")
        assert len(list(box.fetch(mark_seen=False))) == 1


def test_a_message_over_the_size_limit_is_flagged_and_not_recorded(dovecot, settings, user, address):
    scan = ("scan.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 12, "application", "pdf")
    append(dovecot, make_message(address.address, "dinner 80", files=[scan], message_id="<imap-big@example.com>"))
    append(dovecot, make_message(address.address, "taxi 12", message_id="<imap-small@example.com>"))
    settings.XPENSER_MAIL_MAX_BYTES = 2000  # the one with the scan is larger
    source = ImapSource.from_url(url(dovecot))
    assert mail_poll(source) == 1
    assert mail_poll(source) == 0
    assert [e.type for e in Expense.objects.owned_by(user)] == ["taxi"]
    with MailBoxUnencrypted("127.0.0.1", dovecot.port).login(dovecot.user, dovecot.password) as box:
        flags = {m.subject: m.flags for m in box.fetch(mark_seen=False)}
    assert TOO_BIG_KEYWORD in flags["dinner 80"] and "\\Seen" not in flags["dinner 80"]
    assert RECORDED_KEYWORD in flags["taxi 12"]


def test_a_bad_password_is_a_clear_error(dovecot):
    with pytest.raises(CommandError, match="could not poll 127.0.0.1"):
        call_command("poll_mail", "--url", f"imap://poller:wrong@127.0.0.1:{dovecot.port}/INBOX")


def test_a_bad_url_is_a_clear_error():
    with pytest.raises(CommandError, match="must look like imaps://"):
        call_command("poll_mail", "--url", "http://example.com/")
