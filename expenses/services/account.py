"""A user's settings as the Settings page and /api/v2/me change them: the plain ones (accounts) and the base
currency, whose change converts the history of expenses or keeps it labelled."""

from django.db import transaction

from accounts import services as account_services
from xpenser_server.errors import InvalidInput

from .conversions import base_currency_change


@transaction.atomic
def account_settings_update(*, user, data):
    """Update the settings present in `data`; a new `base_currency` needs `currency_history` (`convert` or
    `keep`: see base_currency_change)."""
    account_services.user_settings_update(user=user, data=data)
    currency = str(data.get("base_currency") or "").strip().upper()
    if currency and currency != user.base_currency:
        history = data.get("currency_history")
        if not history:
            raise InvalidInput(
                f"currency_history: choose what happens to your expenses in {user.base_currency}: convert them into "
                f"{currency} at the rate of their dates, or keep them as they are"
            )
        base_currency_change(user=user, currency=currency, history=history)
    return user


def account_convert_kept_expenses(*, user):
    """Convert the amounts an earlier change of base currency kept into the current base currency."""
    return base_currency_change(user=user, currency=user.base_currency, history="convert")
