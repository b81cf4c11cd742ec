"""Writes of exchange rates: storing the days of a feed."""

from dataclasses import dataclass

from django.db import transaction

from .ecb import RateDay
from .models import ExchangeRate
from .signals import rates_imported

BATCH_SIZE = 2000


@dataclass(frozen=True)
class ImportResult:
    days: int
    rates: int
    first_day: object
    last_day: object


@transaction.atomic
def rates_import(*, days: list[RateDay]) -> ImportResult:
    """Store the rates of `days`, replacing what was on file for the same currency and day (a published rate is
    final, so this only matters for a corrected file). Expenses waiting for a rate hear of it on commit."""
    if not days:
        return ImportResult(0, 0, None, None)
    rows = [ExchangeRate(day=rate_day.day, currency=currency, per_euro=per_euro)
            for rate_day in days for currency, per_euro in rate_day.rates.items()]
    ExchangeRate.objects.bulk_create(
        rows, batch_size=BATCH_SIZE, update_conflicts=True, unique_fields=["currency", "day"],
        update_fields=["per_euro"],
    )  # fmt: skip
    first, last = min(d.day for d in days), max(d.day for d in days)
    transaction.on_commit(lambda: rates_imported.send(sender=ExchangeRate, first_day=first, last_day=last))
    return ImportResult(len(days), len(rows), first, last)
