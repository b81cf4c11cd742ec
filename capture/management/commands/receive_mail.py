"""`manage.py receive_mail --host H --port P`: the SMTP receiver for email in (see docs/capture.md)."""

import signal
import threading

from django.core.management.base import BaseCommand

from capture.smtp import smtp_controller


class Command(BaseCommand):
    help = "Receive mail for the users' private addresses over SMTP (an MX or a relay target)."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stopping = threading.Event()  # set by SIGINT / SIGTERM: the receiver stops after its sessions

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=2525, help="port to listen on (default 2525)")

    def handle(self, *args, host, port, **options):
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: self.stopping.set())
        controller = smtp_controller(host=host, port=port)
        controller.start()
        self.stdout.write(f"Receiving mail on {host}:{port}")
        self.stdout.flush()
        try:
            self.stopping.wait()
        finally:
            controller.stop()
            controller.handler.close()
        self.stdout.write("Stopped")
