"""Writes of user accounts."""

from django.core.exceptions import ValidationError
from django.db import transaction

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
    """Update the user's plain settings (name, rates, time zone, date order; the model validates each).

    The base currency is not one of them: changing it converts or keeps the history of expenses, so it goes
    through expenses.services.account_settings_update, which calls this for the rest.
    """
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
    return user
