"""Reads of exchange rates: the rate between two currencies on a day, and what is on file."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Min

from .models import ExchangeRate

EURO = "EUR"
# A day's rate is the one of the nearest earlier published day at most this far back: the ECB publishes
# on every TARGET business day (gaps of up to five days at Easter); older means the daily refresh is not
# running, and the expense waits for fresh rates instead.
MAX_RATE_AGE_DAYS = 7
RATE_PLACES = Decimal("0.000000000001")


@dataclass(frozen=True)
class Rate:
    """`value` units of the target currency for one unit of the source, as published on `day`."""

    value: Decimal
    day: dt.date | None


def rate_between(*, source: str, target: str, day: dt.date) -> Rate | None:
    """The rate from `source` to `target` on `day` (the nearest earlier published day), or None. One query."""
    if source == target:
        return Rate(Decimal(1), None)
    needed = {source, target} - {EURO}
    rows = (
        ExchangeRate.objects.filter(
            currency__in=needed, day__lte=day, day__gte=day - dt.timedelta(days=MAX_RATE_AGE_DAYS)
        )
        .order_by("-day")
        .values_list("day", "currency", "per_euro")
    )
    by_day: dict[dt.date, dict[str, Decimal]] = {}
    for found_day, currency, per_euro in rows:
        rates = by_day.setdefault(found_day, {EURO: Decimal(1)})
        rates[currency] = per_euro
        if source in rates and target in rates:
            return Rate((rates[target] / rates[source]).quantize(RATE_PLACES), found_day)
    return None


def rates_known(currency: str) -> bool:
    """Whether any rate of `currency` is on file (the euro always is)."""
    return currency == EURO or ExchangeRate.objects.filter(currency=currency).exists()


def rates_on_file() -> bool:
    return ExchangeRate.objects.exists()


def rates_span() -> dict:
    """{first, last (days), currencies (count)} of the rates on file; first/last None when there are none."""
    span = ExchangeRate.objects.aggregate(first=Min("day"), last=Max("day"))
    span["currencies"] = ExchangeRate.objects.values("currency").distinct().count()
    return span
