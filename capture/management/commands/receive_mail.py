"""`manage.py receive_mail --host H --port P`: the SMTP receiver for email in (see docs/capture.md)."""

import signal
import threading

from django.core.management.base import BaseCommand

from capture.smtp import smtp_controller


class Command(BaseCommand):
    help = "Receive mail for the users' private addresses over SMTP (an MX or a relay target)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=2525, help="port to listen on (default 2525)")

    def handle(self, *args, host, port, **options):
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        controller = smtp_controller(host=host, port=port)
        controller.start()
        self.stdout.write(f"Receiving mail on {host}:{port}", ending="\n")
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            controller.stop()
            controller.handler.close()
