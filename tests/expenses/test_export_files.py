"""The v2 export files: OFX validated by ofxtools parsing it back, XLSX read back by openpyxl, the JSON/XML
record, and constant memory however many rows stream through."""

import datetime as dt
import io
import json
import tracemalloc
import xml.etree.ElementTree as ET
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest
from django.http import QueryDict
from ofxtools.models import STMTTRN
from ofxtools.Parser import OFXTree

from expenses import selectors
from expenses.exports import EXPORT_FORMATS, OFXRenderer, export_file
from expenses.exports.ofx import memo_text, transaction
from expenses.renderers import CSVRenderer, QIFRenderer
from reports.services import report_create
from tests.expenses.test_renderers import make_row
from tests.factories import ExpenseFactory, TagFactory, default_report
from xpenser_server.errors import InvalidInput

UTC = dt.UTC
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def rows(count, **overrides):
    return (make_row(id=i + 1, **overrides) for i in range(count))


def ofx_of(row_list, **kwargs) -> bytes:
    return b"".join(export_file("ofx", iter(row_list), tz=UTC, report_names={}, **kwargs).chunks)


def parsed(data: bytes):
    tree = OFXTree()
    tree.parse(io.BytesIO(data))
    return tree.convert()  # ofxtools' full validation of every aggregate


def test_an_ofx_export_is_a_valid_statement_that_ofxtools_reads_back():
    start, end = dt.datetime(2009, 8, 1, tzinfo=UTC), dt.datetime(2009, 8, 31, tzinfo=UTC)
    source = [make_row(id=1), make_row(id=2, amount=Decimal("-3.50"), type="refund", tags=[], notes="")]
    document = parsed(ofx_of(source, period=(start, end)))
    (statement,) = document.statements
    assert statement.curdef == "USD" and statement.account.acctid == "XPENSER"
    assert (statement.banktranlist.dtstart, statement.banktranlist.dtend) == (start, end)
    assert [(t.trntype, t.trnamt, t.fitid, t.name, t.memo, t.dtposted) for t in statement.banktranlist] == [
        ("DEBIT", Decimal("-1.00"), "XP-1", "Test Expense", "one #clientx", dt.datetime(2009, 8, 27, 14, 28, tzinfo=UTC)),
        ("CREDIT", Decimal("3.50"), "XP-2", "refund", None, dt.datetime(2009, 8, 27, 14, 28, tzinfo=UTC)),
    ]
    assert statement.ledgerbal.balamt == Decimal("2.50")


def test_each_transaction_is_the_markup_ofxtools_itself_writes():
    row = make_row(type="Café & <Bar> " + "x" * 30, notes="a < b & c", tags=[(1, "cash"), (2, "x&y")])
    markup, amount = transaction(row)
    values = {"trntype": "DEBIT", "dtposted": row["date"], "trnamt": -row["amount"], "fitid": "XP-622012",
              "name": row["type"][:32], "extdname": row["type"], "memo": "a < b & c #cash #x&y"}
    assert markup == ET.tostring(STMTTRN(**values).to_etree(), encoding="unicode")
    assert amount == Decimal("-1.00")


def test_long_notes_are_cut_before_the_tags_and_control_characters_dropped():
    assert memo_text("n" * 300, ["cash"]) == "n" * 249 + " #cash"
    assert memo_text("line\none\x0b\x1f  two", []) == "line one two"
    assert memo_text("", ["t" * 300]) == "#" + "t" * 254
    document = parsed(ofx_of([make_row(notes="x\x0c" * 300, type="\x1ftype")]))
    (only,) = document.statements[0].banktranlist
    assert only.name == "type" and len(only.memo) == 255


def test_an_empty_ofx_export_is_valid_too():
    now = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    data = b"".join(_encode(OFXRenderer().stream(iter([]), now=now)))
    statement = parsed(data).statements[0]
    assert list(statement.banktranlist) == [] and statement.banktranlist.dtstart == now
    assert statement.ledgerbal.balamt == Decimal("0.00")


def _encode(chunks):
    return (chunk.encode() for chunk in chunks)


