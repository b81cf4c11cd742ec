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


# Characters that need escaping or dropping; text without them (most values) goes out as it is.
_XML_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same minus NUL, which separates a batch's texts while they are escaped together (_escape_texts).
_XML_INVALID_BUT_NUL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _plain_text(value) -> str:
    """A value's element text before escaping: '' for None and False, '1' for True, lists comma-joined."""
    if type(value) is str:
        return value
    if type(value) is int:
        return str(value)
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, list | tuple):
        return ",".join([_plain_text(item) for item in value])
    return str(value)


def _list_text(value) -> str:
    return ",".join([item if type(item) is str else _plain_text(item) for item in value]) if value else ""


# _plain_text by exact type, as C callables where one exists; other types go through _plain_text.
_TEXT_OF = {
    int: str,
    type(None): {None: ""}.__getitem__,
    bool: {False: "", True: "1"}.__getitem__,
    list: _list_text,
    tuple: _list_text,
}


def _escape(text: str) -> str:
    return escape(_XML_INVALID.sub("", text)) if _XML_SPECIAL.search(text) else text


def xml_text(value) -> str:
    """A value as XML element text: escaped (`&`, `<`, `>`), characters XML cannot carry dropped."""
    return _escape(_plain_text(value))


def _escape_texts(texts: list) -> list:
    """`[_escape(text) for text in texts]`, in a few passes over the batch joined by NUL (which escaping
    drops from the texts themselves, so splitting on it gives the texts back)."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a text holds NUL itself
        return [_escape(text) for text in texts]
    return escape(_XML_INVALID_BUT_NUL.sub("", joined)).split("\x00")


class XMLRenderer:
    """`<response><resource><field>text</field>...</resource>...</response>` (docs/api.md, "Versioned family").

    Rows are rendered a batch at a time: the texts of all their fields go through one check for characters
    that need escaping (and, in the rare batch that has some, one escaping pass), then into a format string
    made once per shape (the item's keys, in order). Each item's keys are checked, so any mix of shapes works.
    """

    format = "xml"
    batch_size = 200
    _TAG = re.compile(r"[^A-Za-z0-9_.-]")
    _templates: dict[tuple, str] = {}

    def _template(self, keys: tuple) -> str:
        template = self._templates.get(keys)
        if template is None:
            # Element names are [A-Za-z0-9_.-] only, so no "%" reaches the format string.
            names = [self._TAG.sub("_", key) for key in keys]
            template = "<resource>" + "".join(f"<{name}>%s</{name}>" for name in names) + "</resource>"
            if len(self._templates) < 1000:
                self._templates[keys] = template
        return template

    def _render(self, keys: tuple, values: list, count: int) -> str:
        text_of, plain = _TEXT_OF.get, _plain_text
        texts = [value if type(value) is str else (text_of(type(value)) or plain)(value) for value in values]
        if _XML_SPECIAL.search("".join(texts)):
            texts = _escape_texts(texts)
        return (self._template(keys) * count) % tuple(texts)

    def resource(self, item: dict) -> str:
        return self._render(tuple(item), list(item.values()), 1)

    def stream(self, items):
        yield '<?xml version="1.0" encoding="utf-8"?>\n<response>'
        # A chunk every `batch_size` items; `values` holds the fields of the last `count` items, of one shape.
        parts, keys, values, count, pending, size = [], None, [], 0, 0, self.batch_size
        for item in items:
            shape = tuple(item)
            if shape != keys:
                if count:
                    parts.append(self._render(keys, values, count))
                keys, values, count = shape, [], 0
            values += item.values()
            count += 1
            pending += 1
            if pending >= size:
                parts.append(self._render(keys, values, count))
                yield "".join(parts)
                parts, values, count, pending = [], [], 0, 0
        if count:
            parts.append(self._render(keys, values, count))
        yield "".join(parts)
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
