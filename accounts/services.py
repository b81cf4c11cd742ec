"""Writes of user accounts."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from xpenser_server.errors import InvalidInput

from .models import User

CURRENCY_RE = re.compile(r"[A-Z]{3}")
SETTINGS_FIELDS = ("name", "base_currency", "mileage_rate", "hourly_rate", "time_zone")


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
    """Update the user's settings (name, base currency, rates, time zone); the model validates each."""
    changed = [field for field in SETTINGS_FIELDS if field in data]
    for field in changed:
        setattr(user, field, data[field])
    if "base_currency" in changed:
        user.base_currency = str(user.base_currency or "").strip().upper()
        if not CURRENCY_RE.fullmatch(user.base_currency):
            raise InvalidInput(f"base_currency: {data['base_currency']!r} is not a 3-letter currency code like USD")
    try:
        user.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in changed])
    except ValidationError as err:
        problems = [f"{field}: {' '.join(msgs)}" for field, msgs in err.message_dict.items()]
        raise InvalidInput("; ".join(problems)) from None
    if changed:
        user.save(update_fields=changed)
    return user
