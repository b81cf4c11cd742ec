"""The PDF expense report (WeasyPrint): the report's expenses and totals, then every receipt: images
embedded on pages of their own, PDF receipts appended page by page (pypdf)."""

import io

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .services import RECEIPT_MEDIA_TYPES, receipt_kind

# Image kinds WeasyPrint draws; HEIC is not among them (such receipts are listed, not drawn).
EMBEDDED_IMAGES = ("JPEG", "PNG", "GIF", "WebP")
RECEIPT_URL = "receipt:"


class ReceiptFetcher(URLFetcher):
    """Serves only the report's own receipt files (`receipt:<label>`); nothing else is fetched."""

    def __init__(self, files: dict[str, bytes]):
        super().__init__(allowed_protocols=["receipt"])
        self.files = files

    def fetch(self, url, headers=None):
        key = url.removeprefix(RECEIPT_URL)
        if key not in self.files:
            raise ValueError(f"not a receipt of this report: {url}")
        data = self.files[key]
        return URLFetcherResponse(url, data, {"Content-Type": RECEIPT_MEDIA_TYPES[receipt_kind(data[:16])]})


def _read(name: str) -> bytes | None:
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def _pdf_pages(data: bytes) -> PdfReader | None:
    try:
        reader = PdfReader(io.BytesIO(data))
        return reader if len(reader.pages) else None
    except (PyPdfError, ValueError, OSError):
        return None


def _receipt_names(expense) -> list[str]:
    """The stored names of the expense's receipts, first first (`receipt_list` when prefetched)."""
    listed = getattr(expense, "receipt_list", None)
    if listed:
        return [receipt.file.name for receipt in listed]
    return [expense.receipt.name] if expense.receipt else []


def receipts_of(expenses) -> tuple[dict, dict, list, list]:
    """Every receipt of the expenses, labelled R<expense id> (the first) and R<expense id>.<n> (the others;
    each expense gets `receipt_labels`): (image files by label, readable PDF receipts by label, labels of
    receipts missing, unreadable or of a kind that cannot be embedded, (expense, label) of each image)."""
    images, pdfs, left_out, drawn = {}, {}, [], []
    for expense in expenses:
        expense.receipt_labels = []
        for number, name in enumerate(_receipt_names(expense), start=1):
            label = f"R{expense.pk}" if number == 1 else f"R{expense.pk}.{number}"
            expense.receipt_labels.append(label)
            data = _read(name)
            kind = receipt_kind(data[:16]) if data else None
            if kind in EMBEDDED_IMAGES:
                images[label] = data
                drawn.append((expense, label))
            elif kind == "PDF" and (reader := _pdf_pages(data)) is not None:
                pdfs[label] = reader
            else:
                left_out.append(label)
    return images, pdfs, left_out, drawn


def report_pdf(*, report, expenses, context: dict) -> bytes:
    """The whole expense report as PDF bytes; `context` carries the totals the page shows."""
    expenses = list(expenses)
    images, pdfs, left_out, drawn = receipts_of(expenses)
    html = render_to_string("reports/report_pdf.html", {
        **context, "report": report, "expenses": expenses, "pdf_labels": list(pdfs), "left_out": left_out,
        "drawn": drawn,
    })
    document = HTML(string=html, url_fetcher=ReceiptFetcher(images)).write_pdf()
    if not pdfs:
        return document
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(document)))
    for reader in pdfs.values():  # in the order of the expenses
        writer.append(reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
