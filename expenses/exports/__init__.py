"""Export files of `/api/v2/`: every format the other families stream (CSV, JSON, QIF, XML) plus OFX and XLSX,
rendered from the rows selectors.expense_rows yields, in constant memory.

CSV and QIF are the very files of the other families (renderers.py); JSON and XML hold one `shape(row, tz)`
per expense (default: records.export_record, tags and report by name); OFX and XLSX are exports/ofx.py and
exports/xlsx.py. Every chunk is bytes, ready for a streamed response.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from xpenser_server.errors import InvalidInput

from ..renderers import CSVRenderer, JSONArrayRenderer, QIFRenderer, XMLRenderer
from . import ofx, xlsx
from .ofx import OFXRenderer
from .records import export_record
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


@dataclass(frozen=True)
class ExportFile:
    """A download: `chunks` (bytes, produced while they are read), its media type and file name."""

    chunks: Iterator[bytes]
    media_type: str
    filename: str


def _encoded(chunks) -> Iterator[bytes]:
    for chunk in chunks:
        if chunk:
            yield chunk.encode()


def export_file(fmt: str, rows, *, tz, report_names: dict, period=(None, None),
                shape: Callable | None = None) -> ExportFile:
    """The export of `rows` in `fmt` (one of EXPORT_FORMATS).

    `report_names` maps report ids to names (JSON, XML, XLSX); `period` is the (first, last) date of the rows,
    the span an OFX statement declares; `shape(row, tz)` replaces the JSON/XML object (export_record).
    """
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(f"format {fmt!r} is not supported here; use one of {', '.join(EXPORT_FORMATS)}")
    shape = shape or partial(export_record, report_names=report_names)
    if fmt == "csv":
        chunks = _encoded(CSVRenderer().stream(rows, tz=tz))
    elif fmt == "qif":
        chunks = _encoded(QIFRenderer().stream(rows, tz=tz))
    elif fmt in ("json", "xml"):
        renderer = JSONArrayRenderer() if fmt == "json" else XMLRenderer()
        chunks = _encoded(renderer.stream(shape(row, tz) for row in rows))
    elif fmt == "ofx":
        chunks = _encoded(OFXRenderer().stream(rows, start=period[0], end=period[1]))
    else:
        chunks = XLSXRenderer().stream(rows, tz=tz, report_names=report_names)
    return ExportFile(chunks, MEDIA_TYPES[fmt], f"expenses.{fmt}")


__all__ = ["EXPORT_FORMATS", "MEDIA_TYPES", "ExportFile", "OFXRenderer", "XLSXRenderer", "export_file",
           "export_record"]
