"""Writes of user accounts."""

from django.core.exceptions import ValidationError
from django.db import transaction

from expenses import services as expense_services
from xpenser_server.errors import InvalidInput

from .models import User

SETTINGS_FIELDS = ("name", "base_currency", "mileage_rate", "hourly_rate", "time_zone", "date_order")


@transaction.atomic
def user_create(*, email: str, password: str) -> User:
    """A new account (its default report comes with it); the password must already be validated."""
    email = User.objects.normalize_email(email or "").strip().lower()
    if not email:
        raise InvalidInput("email is required")
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidInput(f"an account with the email {email} already exists")
    return User.objects.create_user(email=email, password=password)


@transaction.atomic
def user_settings_update(*, user: User, data) -> User:
    """Update the user's settings (name, rates, time zone, date order; the model validates each) and the base
    currency, whose change needs `currency_history` (`convert` or `keep`: see base_currency_change)."""
    changed = [field for field in SETTINGS_FIELDS if field in data and field != "base_currency"]
    for field in changed:
        setattr(user, field, data[field])
    try:
        user.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in changed])
    except ValidationError as err:
        problems = [f"{field}: {' '.join(msgs)}" for field, msgs in err.message_dict.items()]
        raise InvalidInput("; ".join(problems)) from None
    if changed:
        user.save(update_fields=changed)
    currency = str(data.get("base_currency") or "").strip().upper()
    if currency and currency != user.base_currency:
        history = data.get("currency_history")
        if not history:
            raise InvalidInput(
                f"currency_history: choose what happens to your expenses in {user.base_currency}: convert them into "
                f"{currency} at the rate of their dates, or keep them as they are"
            )
        expense_services.base_currency_change(user=user, currency=currency, history=history)
    return user


def user_convert_kept_expenses(*, user: User):
    """Convert the amounts an earlier change of base currency kept into the current base currency."""
    return expense_services.base_currency_change(user=user, currency=user.base_currency, history="convert")
