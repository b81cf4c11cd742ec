"""Forms of the account pages: settings and sign-up. The services write."""

import zoneinfo
from decimal import Decimal

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm

from currencies.codes import currency_choices

from .models import DATE_ORDERS, User

HISTORY_CHOICES = [
    ("convert", "Convert every expense into the new currency, at the exchange rate of its own date"),
    ("keep", "Keep the amounts as they are, labelled with their currency (totals add up one currency)"),
]


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class CurrencyField(forms.ChoiceField):
    """A currency code from the list, in any case."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class SettingsForm(forms.Form):
    name = forms.CharField(max_length=150, required=False)
    base_currency = CurrencyField(help_text="Amounts are converted into it; reports and charts total in it")
    currency_history = forms.ChoiceField(
        choices=HISTORY_CHOICES, required=False, widget=forms.RadioSelect,
        label="When the base currency changes, what happens to your expenses?",
    )  # fmt: skip
    mileage_rate = forms.DecimalField(
        min_value=Decimal(0), max_digits=8, decimal_places=4, help_text="Per mile (or km) for 'mileage 100' entries"
    )
    hourly_rate = forms.DecimalField(
        min_value=Decimal(0), max_digits=10, decimal_places=2, help_text="Per hour for 'Time 37 mins' entries"
    )
    time_zone = forms.ChoiceField(help_text="Dates are shown and entered in this time zone")
    date_order = forms.ChoiceField(choices=DATE_ORDERS, label="Dates like 3/11 in entries",
                                   help_text="How 'lunch 45 3/11' reads")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        choices = currency_choices()
        current = self.initial.get("base_currency")
        if current and current not in dict(choices):
            choices.append((current, current))
        self.fields["base_currency"].choices = choices

    def clean(self):
        cleaned = super().clean()
        currency, current = cleaned.get("base_currency"), self.initial.get("base_currency")
        if currency and current and currency != current and not cleaned.get("currency_history"):
            self.add_error("currency_history", f"Choose what happens to your expenses in {current}.")
        return cleaned


class SignupForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists. Log in instead.")
        return email
