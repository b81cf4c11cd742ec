"""Streaming renderers for expense exports and XML: each turns an iterable into text chunks.

They never hold the whole body: a 100k-expense download is produced row by row.
"""

import csv
import io
import json
import re
from xml.sax.saxutils import escape

from .dates import format_timestamp
from .serializers import money

# Characters XML 1.0 cannot carry at all; they are dropped rather than producing a broken document.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Spreadsheet formula prefixes (CSV injection); text cells starting with them get a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class JSONArrayRenderer:
    """A JSON array streamed element by element, with the standard library's separators."""

    format = "json"

    # Items are encoded a batch at a time: json.dumps of a list joins elements with ", ", so the text is the
    # same as one dumps per element, at a fraction of the calls. Batches stay small enough that the items
    # are freed before the garbage collector's youngest generation fills and promotes them.
    batch_size = 100
    # The standard library's separators and escaping; items are fresh dicts, so no check for cycles.
    _encode = json.JSONEncoder(check_circular=False).encode

    def stream(self, items):
        yield "["
        batch, separator, encode, size = [], "", self._encode, self.batch_size
        for item in items:
            batch.append(item)
            if len(batch) >= size:
                yield separator + encode(batch)[1:-1]
                batch, separator = [], ", "
        if batch:
            yield separator + encode(batch)[1:-1]
        yield "]"


# Text that needs neither escaping nor dropping of characters (most values): returned as it is.
_XML_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value) -> str:
    if type(value) is str:
        return escape(_XML_INVALID.sub("", value)) if _XML_SPECIAL.search(value) else value
    if type(value) is int:
        return str(value)
    if value is None:
        return ""
    if value is True:
        return "1"
    if value is False:
        return ""
    if isinstance(value, list | tuple):
        return ",".join(xml_text(item) for item in value)
    return escape(_XML_INVALID.sub("", str(value)))


class XMLRenderer:
    """`<response><resource><field>text</field>...</resource>...</response>` (docs/api.md, "Versioned family")."""

    format = "xml"
    _TAG = re.compile(r"[^A-Za-z0-9_.-]")
    _tags: dict[str, tuple[str, str]] = {}

    def _element(self, key: str) -> tuple[str, str]:
        element = self._tags.get(key)
        if element is None:
            name = self._TAG.sub("_", key)
            element = self._tags[key] = (f"<{name}>", f"</{name}>")
        return element

    def resource(self, item: dict) -> str:
        # xml_text inlined for the common values (plain text, integers): this runs once per field of
        # every exported row.
        parts = ["<resource>"]
        append, tags, special = parts.append, self._tags, _XML_SPECIAL.search
        for key, value in item.items():
            start, end = tags.get(key) or self._element(key)
            kind = type(value)
            if kind is str:
                append(f"{start}{xml_text(value) if special(value) else value}{end}")
            elif kind is int:
                append(f"{start}{value}{end}")
            else:
                append(f"{start}{xml_text(value)}{end}")
        append("</resource>")
        return "".join(parts)

    def stream(self, items):
        yield '<?xml version="1.0" encoding="utf-8"?>\n<response>'
        batch = []
        for item in items:
            batch.append(self.resource(item))
            if len(batch) >= 200:
                yield "".join(batch)
                batch = []
        yield "".join(batch)
        yield "</response>\n"

    def render_one(self, item: dict) -> str:
        return "".join(self.stream([item]))


def _safe_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


class CSVRenderer:
    """CSV with a header row, one row per expense; tags as comma-separated names."""

    format = "csv"
    header = ["id", "date", "type", "amount", "rawamount", "notes", "tags", "report", "created", "modified", "status"]

    def cells(self, row, tz) -> list:
        return [
            row["id"],
            format_timestamp(row["date"], tz),
            _safe_cell(row["type"]),
            money(row["amount"]),
            money(row["rawamount"]),
            _safe_cell(row["notes"] or ""),
            _safe_cell(",".join(name for _, name in row["tags"])),
            row["report_id"],
            format_timestamp(row["created"], tz),
            format_timestamp(row["modified"], tz),
            row["status"],
        ]

    def stream(self, rows, *, tz):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.header)
        cells = self.cells
        for row in rows:
            writer.writerow(cells(row, tz))
            if buffer.tell() > 16384:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()


def _qif_date(value, tz) -> str:
    # MM/DD/YYYY with a four-digit year always (strftime's %Y does not pad years before 1000).
    if type(value) is str:  # wire text, already in the user's zone (selectors.expense_rows)
        return f"{value[5:7]}/{value[8:10]}/{value[:4]}"
    day = value.astimezone(tz)
    return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"


def _qif_amount(amount) -> str:
    """An expense is money going out: the amount negated (zero keeps its sign)."""
    if type(amount) is str:
        return amount if not float(amount) else amount[1:] if amount.startswith("-") else "-" + amount
    return money(-amount if amount else amount)


def _qif_line(text: str) -> str:
    return " ".join(str(text).split())


class QIFRenderer:
    """Quicken Interchange Format, `!Type:Cash`: expenses as negative amounts, dates MM/DD/YYYY."""

    format = "qif"

    def record(self, row, *, tz) -> str:
        lines = [
            "D" + _qif_date(row["date"], tz),
            "T" + _qif_amount(row["amount"]),
            "P" + _qif_line(row["type"]),
        ]
        memo = " ".join([_qif_line(row["notes"] or "")] + ["#" + name for _, name in row["tags"]]).strip()
        if memo:
            lines.append("M" + memo)
        if row["category"]:
            lines.append("L" + _qif_line(row["category"]))
        lines.append("^")
        return "\n".join(lines) + "\n"

    def stream(self, rows, *, tz):
        yield "!Type:Cash\n"
        batch = []
        for row in rows:
            batch.append(self.record(row, tz=tz))
            if len(batch) >= 500:
                yield "".join(batch)
                batch = []
        yield "".join(batch)
