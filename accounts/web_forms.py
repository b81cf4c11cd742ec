"""Forms of the account pages: settings and sign-up. The services write."""

import zoneinfo
from decimal import Decimal

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm

from .models import User


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class SettingsForm(forms.Form):
    name = forms.CharField(max_length=150, required=False)
    base_currency = forms.RegexField(
        regex=r"^[A-Za-z]{3}$", max_length=3, min_length=3,
        error_messages={"invalid": "Use a 3-letter currency code such as USD, EUR or GBP."},
        widget=forms.TextInput(attrs={"class": "uppercase", "size": 3, "autocapitalize": "characters"}),
    )  # fmt: skip
    mileage_rate = forms.DecimalField(
        min_value=Decimal(0), max_digits=8, decimal_places=4, help_text="Per mile (or km) for 'mileage 100' entries"
    )
    hourly_rate = forms.DecimalField(
        min_value=Decimal(0), max_digits=10, decimal_places=2, help_text="Per hour for 'Time 37 mins' entries"
    )
    time_zone = forms.ChoiceField(help_text="Dates are shown and entered in this time zone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()

    def clean_base_currency(self):
        return self.cleaned_data["base_currency"].upper()


class SignupForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists. Log in instead.")
        return email
