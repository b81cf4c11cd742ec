"""`manage.py poll_mail [--loop]`: record the new messages of the IMAP folder (XPENSER_IMAP_URL)."""

import dataclasses
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from imap_tools.errors import ImapToolsError

from capture.imap import ImapSource, mail_poll
from xpenser_server.errors import InvalidInput


class Command(BaseCommand):
    help = "Record the expenses mailed to an IMAP folder (each message once; see docs/capture.md)."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="imaps://user:password@host/Folder (default: XPENSER_IMAP_URL)")
        parser.add_argument("--processed-folder", help="move recorded messages there (default: flag them)")
        parser.add_argument("--owner", help="the user (email) of messages that name no private address")
        parser.add_argument("--loop", action="store_true", help="keep polling")
        parser.add_argument("--interval", type=int, default=None,
                            help="seconds between polls with --loop (default: XPENSER_IMAP_POLL_SECONDS)")

    def handle(self, *args, url, processed_folder, owner, loop, interval, **options):
        try:
            source = ImapSource.from_settings() if not url else ImapSource.from_url(url)
        except InvalidInput as problem:
            raise CommandError(problem.message) from None
        changes = {"processed_folder": processed_folder, "owner_email": owner}
        source = dataclasses.replace(source, **{key: value for key, value in changes.items() if value is not None})
        interval = interval or settings.XPENSER_IMAP_POLL_SECONDS
        while True:
            try:
                read = mail_poll(source)
            except InvalidInput as problem:
                raise CommandError(problem.message) from None
            except (OSError, ImapToolsError) as problem:
                if not loop:
                    raise CommandError(f"could not poll {source.host}:{source.port}: {problem}") from None
                self.stderr.write(f"could not poll {source.host}:{source.port}: {problem}; trying again")
            else:
                self.stdout.write(f"{read} message{'s' if read != 1 else ''} read")
            if not loop:
                return
            time.sleep(interval)
