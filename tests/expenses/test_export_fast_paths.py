"""The export fast paths (memoised amounts, UTC timestamps, plain XML text) give the same text as the slow ones."""

import datetime as dt
import zoneinfo
from decimal import Decimal
from xml.sax.saxutils import escape

import pytest

from expenses.dates import format_timestamp
from expenses.renderers import xml_text
from expenses.selectors.exports import _decimal
from expenses.serializers import money

UTC_ZONE = zoneinfo.ZoneInfo("UTC")


@pytest.mark.parametrize("value", [
    dt.datetime(2024, 3, 10, 6, 59, 59, 999999, tzinfo=dt.UTC),
    dt.datetime(2024, 3, 10, 7, 0, tzinfo=dt.UTC),
    dt.datetime(2009, 8, 26, 0, 0, 0, 1, tzinfo=dt.UTC),
    dt.datetime(1000, 1, 1, tzinfo=dt.UTC),
    dt.datetime(999, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
])
@pytest.mark.parametrize("tz", [UTC_ZONE, dt.UTC, zoneinfo.ZoneInfo("America/New_York"),
                                zoneinfo.ZoneInfo("Asia/Kolkata")])
def test_format_timestamp_equals_the_converted_local_time(value, tz):
    local = value.astimezone(tz)
    assert format_timestamp(value, tz) == f"{local.year:04d}-{local:%m-%d %H:%M:%S}"


def test_format_timestamp_of_a_value_in_another_zone_is_converted_to_utc():
    value = dt.datetime(2024, 1, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    assert format_timestamp(value, UTC_ZONE) == "2024-01-01 11:00:00"


def test_money_memo_keeps_each_value_and_the_sign_of_zero():
    assert [money(Decimal(v)) for v in ("1.1", "1.10", "1.005", "-2.50", "0.00", "-0.00", "45")] == [
        "1.10", "1.10", "1.00", "-2.50", "0.00", "-0.00", "45.00"]
    assert money(Decimal("1.1")) == "1.10"  # a second time, from the memo


def test_decimal_memo_keeps_two_places_and_the_sign_of_zero():
    assert [str(_decimal(v)) for v in (1.1, 1.1, 90.99, -0.0, 0.0, 3)] == ["1.10", "1.10", "90.99", "-0.00",
                                                                          "0.00", "3.00"]
    assert _decimal(None) is None
    assert _decimal(Decimal("2.50")) == Decimal("2.50")


@pytest.mark.parametrize("text", ["plain text", "", "a & b", "<tag>", "x > y", "bell\x07 and \ufffe",
                                  "tab\tnew\nline\r", "caf\u00e9 \U0001f600"])
def test_xml_text_of_strings_equals_escaping_after_dropping_invalid_characters(text):
    cleaned = "".join(ch for ch in text if ch in "\t\n\r" or (ch >= " " and ch not in "\ufffe\uffff"))
    assert xml_text(text) == escape(cleaned)
