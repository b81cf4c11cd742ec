"""The web app's download formats: each turns streamed export rows (selectors.expense_rows) into text chunks.

A format is added by one entry in FORMATS (the report page and the export page offer every entry). The PDF
expense report is a document of its own (expenses.pdf)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.http import content_disposition_header
from django.utils.text import slugify

from xpenser_server.api import MEDIA_TYPES

from .exports import MEDIA_TYPES as EXPORT_MEDIA_TYPES
from .renderers import CSVRenderer, JSONArrayRenderer, QIFRenderer, XMLRenderer
from .serializers import v1_expense


@dataclass(frozen=True)
class DownloadFormat:
    """A format made from the streamed rows by `chunks`, or (`chunks` None) a whole export file of
    selectors.expense_export (OFX and XLSX, which need more than one row at a time)."""

    label: str
    media_type: str
    description: str
    chunks: Callable[[Iterable[dict], object, str], Iterable[str]] | None  # (rows, tz, base_url) -> text chunks


FORMATS = {
    "csv": DownloadFormat("CSV", MEDIA_TYPES["csv"], "Spreadsheets (Excel, LibreOffice, Numbers)",
                          lambda rows, tz, base: CSVRenderer().stream(rows, tz=tz)),
    "json": DownloadFormat("JSON", "application/json", "The v1.0 API's flat records, tags by name",
                           lambda rows, tz, base: JSONArrayRenderer().stream(
                               v1_expense(row, tz, base_url=base) for row in rows)),
    "qif": DownloadFormat("QIF", MEDIA_TYPES["qif"], "Quicken, GnuCash and other money programs",
                          lambda rows, tz, base: QIFRenderer().stream(rows, tz=tz)),
    "xml": DownloadFormat("XML", MEDIA_TYPES["xml"], "The v1.0 API's flat records",
                          lambda rows, tz, base: XMLRenderer().stream(
                              v1_expense(row, tz, base_url=base) for row in rows)),
    "ofx": DownloadFormat("OFX", EXPORT_MEDIA_TYPES["ofx"], "Banking and accounting programs (GnuCash, Quicken)",
                          None),
    "xlsx": DownloadFormat("XLSX", EXPORT_MEDIA_TYPES["xlsx"], "Excel and LibreOffice workbooks", None),
}  # fmt: skip
PDF = "pdf"


def download_stem(name: str, fallback: str) -> str:
    """A file name stem from a report's name (`Berlin trip 2026` -> `berlin-trip-2026`)."""
    return slugify(name, allow_unicode=True) or fallback


def attachment_header(stem: str, fmt: str) -> str:
    """`Content-Disposition: attachment` with the name, RFC 6266 `filename*` when it is not ASCII."""
    return content_disposition_header(True, f"{stem}.{fmt}")
