"""Running timers move from columns of the user to expenses.Timer (one row while a timer runs)."""

from django.db import migrations


def timers_from_users(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Timer = apps.get_model("expenses", "Timer")
    running = User.objects.filter(timer_started_at__isnull=False).values_list(
        "pk", "timer_started_at", "timer_notes", "timer_tags"
    )
    Timer.objects.bulk_create(
        Timer(owner_id=pk, started_at=started, notes=notes, tags=tags) for pk, started, notes, tags in running
    )


def timers_to_users(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Timer = apps.get_model("expenses", "Timer")
    for timer in Timer.objects.all():
        User.objects.filter(pk=timer.owner_id).update(
            timer_started_at=timer.started_at, timer_notes=timer.notes, timer_tags=timer.tags
        )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("expenses", "0003_timer_and_owner_scope"),
    ]

    operations = [migrations.RunPython(timers_from_users, timers_to_users)]
