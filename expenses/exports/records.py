"""Values of the rows selectors.expense_rows yields, as the new export formats need them, and the v2 export
record (the object of a JSON or XML export in `/api/v2/`)."""

import datetime as dt
import re
from decimal import Decimal

from ..dates import format_timestamp
from ..serializers import money

# Characters no XML document (OFX 2, a workbook's sheet) can carry; stored text keeps some whitespace kinds of them.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# The expense's money, after the other columns of a v2 CSV or XLSX export and in its JSON and XML objects.
CURRENCY_COLUMNS = ("original_amount", "original_currency", "amount_currency", "rate", "rate_date")


def currency_values(row) -> list:
    """The CURRENCY_COLUMNS of a row as text: `45.00`, `EUR`, `USD`, `1.0867`, `2026-11-30` ('' rate: none yet;
    '' rate_date: the same currency)."""
    return [money(row["original_amount"]), row["original_currency"], row["amount_currency"], row["rate"],
            row["rate_date"]]


def row_datetime(value) -> dt.datetime | None:
    """An aware datetime from a row's timestamp (wire text "2009-08-26 14:28:00" is UTC: see expense_rows)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def row_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def export_record(row, tz, *, report_names: dict) -> dict:
    """One expense of a v2 JSON or XML export: tags by name and the report by id and by name, so that the file
    imports back into any account (services.expense_import) as the same expenses."""
    return {
        "id": row["id"],
        "date": format_timestamp(row["date"], tz),
        "type": row["type"],
        "amount": money(row["amount"]),
        "rawamount": money(row["rawamount"]),
        "notes": row["notes"] or "",
        "tags": [name for _, name in row["tags"]],
        "report_id": row["report_id"],
        "report": report_names.get(row["report_id"], ""),
        "category": row["category"],
        "sourceid": row["sourceid"],
        "status": row["status"],
        "created": format_timestamp(row["created"], tz),
        "modified": format_timestamp(row["modified"], tz),
        **{name: value or None for name, value in zip(CURRENCY_COLUMNS, currency_values(row), strict=True)},
    }
