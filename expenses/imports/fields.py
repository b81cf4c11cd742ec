"""Typed values from the raw field values readers collect (`record.source`, keyed by field name).

Dates and amounts are read in one way for the whole file (date order, decimal separator); every other field
is read on its own. A value that cannot be read leaves an error on its record, never an exception.
"""

import datetime as dt
from decimal import Decimal

from xpenser_server.ids import is_ascii_digits

from .dates import date_order, parse_date
from .numbers import decimal_separator, parse_amount
from .records import SourceRecord, split_tags

AMOUNT_FIELDS = ("amount", "rawamount", "debit", "credit")
TEXT_FIELDS = ("type", "notes", "category", "sourceid")
# The expense's money as this server's v2 exports write it (CURRENCY_COLUMNS); a bank's `currency` column too.
CURRENCY_FIELDS = ("original_currency", "amount_currency")
_DELETED = ("-1", "deleted")
_LIVE = ("1", "live", "active", "")


def _texts(records, names):
    for record in records:
        for name in names:
            value = record.source.get(name)
            if isinstance(value, str) and value.strip():
                yield value


def file_conventions(records, options) -> tuple[str, str, list[str]]:
    """(date order, decimal separator, warnings) of a file: as the options name them, else from its values."""
    warnings = []
    order = options.date_order
    if order is None and not options.date_format:
        try:
            order, guessed = date_order(_texts(records, ("date",)))
        except ValueError as err:
            order, guessed = "MDY", False
            warnings.append(str(err))
        if guessed:
            warnings.append("every date fits both month/day and day/month orders; read as month/day/year "
                            "(send date_order=DMY if the days come first)")
    decimal = options.decimal or decimal_separator(_texts(records, AMOUNT_FIELDS))
    return order or "MDY", decimal, warnings


def _date(value, order, date_format):
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return parse_date(value, order=order, date_format=date_format)


def _amount(value, decimal) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount")
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest text that reads back as this float: 45.1, not 45.09999
    return parse_amount(value, decimal=decimal)


def _rate(value) -> Decimal:
    """An exchange rate (`1.0867`): a positive number, written with a `.` whatever the file's amounts use."""
    try:
        rate = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except ArithmeticError:
        raise ValueError(f"{value!r} is not an exchange rate") from None
    if not rate.is_finite() or rate <= 0:
        raise ValueError(f"{value!r} is not an exchange rate")
    return rate


def _day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _report(record: SourceRecord, value) -> None:
    if isinstance(value, dict):
        _report(record, value.get("id"))
        _report(record, value.get("name"))
    elif isinstance(value, int) and not isinstance(value, bool):
        record.values["report_id"] = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        record.values["report_id" if is_ascii_digits(text) else "report_name"] = (
            int(text) if is_ascii_digits(text) else text
        )


def _tags(record: SourceRecord, value, *, as_ids: bool) -> None:
    items = value if isinstance(value, list | tuple) else split_tags(value)
    names, ids = [], []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name", item.get("id"))
        if isinstance(item, int) and not isinstance(item, bool) or as_ids and is_ascii_digits(item):
            ids.append(int(item))
        elif item not in (None, ""):
            names.extend(split_tags(str(item)))
    if names:
        record.values["tags"] = names
    if ids:
        record.values["tag_ids"] = ids


def _status(record: SourceRecord, value) -> None:
    text = str(value if value is not None else "").strip().lower()
    if text in _DELETED:
        record.values["deleted"] = True
    elif text not in _LIVE:
        record.fail("status", f"{value!r} is not a status; use 1 (live) or -1 (deleted)")


def parse_fields(records, options, *, negate=False, tags_as_ids=False) -> list[str]:
    """Fill each record's `values` from its `source`; returns the file's warnings.

    `negate`: the file writes money spent as negative amounts (QIF; CSV and XLSX with the negate option).
    `tags_as_ids`: tag values are ids of the exporting account (the legacy family's shapes).
    """
    order, decimal, warnings = file_conventions(records, options)
    sign = -1 if negate else 1
    for record in records:
        source, values = record.source, record.values
        for name, value in source.items():
            if value is None or isinstance(value, str) and not value.strip() and name != "notes":
                continue
            try:
                if name == "date":
                    values["date"] = _date(value, order, options.date_format)
                elif name in AMOUNT_FIELDS:
                    values[name] = _amount(value, decimal) * (sign if name != "rawamount" else 1)
                elif name == "original_amount":
                    values[name] = _amount(value, decimal) * sign
                elif name in CURRENCY_FIELDS:
                    values[name] = str(value).strip()
                elif name == "rate":
                    values[name] = _rate(value)
                elif name == "rate_date":
                    values[name] = _day(value)
                elif name in TEXT_FIELDS:
                    values[name] = str(value)
                elif name in ("report", "report_id"):
                    _report(record, value)
                elif name == "tags":
                    _tags(record, value, as_ids=tags_as_ids)
                elif name == "status":
                    _status(record, value)
                elif name == "deleted":
                    values["deleted"] = value is True or str(value).strip().lower() in ("1", "true")
            except ValueError as err:
                record.fail(name, str(err))
        _debit_credit(record, negate)
    return warnings


def _debit_credit(record: SourceRecord, negate: bool) -> None:
    """Two columns instead of one amount: money out in `debit`, money in (a refund) in `credit`."""
    values = record.values
    debit, credit = values.pop("debit", None), values.pop("credit", None)
    if "amount" in values or (debit is None and credit is None):
        return
    sign = -1 if negate else 1  # undo the sign parse_fields gave both: a debit is money out whatever its sign
    debit = abs(debit * sign) if debit is not None else Decimal(0)
    credit = abs(credit * sign) if credit is not None else Decimal(0)
    values["amount"] = debit - credit
