"""A user's tag names are unique by `name_key` (filled, and the duplicates merged, by 0011)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("expenses", "0011_tag_name_key_fill"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(fields=("owner", "name_key"), name="unique_tag_key_per_owner"),
        ),
    ]
