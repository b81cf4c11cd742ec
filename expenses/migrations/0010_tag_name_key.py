"""Tag names become unique per user in any case, in every script: a case-folded `name_key` (filled by 0011,
unique from 0012) replaces the unique LOWER(name), which SQLite applies to ASCII letters only."""

from django.db import migrations, models


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
    ]
