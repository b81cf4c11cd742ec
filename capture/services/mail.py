"""One received message recorded for the owners of its recipient addresses, once per Message-ID.

The subject is read by the free-form parser (`lunch 45 with jack #cash`); when it is empty or does not read
as an expense, each non-empty line of the body is. Every image or PDF attached becomes a receipt of the
(first) expense; a message with receipts but no amount in its text becomes an expense to review, its amount
read from the receipt later. The message id is the expenses' `sourceid`.

Only what must hold before the sender gets its answer is done here (one transaction: the message, its
expenses, the receipt files judged by size and header); decoding, thumbnails and reading the receipts are
jobs queued once it commits (capture.tasks.check_receipt, then ocr's reading).
"""

import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from expenses import services as expense_services
from xpenser_server.errors import InvalidInput

from .. import message_parts
from ..models import CapturedMessage
from ..selectors import capture_owners_of
from ..tasks import check_receipt_after_commit
from .replies import reply_send

logger = logging.getLogger(__name__)
SOURCEID_LENGTH = 100


@dataclass
class MailOutcome:
    """What one message recorded for one owner (`duplicate`: it had been recorded before, nothing was)."""

    owner: object
    message_id: str
    duplicate: bool = False
    expenses: list = field(default_factory=list)
    receipts: list = field(default_factory=list)
    timer: str = ""
    to_review: bool = False
    problems: list = field(default_factory=list)


def mail_max_bytes() -> int:
    return settings.XPENSER_MAIL_MAX_BYTES


def mail_receive(*, raw: bytes, recipients, via: str, owner=None) -> list[MailOutcome]:
    """Record the message (its raw bytes) for each user whose address is among `recipients`; for `owner`
    when none is (a mailbox polled for one user)."""
    owners = capture_owners_of(recipients) or ([owner] if owner is not None else [])
    if not owners:
        # The SMTP receiver refuses such recipients before the data; a hosted service posts them anyway.
        logger.info("%s message for none of this server's addresses (%d recipients): not recorded", via,
                    len(list(recipients)))  # fmt: skip
        return []
    message = message_parts.message_parse(raw)
    return [mail_record(owner=found, message=message, raw=raw, via=via) for found in owners]


def mail_record(*, owner, message, raw: bytes, via: str) -> MailOutcome:
    """Record the message for `owner`, all in one transaction; a message recorded before records nothing."""
    header = message_parts.message_id_header(raw)
    message_id = message_parts.message_id(header, raw)
    subject = message_parts.message_subject(message)
    outcome = MailOutcome(owner, message_id)
    with transaction.atomic():
        try:
            with transaction.atomic():
                captured = CapturedMessage.objects.create(owner=owner, message_id=message_id, via=via[:20],
                                                          subject=subject[:255])  # fmt: skip
        except IntegrityError:
            outcome.duplicate = True
            return outcome
        _record(outcome, message, subject)
        captured.expenses, captured.receipts = len(outcome.expenses), len(outcome.receipts)
        captured.problems = "\n".join(outcome.problems)
        captured.save(update_fields=["expenses", "receipts", "problems"])
        if not message_parts.message_is_automatic(message):
            transaction.on_commit(lambda: reply_send(outcome=outcome, in_reply_to=header, subject=subject))
    return outcome


def _sourceid(message_id: str, number: int) -> str:
    """The message id, `#2`, `#3`... after it for the second and later expenses of one message."""
    suffix = f"#{number}" if number > 1 else ""
    if len(message_id) + len(suffix) > SOURCEID_LENGTH:
        message_id = "sha256:" + hashlib.sha256(message_id.encode()).hexdigest()[:40]
    return message_id + suffix


def _entry(outcome: MailOutcome, text: str) -> str | None:
    """Record one line of text; the reason it was not recorded, or None."""
    try:
        with transaction.atomic():
            entry = expense_services.entry_create(user=outcome.owner, text=text)
            if entry.expense is not None:
                entry.expense.sourceid = _sourceid(outcome.message_id, len(outcome.expenses) + 1)
                entry.expense.save(update_fields=["sourceid"])
    except InvalidInput as problem:
        return problem.message
    if entry.timer is not None:
        outcome.timer = entry.timer.action
    if entry.expense is not None:
        outcome.expenses.append(entry.expense)
    return None


def _record(outcome: MailOutcome, message, subject: str) -> None:
    subject_problem = _entry(outcome, subject) if subject else "the subject is empty"
    if subject_problem is not None:
        lines = message_parts.body_lines(message)
        for line in lines[: message_parts.MAX_BODY_LINES]:
            problem = _entry(outcome, line)
            if problem is not None:
                outcome.problems.append(f"{line!r}: {problem}")
        if len(lines) > message_parts.MAX_BODY_LINES:
            outcome.problems.append(f"only the first {message_parts.MAX_BODY_LINES} lines were read")
        if not lines and subject:
            outcome.problems.append(f"subject {subject!r}: {subject_problem}")
    files = message_parts.attachments(message)
    receipts = [file for file in files if file.is_receipt_kind]
    outcome.problems += [f"{file.name!r} is not an image or a PDF: not kept" for file in files
                         if not file.is_receipt_kind]  # fmt: skip
    if not receipts:
        return
    with transaction.atomic():
        expense = outcome.expenses[0] if outcome.expenses else expense_services.expense_create_to_review(
            user=outcome.owner, notes=subject if subject_problem else "", sourceid=_sourceid(outcome.message_id, 1),
            date=message_parts.message_date(message))
        for file in receipts:
            try:
                with transaction.atomic():
                    receipt = expense_services.receipt_add_unchecked(expense=expense,
                                                                     upload=ContentFile(file.data, file.name))
            except InvalidInput as problem:
                outcome.problems.append(f"receipt {file.name!r} not kept: {problem.message}")
            else:
                check_receipt_after_commit(receipt)
                outcome.receipts.append(file.name)
        if not outcome.expenses:
            if not outcome.receipts:
                # No receipt was kept: an expense to review would have nothing to be read from.
                transaction.set_rollback(True)
                return
            outcome.expenses.append(expense)
            outcome.to_review = True
            # The subject that read as no expense is the notes of the one to review: not a problem to report.
            unread = f"subject {subject!r}: {subject_problem}"
            outcome.problems = [problem for problem in outcome.problems if problem != unread]
