"""ECB rate feeds: parsing, storing, and the rate of a day (the nearest earlier published one)."""

import datetime as dt
import io
from decimal import Decimal

import pytest

from currencies import selectors, services
from currencies.ecb import FeedError, parse_feed
from currencies.models import ExchangeRate
from currencies.signals import rates_imported
from tests.conftest import ECB_SAMPLE

D = Decimal


def test_the_sample_feed_is_parsed_oldest_day_first():
    days = parse_feed(ECB_SAMPLE)
    assert [d.day for d in days][:2] == [dt.date(2026, 10, 26), dt.date(2026, 10, 27)]
    assert len(days) == 8
    assert days[-1].rates == {"USD": D("1.1250"), "JPY": D("166.50"), "GBP": D("0.86200"), "CHF": D("0.9720"),
                              "SEK": D("11.4200")}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not xml at all", "not a readable ECB rates file"),
        (b"<Envelope><Cube></Cube></Envelope>", "no rates found"),
        (b"<Cube><Cube time='2026-13-01'><Cube currency='USD' rate='1.1'/></Cube></Cube>", "is not a date"),
        (b"<Cube><Cube time='2026-11-02'><Cube currency='US' rate='1.1'/></Cube></Cube>", "three-letter code"),
        (b"<Cube><Cube time='2026-11-02'><Cube currency='USD' rate='x'/></Cube></Cube>", "is not a number"),
        (b"<Cube><Cube time='2026-11-02'><Cube currency='USD' rate='-1'/></Cube></Cube>", "not a positive number"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
         b"<Cube><Cube time='2026-11-02'><Cube currency='USD' rate='&b;'/></Cube></Cube>", "not a readable"),
    ],
)
def test_a_file_that_is_not_a_feed_is_refused_with_the_reason(body, message):
    with pytest.raises(FeedError, match=message):
        parse_feed(io.BytesIO(body))


def test_import_stores_every_rate_once_and_a_second_import_replaces(ecb_rates, django_capture_on_commit_callbacks):
    assert (ecb_rates.days, ecb_rates.rates) == (8, 40)
    assert ExchangeRate.objects.count() == 40
    heard = []
    rates_imported.connect(lambda **kw: heard.append((kw["first_day"], kw["last_day"])), weak=False,
                           dispatch_uid="test-heard")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.rates_import(days=parse_feed(ECB_SAMPLE))
    finally:
        rates_imported.disconnect(dispatch_uid="test-heard")
    assert ExchangeRate.objects.count() == 40
    assert heard == [(dt.date(2026, 10, 26), dt.date(2026, 11, 4))]


@pytest.mark.parametrize(
    ("source", "target", "day", "value", "published"),
    [
        ("EUR", "USD", "2026-11-03", "1.12", "2026-11-03"),
        ("USD", "EUR", "2026-11-03", "0.892857142857", "2026-11-03"),
        ("GBP", "USD", "2026-11-03", "1.302325581395", "2026-11-03"),
        ("JPY", "USD", "2026-10-26", "0.006662553979", "2026-10-26"),
        # a weekend and a Monday before publication: the nearest earlier published day
        ("EUR", "USD", "2026-10-31", "1.1", "2026-10-30"),
        ("EUR", "USD", "2026-11-01", "1.1", "2026-10-30"),
        ("EUR", "USD", "2026-11-10", "1.125", "2026-11-04"),
    ],
)
def test_the_rate_of_a_day(ecb_rates, source, target, day, value, published):
    rate = selectors.rate_between(source=source, target=target, day=dt.date.fromisoformat(day))
    assert rate.value == D(value)
    assert rate.day == dt.date.fromisoformat(published)


@pytest.mark.parametrize(
    ("source", "target", "day"),
    [
        ("EUR", "USD", "2026-10-25"),  # before the first day on file
        ("EUR", "USD", "2026-11-12"),  # more than a week after the last: the refresh is not running
        ("ARS", "USD", "2026-11-03"),  # a currency the ECB does not publish
        ("USD", "ARS", "2026-11-03"),
    ],
)
def test_no_rate(ecb_rates, source, target, day):
    assert selectors.rate_between(source=source, target=target, day=dt.date.fromisoformat(day)) is None


def test_the_same_currency_needs_no_rate(db):
    assert selectors.rate_between(source="USD", target="USD", day=dt.date(1990, 1, 1)) == selectors.Rate(D(1), None)


def test_what_is_on_file(ecb_rates):
    assert selectors.rates_span() == {"first": dt.date(2026, 10, 26), "last": dt.date(2026, 11, 4), "currencies": 5}
    assert selectors.rates_known("GBP") and selectors.rates_known("EUR") and not selectors.rates_known("ARS")
