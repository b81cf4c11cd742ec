"""OFX 2.2 export: the expenses as a credit-card statement (`CCSTMTRS`), money spent as negative amounts.

The envelope (sign-on, statement, balance) is built with ofxtools' models; each transaction is written with
ofxtools' own value converters, in STMTTRN's element order, one at a time, so a download of any size is made
in constant memory (a whole ofxtools tree of 100k transactions would not be). The payee `NAME` holds the type
(`EXTDNAME` the whole type when it is longer than OFX's 32 characters), `MEMO` the notes and `#tags` on one
line, `FITID` `XP-<expense id>`; money entered in another currency than the statement's (the account's base
currency, `CURDEF`) carries `ORIGCURRENCY`: its code and the rate that converted it. Reports and categories
have no place in a statement.
"""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal
from xml.sax.saxutils import escape

from ofxtools import models as ofx
from ofxtools.header import make_header
from ofxtools.models.i18n import CURRENCY_CODES

from .records import XML_ILLEGAL, row_datetime, row_decimal

MEDIA_TYPE = "application/x-ofx"
NAME_LENGTH = ofx.STMTTRN.spec["name"].length
MEMO_LENGTH = ofx.STMTTRN.spec["memo"].length
_END_OF_LIST = "</BANKTRANLIST>"


def _line(text) -> str:
    return " ".join(XML_ILLEGAL.sub("", str(text or "")).split())


def memo_text(notes, tags) -> str:
    """`notes #tag1 #tag2` on one line within OFX's 255 characters: notes are cut before any tag is."""
    notes, tag_text = _line(notes), " ".join(f"#{name}" for name in tags)
    room = MEMO_LENGTH - len(tag_text) - (1 if tag_text else 0)
    if room < 0:
        return tag_text[:MEMO_LENGTH]
    return " ".join(part for part in (notes[:room].rstrip(), tag_text) if part)


def _element(name: str, value) -> str:
    converter = ofx.STMTTRN.spec[name]
    return f"<{name.upper()}>{escape(converter.unconvert(converter.convert(value)))}</{name.upper()}>"


def original_currency(row, currency: str) -> str:
    """`<ORIGCURRENCY>` of a row whose money was entered in another currency and converted into `currency`
    (CURRATE: units of `currency` per unit of CURSYM), else ''."""
    code, rate = row["original_currency"], row["rate"]
    if code == currency or row["amount_currency"] != currency or not rate or code not in CURRENCY_CODES:
        return ""
    return ET.tostring(ofx.ORIGCURRENCY(currate=Decimal(rate), cursym=code).to_etree(), encoding="unicode")


def transaction(row, currency: str = "USD") -> tuple[str, Decimal]:
    """The `<STMTTRN>` markup of one row and its signed amount (ofxtools would write the same markup) in a
    statement in `currency`."""
    amount = -row_decimal(row["amount"])
    kind = _line(row["type"])
    values = {
        "trntype": "DEBIT" if amount < 0 else "CREDIT",
        "dtposted": row_datetime(row["date"]).astimezone(dt.UTC),
        "trnamt": amount,
        "fitid": f"XP-{row['id']}",
        "name": kind[:NAME_LENGTH],
        "extdname": kind if len(kind) > NAME_LENGTH else None,
        "memo": memo_text(row["notes"], [name for _, name in row["tags"]]) or None,
    }
    parts = [_element(name, value) for name, value in values.items() if value is not None]
    parts.append(original_currency(row, currency))
    return f"<STMTTRN>{''.join(parts)}</STMTTRN>", amount


def _statement(start, end, now, currency: str, account_id: str) -> str:
    status = ofx.STATUS(code=0, severity="INFO")
    statement = ofx.CCSTMTRS(
        curdef=currency,
        ccacctfrom=ofx.CCACCTFROM(acctid=account_id),
        banktranlist=ofx.BANKTRANLIST(dtstart=start, dtend=end),
        ledgerbal=ofx.LEDGERBAL(balamt=Decimal("0.00"), dtasof=now),
    )
    document = ofx.OFX(
        signonmsgsrsv1=ofx.SIGNONMSGSRSV1(sonrs=ofx.SONRS(status=status, dtserver=now, language="ENG")),
        creditcardmsgsrsv1=ofx.CREDITCARDMSGSRSV1(ofx.CCSTMTTRNRS(trnuid="0", status=status, ccstmtrs=statement)),
    )
    return ET.tostring(document.to_etree(), encoding="unicode")


class OFXRenderer:
    """Streams an OFX 2.2 document: `start`/`end` are the statement's period (the rows' first and last dates)."""

    format = "ofx"
    batch_size = 500

    def stream(self, rows, *, start=None, end=None, currency: str = "USD", account_id: str = "XPENSER", now=None):
        now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        start, end = (row_datetime(start) or now).astimezone(dt.UTC), (row_datetime(end) or now).astimezone(dt.UTC)
        body = _statement(start, end, now, currency, account_id)
        head, tail = body.split(_END_OF_LIST)
        tail = tail[tail.index("</LEDGERBAL>") + len("</LEDGERBAL>"):]
        yield str(make_header(version=220)) + head + "\n"
        total, batch = Decimal("0.00"), []
        for row in rows:
            markup, amount = transaction(row, currency)
            total += amount
            batch.append(markup)
            if len(batch) >= self.batch_size:
                yield "\n".join(batch) + "\n"
                batch = []
        balance = ET.tostring(ofx.LEDGERBAL(balamt=total, dtasof=now).to_etree(), encoding="unicode")
        yield "\n".join([*batch, _END_OF_LIST + balance + tail]) + "\n"
