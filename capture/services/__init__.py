"""Writes of email in: the users' addresses and the messages they receive.

- addresses: each user's private address, created on first use and replaced on request;
- mail: one message (raw bytes) recorded for the owners of its recipient addresses: expenses from the
  subject or body lines, receipts from the attachments, once per Message-ID;
- replies: the reply that says what was recorded, sent as a background task.
"""

from .addresses import capture_address_get_or_create, capture_address_replace
from .mail import MailOutcome, mail_max_bytes, mail_receive, mail_record
from .replies import reply_send
