"""CSV and XLSX files: a header row (or a mapping by column number), one expense per row."""

import csv
import io
import zipfile

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from xpenser_server.errors import InvalidInput

from .fields import parse_fields
from .records import SourceFile
from .tables import table_records
from .text import decode

CSV_DELIMITERS = (",", ";", "\t", "|")
# A workbook is a zip: its parts, unpacked, may not exceed this many times the upload (decompression bombs).
XLSX_MAX_EXPANSION = 100
XLSX_MAX_UNPACKED = 256 * 1024 * 1024


def _delimiter(text: str) -> str:
    """The delimiter the first line uses most, outside quoted text (`,` when it uses none)."""
    line, quoted = [], False
    for char in text[:65536]:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif not quoted:
            line.append(char)
    counts = {delimiter: line.count(delimiter) for delimiter in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _csv_rows(text: str, delimiter: str):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as err:
        raise InvalidInput(f"line {reader.line_num}: the file is not CSV: {err}") from None


def read_csv(data: bytes, options, *, max_rows: int) -> SourceFile:
    text = decode(data, options.encoding, kind="CSV text")
    delimiter = options.delimiter or _delimiter(text)
    records = table_records(_csv_rows(text, delimiter), options, max_rows=max_rows, unquote=True)
    warnings = parse_fields(records, options, negate=options.negate)
    return SourceFile("csv", records, warnings)


def csv_header(data: bytes, options) -> list[str]:
    """The cells of a CSV file's first row, read as read_csv reads them (the columns a mapping names)."""
    text = decode(data, options.encoding, kind="CSV text")
    first = next(_csv_rows(text, options.delimiter or _delimiter(text)), None)
    return [str(cell) for cell in first[1]] if first else []


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InvalidInput("the file is not an XLSX workbook (not a zip archive)") from None
    if unpacked > min(XLSX_MAX_UNPACKED, max(len(data), 1) * XLSX_MAX_EXPANSION):
        raise InvalidInput("the workbook unpacks to far more data than it holds (a decompression bomb?); refused")


def _sheet(workbook, name: str | None):
    if name is None:
        return workbook.worksheets[0] if workbook.worksheets else None
    if name not in workbook.sheetnames:
        raise InvalidInput(f"sheet: the workbook has no sheet {name!r}; its sheets: {', '.join(workbook.sheetnames)}")
    return workbook[name]


def _xlsx_rows(sheet):
    try:
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, zipfile.BadZipFile, SyntaxError) as err:
        # openpyxl reports a malformed sheet with whatever its XML reading met (SyntaxError: expat's ParseError).
        raise InvalidInput(f"the workbook's sheet cannot be read: {err}") from None


def read_xlsx(data: bytes, options, *, max_rows: int) -> SourceFile:
    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError, SyntaxError) as err:
        raise InvalidInput(f"the file is not an XLSX workbook: {err}") from None
    try:
        sheet = _sheet(workbook, options.sheet)
        if sheet is None:
            raise InvalidInput("the workbook has no sheet")
        records = table_records(_xlsx_rows(sheet), options, max_rows=max_rows)
    finally:
        workbook.close()
    warnings = parse_fields(records, options, negate=options.negate)
    return SourceFile("xlsx", records, warnings)
