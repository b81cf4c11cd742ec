"""JSON and XML exports: every shape this server (and Xpenser before it) wrote an expense in.

JSON: a list (or an object whose `results` or `expenses` is the list) of
- the legacy family's Django-serializer records `{"pk", "model": "xpense.expense", "fields": {...}}`
  (`/api/expenses/?format=json`; tags and report as ids of the exporting account),
- flat objects: `/api/v1.0/` (tags by name, `report_id`), the legacy `data` objects (tags as ids), the v2
  export record (tags by name, `report` by name and `report_id`).
XML: `<response><resource><field>text</field>...</resource>...</response>` holding the same flat objects;
tags are ids when the resource has no `report_id` (the legacy family's XML), else names.
XML is parsed by defusedxml: a document declaring entities or a DTD is refused, never expanded.
"""

import json
from decimal import Decimal

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from xpenser_server.errors import InvalidInput

from .fields import parse_fields
from .records import SourceFile, SourceRecord, limit_rows
from .text import decode

LEGACY_MODEL = "xpense.expense"
FIELDS = ("date", "amount", "rawamount", "type", "notes", "category", "sourceid", "tags", "report", "report_id",
          "status", "deleted", "original_amount", "original_currency", "amount_currency", "rate", "rate_date")
_LIST_KEYS = ("results", "expenses", "data")


def _items(document):
    if isinstance(document, dict):
        for key in _LIST_KEYS:
            if isinstance(document.get(key), list):
                return document[key]
        raise InvalidInput("the JSON is an object, not a list of expenses (nor has one under 'results')")
    if not isinstance(document, list):
        raise InvalidInput("the JSON is not a list of expenses")
    return document


def _json_record(number: int, item) -> SourceRecord:
    record = SourceRecord(row=number)
    if not isinstance(item, dict):
        record.fail("", f"item {number} is not an object but {type(item).__name__}")
        return record
    if "fields" in item and isinstance(item["fields"], dict):
        if item.get("model", LEGACY_MODEL) != LEGACY_MODEL:
            record.fail("", f"a {item.get('model')!r} record, not an expense ({LEGACY_MODEL})")
            return record
        item = item["fields"]
    record.source = {name: item[name] for name in FIELDS if name in item}
    return record


def read_json(data: bytes, options, *, max_rows: int) -> SourceFile:
    text = decode(data, options.encoding, kind="JSON text")
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as err:
        raise InvalidInput(f"the file is not JSON: {err.msg} (line {err.lineno}, column {err.colno})") from None
    except RecursionError:
        raise InvalidInput("the file is not a list of expenses: it nests too deeply") from None
    records = []
    for number, item in enumerate(_items(document), start=1):
        limit_rows(number, max_rows)
        records.append(_json_record(number, item))
    warnings = parse_fields(records, options)
    return SourceFile("json", records, warnings)


def _xml_record(number: int, element) -> SourceRecord:
    record = SourceRecord(row=number)
    texts = {child.tag: (child.text or "").strip() for child in element}
    record.source = {name: texts[name] for name in FIELDS if name in texts}
    tags = record.source.get("tags")
    if tags and "report_id" not in texts:  # the legacy family's XML: ids of the exporting account's tags
        ids = [part.strip() for part in tags.split(",")]
        if all(part.isascii() and part.isdigit() for part in ids):
            record.source["tags"] = [int(part) for part in ids]
    return record


def read_xml(data: bytes, options, *, max_rows: int) -> SourceFile:
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise InvalidInput("the XML declares a DTD or entities; refused (exports never do)") from None
    except SafeElementTree.ParseError as err:
        raise InvalidInput(f"the file is not well-formed XML: {err}") from None
    if root.tag != "response":
        raise InvalidInput(f"the XML is not an expense export: its root is <{root.tag}>, not <response>")
    records = []
    for number, element in enumerate(root.iter("resource"), start=1):
        limit_rows(number, max_rows)
        records.append(_xml_record(number, element))
    warnings = parse_fields(records, options)
    return SourceFile("xml", records, warnings)
