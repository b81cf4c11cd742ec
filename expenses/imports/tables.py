"""Rows of cells (CSV, XLSX) as records: which column holds which field, from the mapping and the header."""

import itertools

from xpenser_server.errors import InvalidInput
from xpenser_server.ids import is_ascii_digits

from .records import SourceRecord, limit_rows

# Header names read as a field when the mapping does not name the field's column (compared case-insensitively).
AUTO_COLUMNS = {
    "date": ("date", "transaction date", "posted date", "posting date", "booking date", "value date"),
    "amount": ("amount", "value", "sum"),
    "debit": ("debit", "withdrawal", "money out", "paid out"),
    "credit": ("credit", "deposit", "money in", "paid in"),
    "type": ("type", "payee", "description", "merchant", "name"),
    "notes": ("notes", "note", "memo", "comment", "comments", "details"),
    "tags": ("tags", "tag", "labels"),
    "report": ("report", "report name"),
    "report_id": ("report_id", "report id"),
    "rawamount": ("rawamount", "raw amount"),
    "category": ("category",),
    "sourceid": ("sourceid", "source id", "transaction id", "fitid", "reference"),
    "status": ("status",),
    "original_amount": ("original_amount", "original amount"),
    "original_currency": ("original_currency", "original currency", "currency"),
    "amount_currency": ("amount_currency",),
    "rate": ("rate", "exchange rate"),
    "rate_date": ("rate_date", "rate date"),
}
# This server's CSV export guards text cells that a spreadsheet would run as a formula with a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTED_FIELDS = ("type", "notes", "tags", "category")


def _name(cell) -> str:
    return " ".join(str(cell if cell is not None else "").split()).lower()


def _auto_columns(header) -> dict[str, int]:
    names = [_name(cell) for cell in header]
    found = {}
    for field, candidates in AUTO_COLUMNS.items():
        for candidate in candidates:
            if candidate in names and names.index(candidate) not in found.values():
                found[field] = names.index(candidate)
                break
    return found


def header_fields(header) -> dict[int, str]:
    """{column index: field}: what each column is read as when no mapping names it (from its header name)."""
    return {index: field for field, index in _auto_columns(header).items()}


def _listing(header) -> str:
    return ", ".join(repr(str(cell)) for cell in header if cell not in (None, "")) or "none"


def columns(header, mapping: dict, *, named: bool) -> dict[str, int]:
    """{field: column index}: the mapping's columns, the rest from the header names when the file has a header.

    InvalidInput when a mapped column is not in the file or a field an expense needs has no column.
    """
    found = _auto_columns(header) if named else {}
    names = [_name(cell) for cell in header]
    for field, column in mapping.items():
        if isinstance(column, int) or not named:
            number = column if isinstance(column, int) else int(column) if is_ascii_digits(column) else None
            if number is None:
                raise InvalidInput(f"mapping: {field}: the file has no header row; name columns by number (1 = first)")
            if number > len(header):
                raise InvalidInput(f"mapping: {field}: column {number} is beyond the file's {len(header)} columns")
            index = number - 1
        elif _name(column) in names:
            index = names.index(_name(column))
        else:
            raise InvalidInput(f"mapping: {field}: the header has no column {column!r}; its columns: "
                               f"{_listing(header)}")
        found = {name: i for name, i in found.items() if i != index}
        found[field] = index
    missing = [field for field in ("date", "type") if field not in found]
    if "amount" not in found and not {"debit", "credit"} & found.keys():
        missing.append("amount")
    if missing:
        where = f"the header's columns: {_listing(header)}" if named else "the file has no header row"
        raise InvalidInput(f"no column for {', '.join(missing)}: map it (mapping={{\"{missing[0]}\": <column>}}); "
                           f"{where}")
    return found


def _unquote(value):
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in _FORMULA_START and value[1:2]:
        return value[1:]
    return value


def table_records(rows, options, *, max_rows: int, unquote: bool = False) -> list[SourceRecord]:
    """Records from `rows`, an iterator of (line, cells): the first row is the header when options.header."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        raise InvalidInput("the file is empty: no header row and no expenses")
    header = first[1]
    mapped = columns(header, options.mapping, named=options.header)
    records = []
    for line, cells in rows if options.header else itertools.chain([first], rows):
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        limit_rows(len(records) + 1, max_rows)
        record = SourceRecord(row=len(records) + 1, line=line)
        for field, index in mapped.items():
            value = cells[index] if index < len(cells) else None
            record.source[field] = _unquote(value) if unquote and field in _QUOTED_FIELDS else value
        records.append(record)
    return records
