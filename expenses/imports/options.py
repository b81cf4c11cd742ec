"""The choices an import is made with, read from the fields of an upload form (or a dict) and validated.

    format       csv | qif | json | xml | ofx (also qfx) | xlsx; default: from the file name and content
    mapping      CSV/XLSX: a JSON object {field: column}, column a header name or a 1-based number;
                 fields: date, amount (or debit + credit), type, notes, tags, report, report_id,
                 rawamount, category, sourceid, status, and the money of this server's v2 exports:
                 original_amount, original_currency (or a `currency` column), amount_currency, rate, rate_date;
                 default: the columns whose header names a field
    header       CSV/XLSX: whether the first row names the columns (default true)
    date_order   auto | MDY | DMY | YMD: how to read numeric dates (default auto: from the file's dates)
    date_format  a strptime pattern (`%d/%m/%Y`) for every date of a CSV/XLSX file
    decimal      auto | . | , : the decimal separator of amounts (default auto: from the file's amounts)
    delimiter    CSV: , ; tab or | (default: the one the header row uses most)
    encoding     text files: a Python codec name (default UTF-8, with or without a byte order mark)
    negate       CSV/XLSX: amounts of money spent are negative in the file (bank statements)
    sheet        XLSX: the sheet's name (default: the first)
    report       the report (id or name) for expenses whose record names none; default: the default report
    dry_run      1/true: read and check everything, store nothing
"""

import codecs
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from xpenser_server.errors import InvalidInput

from .dates import ORDERS
from .records import FORMATS

MAPPABLE = ("date", "amount", "debit", "credit", "type", "notes", "tags", "report", "report_id", "rawamount",
            "category", "sourceid", "status", "original_amount", "original_currency", "amount_currency", "rate",
            "rate_date")
FORMAT_ALIASES = {"qfx": "ofx", "xls": "xlsx", "txt": "csv", "tsv": "csv"}
DELIMITERS = {",": ",", ";": ";", "|": "|", "\t": "\t", "tab": "\t", "\\t": "\t"}
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


@dataclass(frozen=True)
class ImportOptions:
    format: str | None = None
    mapping: dict = field(default_factory=dict)
    header: bool = True
    date_order: str | None = None  # None: decided from the file
    date_format: str | None = None
    decimal: str | None = None  # None: decided from the file
    delimiter: str | None = None
    encoding: str | None = None
    negate: bool = False
    sheet: str | None = None
    report: str | None = None
    dry_run: bool = False


def flag(value, *, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(f"{name}: {value!r} is not a yes/no value; use 1 or 0 (true or false)")


def _text(fields: Mapping, name: str) -> str | None:
    value = fields.get(name)
    if value is None or hasattr(value, "read"):  # a file sent under an option's name is no option
        return None
    text = str(value).strip()
    return text or None


def _format(value: str | None) -> str | None:
    if value is None:
        return None
    name = FORMAT_ALIASES.get(value.lower().lstrip("."), value.lower().lstrip("."))
    if name not in FORMATS:
        raise InvalidInput(f"format: {value!r} is not supported; use one of {', '.join(FORMATS)}")
    return name


def _mapping(value) -> dict:
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (json.JSONDecodeError, RecursionError):
            raise InvalidInput('mapping: not a JSON object; send e.g. {"date": "Date", "amount": "Amount", '
                               '"type": "Payee"}') from None
    if not isinstance(value, Mapping):
        raise InvalidInput('mapping: not a JSON object; send e.g. {"date": "Date", "amount": "Amount"}')
    mapping = {}
    for name, column in value.items():
        if name not in MAPPABLE:
            raise InvalidInput(f"mapping: {name!r} is not a field; map any of {', '.join(MAPPABLE)}")
        if column in (None, ""):
            continue
        if isinstance(column, bool) or not isinstance(column, int | str):
            raise InvalidInput(f"mapping: {name}: give a column's header name or its number (1 = the first)")
        if isinstance(column, int) and column < 1:
            raise InvalidInput(f"mapping: {name}: column numbers start at 1")
        mapping[name] = column if isinstance(column, int) else column.strip()
    return mapping


def _choice(value: str | None, name: str, choices, *, auto=True):
    if value is None or (auto and value.lower() == "auto"):
        return None
    for choice in choices:
        if value.upper() == choice.upper():
            return choice
    raise InvalidInput(f"{name}: {value!r} is not valid; use {'auto, ' if auto else ''}{', '.join(choices)}")


def _encoding(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        name = codecs.lookup(value).name
        "".encode(name)  # bytes-to-bytes codecs (base64, zlib, rot13) and "undefined" are no text encodings
    except (LookupError, UnicodeError, ValueError):  # ValueError: a NUL in the name
        raise InvalidInput(f"encoding: {value!r} is not a known text encoding (e.g. utf-8, cp1252, latin-1)") from None
    return name


def _date_format(value: str | None) -> str | None:
    if value is not None and "%" not in value:
        raise InvalidInput(f"date_format: {value!r} is not a strptime pattern; use e.g. %d/%m/%Y or date_order")
    return value


def import_options(fields: Mapping | None) -> ImportOptions:
    """The options named in `fields` (form fields or a dict); InvalidInput names the first bad one."""
    fields = fields or {}
    delimiter = fields.get("delimiter")
    if delimiter not in (None, "") and delimiter not in DELIMITERS:
        raise InvalidInput(f"delimiter: {delimiter!r} is not supported; use , ; | or tab")
    return ImportOptions(
        format=_format(_text(fields, "format")),
        mapping=_mapping(fields.get("mapping")),
        header=flag(fields.get("header", True), name="header"),
        date_order=_choice(_text(fields, "date_order"), "date_order", ORDERS),
        date_format=_date_format(_text(fields, "date_format")),
        decimal=_choice(_text(fields, "decimal"), "decimal", (".", ",")),
        delimiter=DELIMITERS.get(delimiter) if delimiter else None,
        encoding=_encoding(_text(fields, "encoding")),
        negate=flag(fields.get("negate"), name="negate"),
        sheet=_text(fields, "sheet"),
        report=_text(fields, "report"),
        dry_run=flag(fields.get("dry_run"), name="dry_run"),
    )
