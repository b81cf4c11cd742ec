from django.apps import AppConfig

from currencies.signals import rates_imported


def convert_expenses_awaiting_rates(sender, **kwargs):
    """New rates are on file: expenses that waited for one are converted now."""
    from .services import expenses_convert_awaiting

    expenses_convert_awaiting()


class ExpensesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "expenses"

    def ready(self):
        rates_imported.connect(convert_expenses_awaiting_rates, dispatch_uid="expenses-awaiting-rates")
