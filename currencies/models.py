"""Exchange rates: reference data shared by every user (no owner)."""

from django.db import models


class ExchangeRate(models.Model):
    """Units of `currency` for one euro on `day`, as the ECB published them (or an imported file said)."""

    day = models.DateField()
    currency = models.CharField(max_length=3)
    per_euro = models.DecimalField(max_digits=18, decimal_places=6)

    class Meta:
        ordering = ["-day", "currency"]
        constraints = [models.UniqueConstraint(fields=["currency", "day"], name="one_rate_per_currency_and_day")]

    def __str__(self):
        return f"{self.day} 1 EUR = {self.per_euro} {self.currency}"
