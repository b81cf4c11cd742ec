"""Each tag's `name_key` (its name case-folded); tags that turn out to be one (`été` and `ÉTÉ`, which SQLite's
LOWER kept apart; `Straße` and `STRASSE` on either database) are merged into the older: its expenses get the
older tag, the newer one is deleted, and the owner's clock moves on, so that delta sync sends those expenses
again and v2's tag lists change their Last-Modified.

Apart from the schema changes before and after it (0010, 0012): on PostgreSQL, deleting tags leaves deferred
foreign-key checks that an ALTER TABLE of the same table in the same transaction refuses.
"""

import datetime as dt
import unicodedata

from django.db import migrations
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
        ("expenses", "0010_tag_name_key"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
