"""Sets `User.has_webhooks` for the hooks that exist (webhooks/listeners.py keeps it from then on)."""

from django.db import migrations


def flags_set(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Webhook = apps.get_model("webhooks", "Webhook")
    active = Webhook.objects.filter(active=True)
    if active.filter(all_users=True).exists():
        User.objects.update(has_webhooks=True)
    else:
        User.objects.filter(pk__in=active.values("owner_id")).update(has_webhooks=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_has_webhooks"),
        ("webhooks", "0001_initial"),
    ]

    operations = [migrations.RunPython(flags_set, migrations.RunPython.noop)]