def _sheet(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return workbook["Expenses"]


def test_an_xlsx_export_has_typed_cells_in_the_accounts_zone_and_never_runs_formulas():
    row = make_row(notes="=HYPERLINK(\"http://x\")", type="@SUM(1)\x0b", category="Meals",
                   tags=[(1, "a"), (2, "b")])
    data = b"".join(export_file("xlsx", iter([row]), tz=PARIS, report_names={50705: "Trip"}).chunks)
    sheet = _sheet(data)
    assert [cell.value for cell in sheet[1]] == ["date", "type", "amount", "rawamount", "notes", "tags", "report",
                                                 "report_id", "category", "sourceid", "status", "id", "created",
                                                 "modified", "original_amount", "original_currency",
                                                 "amount_currency", "rate", "rate_date"]
    cells = sheet[2]
    assert [cell.value for cell in cells] == [
        dt.datetime(2009, 8, 27, 16, 28), "@SUM(1)", 1, 1, '=HYPERLINK("http://x")', "a,b", "Trip", 50705,
        "Meals", "SP-25914-2009-08-27T14:27:05.717294", 1, 622012, dt.datetime(2009, 8, 27, 16, 27, 5),
        dt.datetime(2009, 8, 27, 16, 27, 5), 1, "USD", "USD", 1, None]
    assert cells[4].data_type == "s" and cells[2].number_format == "0.00"
    assert cells[0].number_format == "yyyy-mm-dd hh:mm:ss" and sheet.freeze_panes == "A2"


def test_wire_text_rows_render_like_typed_ones():
    # selectors.expense_rows yields text for UTC accounts ("2009-08-27 14:28:00", "1.00").
    typed = make_row()
    text = make_row(date="2009-08-27 14:28:00", amount="1.00", rawamount="1.00", created="2009-08-27 14:27:05",
                    modified="2009-08-27 14:27:05")
    for fmt in ("ofx", "xlsx", "json"):
        outputs = []
        for row in (typed, text):
            if fmt == "ofx":
                outputs.append(transaction(row)[0])
            elif fmt == "xlsx":
                sheet = _sheet(b"".join(export_file(fmt, iter([row]), tz=UTC, report_names={}).chunks))
                outputs.append([cell.value for cell in sheet[2]])
            else:
                outputs.append(b"".join(export_file(fmt, iter([row]), tz=UTC, report_names={}).chunks))
        assert outputs[0] == outputs[1], fmt


def test_the_v2_json_record_names_tags_and_report():
    data = b"".join(export_file("json", iter([make_row()]), tz=UTC, report_names={50705: "Trip"}).chunks)
    assert json.loads(data) == [{
        "id": 622012, "date": "2009-08-27 14:28:00", "type": "Test Expense", "amount": "1.00", "rawamount": "1.00",
        "notes": "one", "tags": ["clientx"], "report_id": 50705, "report": "Trip", "category": None,
        "sourceid": "SP-25914-2009-08-27T14:27:05.717294", "status": 1, "created": "2009-08-27 14:27:05",
        "modified": "2009-08-27 14:27:05", "original_amount": "1.00", "original_currency": "USD",
        "amount_currency": "USD", "rate": "1", "rate_date": None}]
    xml = b"".join(export_file("xml", iter([make_row()]), tz=UTC, report_names={50705: "Trip"}).chunks)
    assert b"<tags>clientx</tags><report_id>50705</report_id><report>Trip</report>" in xml


def test_qif_is_the_other_families_file_and_csv_its_columns_followed_by_the_money():
    ours = b"".join(export_file("qif", rows(3), tz=UTC, report_names={}).chunks)
    assert ours == "".join(QIFRenderer().stream(rows(3), tz=UTC)).encode()
    ours = b"".join(export_file("csv", rows(3), tz=UTC, report_names={}).chunks).decode().splitlines()
    theirs = "".join(CSVRenderer().stream(rows(3), tz=UTC)).splitlines()
    money = ",original_amount,original_currency,amount_currency,rate,rate_date"
    assert ours == [theirs[0] + money, *(line + ",1.00,USD,USD,1," for line in theirs[1:])]


def test_an_unknown_format_is_invalid_input():
    with pytest.raises(InvalidInput, match="format 'pdf' is not supported here; use one of csv, json, qif, xml"):
        export_file("pdf", iter([]), tz=UTC, report_names={})


def _peak_bytes(fmt, count):
    tracemalloc.start()
    try:
        for _chunk in export_file(fmt, rows(count), tz=PARIS, report_names={50705: "Trip"}).chunks:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(("fmt", "count"), [("ofx", 300), ("xlsx", 100)])
def test_memory_does_not_grow_with_the_number_of_rows(fmt, count):
    # Ten times the rows, not half a megabyte more (openpyxl's normal mode would keep ~150 bytes per cell).
    # bench/export_formats.py measures 100k rows of every format.
    small, large = _peak_bytes(fmt, count), _peak_bytes(fmt, 10 * count)
    assert large < small + 500_000, (small, large)


def test_rendering_starts_before_the_rows_are_all_read():
    pulled = []

    def counted():
        for row in rows(2000):
            pulled.append(row["id"])
            yield row

    chunks = export_file("ofx", counted(), tz=UTC, report_names={}).chunks
    next(chunks)
    assert pulled == []
    next(chunks)
    assert len(pulled) == OFXRenderer.batch_size


def test_selectors_expense_export_streams_the_users_expenses_with_their_report_names(user, other_user):
    trip = report_create(user=user, name="Trip")
    ExpenseFactory(owner=user, report=trip, type="mine", tags=[TagFactory(owner=user, name="cash")])
    ExpenseFactory(owner=other_user, type="theirs")
    report_create(user=other_user, name="Secret")
    queryset = selectors.expense_list(user=user, params=QueryDict("report=*"))
    for fmt in EXPORT_FORMATS:
        export = selectors.expense_export(user=user, queryset=queryset, fmt=fmt)
        assert export.filename == f"expenses.{fmt}"
        data = b"".join(export.chunks)
        assert b"theirs" not in data and b"Secret" not in data
        if fmt == "xlsx":
            assert export.media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            assert [c.value for c in _sheet(data)[2]][1:7] == ["mine", 45, 45, "with jack", "cash", "Trip"]
        elif fmt == "ofx":
            assert export.media_type == "application/x-ofx"
            assert [t.name for t in parsed(data).statements[0].banktranlist] == ["mine"]
        else:
            assert b"mine" in data
    assert selectors.report_names(user=user) == {default_report(user).pk: "My Expenses", trip.pk: "Trip"}
