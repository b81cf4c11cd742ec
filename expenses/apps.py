from django.apps import AppConfig

from currencies.signals import rates_imported


def convert_expenses_awaiting_rates(sender, **kwargs):
    """New rates are on file: expenses that waited for one are converted now."""
    from .services import expenses_convert_awaiting

    expenses_convert_awaiting()


def give_new_user_a_sync_clock(sender, instance, created, raw=False, **kwargs):
    """Every account has its sync clock from the start, so that no write has to create it."""
    if created and not raw:
        from .models import EPOCH, SyncClock

        SyncClock.objects.create(owner=instance, last=EPOCH)


class ExpensesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "expenses"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_save

        rates_imported.connect(convert_expenses_awaiting_rates, dispatch_uid="expenses-awaiting-rates")
        post_save.connect(give_new_user_a_sync_clock, sender=settings.AUTH_USER_MODEL, dispatch_uid="sync-clock")
