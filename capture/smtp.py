"""The built-in SMTP receiver (aiosmtpd): an MX or a relay's target for `<secret>@<XPENSER_MAIL_DOMAIN>`.

Unknown recipients are refused at RCPT (550) and messages over XPENSER_MAIL_MAX_BYTES at MAIL FROM's SIZE or
during DATA (552), so nothing is stored for them. A message is recorded before the server answers 250: once
the sender has that answer, the expenses and receipts are in the database (a failure answers 451, and the
sender tries again later).
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import close_old_connections

from .selectors import capture_address_owner
from .services import mail_max_bytes, mail_receive

logger = logging.getLogger(__name__)
MAX_RECIPIENTS = 50


def _in_thread(function, *args):
    close_old_connections()
    try:
        return function(*args)
    finally:
        close_old_connections()


class CaptureHandler:
    """aiosmtpd handler: the database work runs in a thread pool, never on the event loop."""

    def __init__(self, workers: int = 4):
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="receive-mail")

    async def _run(self, server, function, *args):
        return await server.loop.run_in_executor(self.executor, _in_thread, function, *args)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's hook)
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return f"452 4.5.3 Too many recipients (at most {MAX_RECIPIENTS} per message)"
        try:
            owner = await self._run(server, capture_address_owner, address)
        except Exception:
            logger.exception("could not look up the recipient %s", address)
            return "451 4.3.0 Temporary failure looking up the recipient; try again later"
        if owner is None:
            return f"550 5.1.1 <{address}>: no such address here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook)
        raw = envelope.original_content or b""
        if len(raw) > mail_max_bytes():
            return f"552 5.3.4 Message too big (the maximum is {mail_max_bytes()} bytes)"
        try:
            outcomes = await self._run(server, lambda: mail_receive(raw=raw, recipients=envelope.rcpt_tos, via="smtp"))
        except Exception:
            logger.exception("could not record a message from %s", envelope.mail_from)
            return "451 4.3.0 Could not record the message; try again later"
        recorded = sum(len(outcome.expenses) for outcome in outcomes)
        logger.info("message from %s: %d expense(s) recorded for %d user(s)", envelope.mail_from, recorded,
                    len(outcomes))  # fmt: skip
        return "250 2.0.0 OK: recorded"

    def close(self):
        self.executor.shutdown(wait=True)


def smtp_controller(*, host: str, port: int) -> Controller:
    """A receiver listening on host:port (started with `.start()`, in its own thread)."""
    return Controller(
        CaptureHandler(), hostname=host, port=port, data_size_limit=mail_max_bytes(),
        server_hostname=settings.XPENSER_MAIL_DOMAIN or None, enable_SMTPUTF8=True,
        ident="Xpenser receive_mail",
    )  # fmt: skip
