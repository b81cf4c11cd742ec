"""`manage.py read_receipts`: read the receipts whose reading is pending (or never started), and with
`--unreadable` those that could not be read (after installing another language, say); never those refused by
their check (expenses.services.receipt_checks), which are not receipts OCR should open. A receipt not checked yet
(mailed, its check_receipt job still queued or failed) is checked first: refused, it is not read."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from expenses.models import Receipt, ReceiptReading
from expenses.services import REFUSED
from ocr.services import receipt_read_checked


class Command(BaseCommand):
    help = __doc__.splitlines()[0].split(": ", 1)[1]

    def add_arguments(self, parser):
        parser.add_argument("--unreadable", action="store_true", help="also read again receipts found unreadable")

    def handle(self, *args, unreadable=False, **options):
        statuses = [ReceiptReading.PENDING, *([ReceiptReading.UNREADABLE] if unreadable else [])]
        counts: dict[str, int] = {}
        for user in get_user_model().objects.order_by("pk").iterator():
            receipts = Receipt.objects.owned_by(user).select_related("expense", "owner")
            waiting = receipts.filter(reading__isnull=True) | receipts.filter(reading__status__in=statuses).exclude(
                reading__error__startswith=REFUSED)
            for receipt in waiting.order_by("pk"):
                status = receipt_read_checked(receipt=receipt)
                counts[status] = counts.get(status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing to read"
        self.stdout.write(f"receipts read: {summary}")
