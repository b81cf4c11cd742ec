#!/usr/bin/env python
"""`python bench/capture_mail.py`: an email with a 1 MB photo, recorded (without OCR) by the SMTP receiver.

Starts `manage.py receive_mail` (the production command) on a scratch SQLite database in bench/out/ (or
DATABASE_URL), sends messages with smtplib and measures, for each, the time from the end of DATA (the last
byte sent) to the server's 250, by which time the expense and its receipt file are committed (decoding, the
thumbnail and OCR are jobs queued then, which no worker runs here); then checks the rows and the stored files.
Target: recorded within 200 ms of the end of the SMTP transaction. Writes bench/RESULTS-capture.md.

Options: --messages N (default 20), --size BYTES of the photo (default 1 MB).
"""

import argparse
import io
import os
import random
import smtplib
import statistics
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.config import OUT, PY, ROOT, SECRET_KEY, free_port, log  # noqa: E402

TARGET_MS = 200
RESULTS = ROOT / "bench" / "RESULTS-capture.md"


def photo(size: int) -> bytes:
    """A JPEG of about `size` bytes: noise compresses badly, like a phone photo's detail."""
    from PIL import Image

    side = 256
    while True:
        rng = random.Random(side)
        image = Image.frombytes("RGB", (side, side), bytes(rng.getrandbits(8) for _ in range(side * side * 3)))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
        if buffer.tell() >= size:
            return buffer.getvalue()
        side = int(side * 1.25)


def cpu_ms(pid: int) -> float:
    """CPU time (user + system) the process has used, from /proc: what the receiver costs on a busy machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def environment(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "XPENSER_", "PYTEST"))}
    env.update(DATABASE_URL=database_url, DJANGO_SECRET_KEY=SECRET_KEY, DJANGO_DEBUG="0", DJANGO_LOG_LEVEL="WARNING",
               XPENSER_MAIL_DOMAIN="in.bench.test", EMAIL_URL="dummymail://",
               XPENSER_MEDIA_ROOT=str(OUT / "capture-media"))  # fmt: skip
    return env


def django_setup(env: dict):
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xpenser_server.settings")
    import django

    django.setup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--size", type=int, default=1024 * 1024)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    database = OUT / "capture.sqlite3"
    database.unlink(missing_ok=True)
    env = environment(os.environ.get("DATABASE_URL") or f"sqlite:///{database}")
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    django_setup(env)
    from accounts.models import User
    from capture.services import capture_address_get_or_create
    from expenses.models import Expense, Receipt

    user = User.objects.create_user(email="mail-bench@example.com", password="bench-password-123")
    address = capture_address_get_or_create(user=user).address
    image = photo(args.size)
    log(f"photo of {len(image)} bytes; starting receive_mail")
    port = free_port()
    server = subprocess.Popen([PY, "manage.py", "receive_mail", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT,
                              env=env, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        server.stdout.readline()  # "Receiving mail on ..."
        timings, cpu = [], []
        for number in range(args.messages):
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = "jack@example.com", address, f"lunch {number + 10}"
            message["Message-ID"] = make_msgid(domain="bench.test")
            message.set_content("Sent from my phone")
            message.add_attachment(image, maintype="image", subtype="jpeg", filename="photo.jpg")
            data = message.as_bytes().replace(b"\n", b"\r\n")
            before = cpu_ms(server.pid)
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
                client.ehlo()
                client.mail("jack@example.com")
                client.rcpt(address)
                client.putcmd("data")
                client.getreply()
                client.send(data + b".\r\n")
                sent = time.perf_counter()
                code, _ = client.getreply()
                answered = time.perf_counter()
            assert code == 250, code
            assert Expense.objects.owned_by(user).filter(sourceid=message["Message-ID"].strip("<>")).exists()
            timings.append((answered - sent) * 1000)
            cpu.append(cpu_ms(server.pid) - before)
        receipts = Receipt.objects.owned_by(user)
        assert receipts.count() == args.messages
        assert all(receipt.file.size == len(image) for receipt in receipts)
    finally:
        server.terminate()
        server.wait(timeout=60)
    timings.sort()
    p50, p95, worst = statistics.median(timings), timings[int(len(timings) * 0.95) - 1], timings[-1]
    verdict = "met" if p95 <= TARGET_MS else "NOT met"
    load = os.getloadavg()[0]
    line = (f"| {time.strftime('%Y-%m-%d')} | {len(image) / 1048576:.2f} MB | {args.messages} | {p50:.0f} | {p95:.0f} |"
            f" {worst:.0f} | {statistics.median(cpu):.0f} | {load:.1f} on {os.cpu_count()} | {verdict} |")  # fmt: skip
    log(f"end of DATA -> 250 (expense and receipt committed): p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {worst:.0f} ms;"
        f" receiver CPU per message (whole SMTP session) p50 {statistics.median(cpu):.0f} ms; load {load:.1f}")
    header = ("# Email in: a 1 MB photo recorded by the SMTP receiver\n\n`python bench/capture_mail.py`: milliseconds "
              "from the end of DATA to the 250 answer, by which time the expense and its receipt file are committed "
              "(decoding, thumbnail and OCR are jobs queued at the commit). Target: "
              f"{TARGET_MS} ms (p95). `CPU ms`: the receiver's CPU time per message, whole SMTP session (what "
              "the wall times cost on a quiet machine); `load`: the 1-minute load average.\n\n"
              "| date | photo | messages | p50 ms | p95 ms | max ms | CPU ms | load | target |\n"
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")  # fmt: skip
    rows = RESULTS.read_text().split("| --- |")[-1].split("\n", 1)[1] if RESULTS.exists() else ""
    RESULTS.write_text(header + line + "\n" + rows)


if __name__ == "__main__":
    main()
