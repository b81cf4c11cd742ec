"""Tag names are unique per user in any case, in every script: a case-folded `name_key` replaces the unique
LOWER(name), which SQLite applies to ASCII letters only (so `été` and `ÉTÉ` could both exist there).

Tags that turn out to be one (`été` and `ÉTÉ`) are merged into the older: its expenses get the older tag, the
newer one is deleted, and those expenses take a new `modified` stamp so that delta sync sends them again.
"""

import datetime as dt
import unicodedata

from django.db import migrations, models
from django.utils import timezone

ONE_MICROSECOND = dt.timedelta(microseconds=1)


def caseless(text: str) -> str:
    # xpenser_server.text.caseless as of this migration (a migration keeps its own copy).
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def _merge(apps, db, duplicate, kept_id) -> None:
    Expense = apps.get_model("expenses", "Expense")
    SyncClock = apps.get_model("expenses", "SyncClock")
    Link = Expense.tags.through
    expense_ids = set(Link.objects.using(db).filter(tag_id=duplicate.pk).values_list("expense_id", flat=True))
    linked = set(Link.objects.using(db).filter(tag_id=kept_id, expense_id__in=expense_ids)
                 .values_list("expense_id", flat=True))  # fmt: skip
    Link.objects.using(db).bulk_create([Link(expense_id=pk, tag_id=kept_id) for pk in expense_ids - linked])
    apps.get_model("expenses", "Tag").objects.using(db).filter(pk=duplicate.pk).delete()
    if not expense_ids:
        return
    clock = SyncClock.objects.using(db).filter(owner_id=duplicate.owner_id)
    last = clock.values_list("last", flat=True).first()
    stamp = timezone.now() if last is None else max(timezone.now(), last + ONE_MICROSECOND)
    clock.update(last=stamp)
    Expense.objects.using(db).filter(pk__in=expense_ids).update(modified=stamp)


def forwards(apps, schema_editor):
    Tag = apps.get_model("expenses", "Tag")
    db = schema_editor.connection.alias
    kept = {}
    tags = Tag.objects.using(db).order_by("owner_id", "id").only("id", "owner_id", "name")
    for tag in list(tags.iterator(chunk_size=2000)):
        key = caseless(tag.name)
        first = kept.setdefault((tag.owner_id, key), tag.pk)
        if first == tag.pk:
            Tag.objects.using(db).filter(pk=tag.pk).update(name_key=key)
        else:
            _merge(apps, db, tag, first)


class Migration(migrations.Migration):

    dependencies = [
        ("expenses", "0009_receipt_readings"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="tag", name="unique_tag_name_per_owner"),
        migrations.AddField(
            model_name="tag",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=300),
            preserve_default=False,
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(fields=("owner", "name_key"), name="unique_tag_key_per_owner"),
        ),
    ]
