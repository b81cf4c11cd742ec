"""Each stored `Expense.receipt` becomes the expense's first Receipt row; each user's sync clock starts at
their latest `modified` (new stamps come after every stamp already given), or at 1970 without expenses."""

import datetime as dt

from django.core.files.storage import default_storage
from django.db import migrations
from django.db.models import Max

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
KINDS = {"pdf": "PDF", "jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WebP", "heic": "HEIC"}


def stored_size(name) -> int:
    try:
        return default_storage.size(name)
    except Exception:  # noqa: BLE001 - a missing or unreachable file keeps its row, of unknown size
        return 0


def forwards(apps, schema_editor):
    Expense = apps.get_model("expenses", "Expense")
    Receipt = apps.get_model("expenses", "Receipt")
    SyncClock = apps.get_model("expenses", "SyncClock")
    with_receipts = Expense.objects.exclude(receipt="").values_list("pk", "owner_id", "receipt", "modified")
    batch = []
    for pk, owner_id, name, modified in with_receipts.iterator(chunk_size=2000):
        # Stored names end in the extension of the format found when they were attached.
        kind = KINDS.get(name.rsplit(".", 1)[-1].lower(), "")
        batch.append(Receipt(owner_id=owner_id, expense_id=pk, file=name, kind=kind, size=stored_size(name), position=0,
                             name=name.rsplit("/", 1)[-1], created=modified))
        if len(batch) >= 2000:
            Receipt.objects.bulk_create(batch)
            batch = []
    Receipt.objects.bulk_create(batch)
    latest = dict(Expense.objects.values_list("owner_id").annotate(last=Max("modified")).order_by())
    users = apps.get_model("accounts", "User").objects.values_list("pk", flat=True)
    SyncClock.objects.bulk_create(SyncClock(owner_id=pk, last=latest.get(pk, EPOCH)) for pk in users.iterator())


def backwards(apps, schema_editor):
    apps.get_model("expenses", "Receipt").objects.all().delete()
    apps.get_model("expenses", "SyncClock").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_user_timer_moved_to_expenses"),
        ("expenses", "0007_receipts_sync_clock_idempotency"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
