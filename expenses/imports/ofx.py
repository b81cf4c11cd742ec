"""OFX (and QFX) statements, version 1 (SGML) or 2 (XML), read by ofxtools: every bank or credit-card
transaction (`STMTTRN`) is an expense.

Money spent is negative (`TRNAMT`); the payee (`NAME`, `EXTDNAME` or `PAYEE/NAME`) is the expense type, the
memo its notes (trailing `#words` are tags, as this server's OFX export writes them) and `FITID` its source
id, so that importing the same statement twice finds the duplicates; `ORIGCURRENCY` (money entered in another
currency than the statement's `CURDEF`) gives the original currency and rate. Each transaction is checked by ofxtools
on its own: a bad one is an error on its row, not a refusal of the file.
"""

import io
import warnings as python_warnings
import xml.etree.ElementTree as ET
from decimal import Decimal

from ofxtools.header import OFXHeaderError
from ofxtools.models import STMTTRN
from ofxtools.Parser import OFXTree, ParseError

from xpenser_server.errors import InvalidInput

from .records import SourceFile, SourceRecord, limit_rows, split_memo


def _tree(data: bytes) -> ET.Element:
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise InvalidInput("the OFX declares a DTD or entities; refused")
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(data))
    except (OFXHeaderError, ParseError, UnicodeDecodeError, LookupError, ValueError, IndexError) as err:
        raise InvalidInput(f"the file is not OFX: {str(err)[:200]}") from None
    return tree.getroot()


def _text(element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _record(number: int, element, curdef: str) -> SourceRecord:
    record = SourceRecord(row=number)
    record.source = {"date": _text(element, "DTPOSTED"), "amount": _text(element, "TRNAMT"),
                     "type": _text(element, "EXTDNAME") or _text(element, "NAME") or _text(element, "PAYEE/NAME"),
                     "memo": _text(element, "MEMO"), "sourceid": _text(element, "FITID")}
    try:
        with python_warnings.catch_warnings():
            python_warnings.simplefilter("ignore")  # ofxtools warns about over-long names: kept whole here
            transaction = STMTTRN.from_etree(element)
    except (ValueError, ArithmeticError, TypeError, KeyError, IndexError, SyntaxError) as err:
        record.fail("", f"the transaction is not valid OFX: {str(err)[:200]}")
        return record
    # The converted values: ofxtools unescapes the markup's entities (&amp;) that the raw tree keeps.
    payee = transaction.extdname or transaction.name or (transaction.payee.name if transaction.payee else "")
    notes, tags = split_memo(transaction.memo or "")
    if not payee:
        payee, notes = notes, ""
    values = record.values
    values.update(date=transaction.dtposted, amount=-transaction.trnamt, type=payee, notes=notes,
                  sourceid=transaction.fitid)
    if tags:
        values["tags"] = tags
    original = transaction.origcurrency
    if original is not None and original.currate and curdef:  # converted into the statement's currency
        values.update(original_currency=original.cursym, amount_currency=curdef, rate=original.currate,
                      original_amount=(values["amount"] / original.currate).quantize(Decimal("0.01")))
    return record


def read_ofx(data: bytes, options, *, max_rows: int) -> SourceFile:
    root = _tree(data)
    curdef = _text(root, ".//CURDEF").upper()
    records = []
    for number, element in enumerate(root.iter("STMTTRN"), start=1):
        limit_rows(number, max_rows)
        records.append(_record(number, element, curdef))
    if not records and root.find(".//BANKTRANLIST") is None:
        raise InvalidInput("the OFX holds no bank or credit-card statement (no BANKTRANLIST)")
    return SourceFile("ofx", records)
