"""Export files of `/api/v2/`: every format the other families stream (CSV, JSON, QIF, XML) plus OFX and XLSX,
rendered from the rows selectors.expense_rows yields, in constant memory.

CSV holds the columns of the other families' file (renderers.py) followed by the expense's money (CURRENCY_COLUMNS);
QIF is the other families' file; JSON and XML hold one `shape(row, tz)` per expense (default:
records.export_record, tags and report by name, with the money); OFX and XLSX are exports/ofx.py and
exports/xlsx.py. Every chunk is bytes, ready for a streamed response.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from xpenser_server.errors import InvalidInput

from ..renderers import CSVRenderer, JSONArrayRenderer, QIFRenderer, XMLRenderer
from . import ofx, xlsx
from .ofx import OFXRenderer
from .records import CURRENCY_COLUMNS, currency_values, export_record
from .xlsx import XLSXRenderer

EXPORT_FORMATS = ("csv", "json", "qif", "xml", "ofx", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "qif": "application/qif; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
    "ofx": ofx.MEDIA_TYPE,
    "xlsx": xlsx.MEDIA_TYPE,
}


class CurrencyCSVRenderer(CSVRenderer):
    """The CSV of the other families with the expense's money after their columns (which scripts read by
    position): what was entered, in which currency, and the rate that converted it."""

    header = [*CSVRenderer.header, *CURRENCY_COLUMNS]

    def cells(self, row, tz) -> list:
        return [*super().cells(row, tz), *currency_values(row)]


@dataclass(frozen=True)
class ExportFile:
    """A download: `chunks` (bytes, produced while they are read), its media type and file name, and the rows
    they are rendered from (to close with the answer: xpenser_server.api.streamed_response)."""

    chunks: Iterator[bytes]
    media_type: str
    filename: str
    rows: object = None


def _encoded(chunks) -> Iterator[bytes]:
    for chunk in chunks:
        if chunk:
            yield chunk.encode()


def export_file(fmt: str, rows, *, tz, report_names: dict, period=(None, None), shape: Callable | None = None,
                currency: str = "USD") -> ExportFile:
    """The export of `rows` in `fmt` (one of EXPORT_FORMATS).

    `report_names` maps report ids to names (JSON, XML, XLSX); `period` is the (first, last) date of the rows,
    the span an OFX statement declares (in `currency`, the account's base currency); `shape(row, tz)` replaces
    the JSON/XML object (export_record).
    """
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(f"format {fmt!r} is not supported here; use one of {', '.join(EXPORT_FORMATS)}")
    shape = shape or partial(export_record, report_names=report_names)
    if fmt == "csv":
        chunks = _encoded(CurrencyCSVRenderer().stream(rows, tz=tz))
    elif fmt == "qif":
        chunks = _encoded(QIFRenderer().stream(rows, tz=tz))
    elif fmt in ("json", "xml"):
        renderer = JSONArrayRenderer() if fmt == "json" else XMLRenderer()
        chunks = _encoded(renderer.stream(shape(row, tz) for row in rows))
    elif fmt == "ofx":
        chunks = _encoded(OFXRenderer().stream(rows, start=period[0], end=period[1], currency=currency))
    else:
        chunks = XLSXRenderer().stream(rows, tz=tz, report_names=report_names)
    return ExportFile(chunks, MEDIA_TYPES[fmt], f"expenses.{fmt}", rows)


__all__ = ["CURRENCY_COLUMNS", "EXPORT_FORMATS", "MEDIA_TYPES", "CurrencyCSVRenderer", "ExportFile", "OFXRenderer",
           "XLSXRenderer", "export_file", "export_record"]
