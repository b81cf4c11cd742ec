"""The readers: bytes of every supported format to records, and every unreadable file to InvalidInput."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from expenses.imports import detect_format, import_options, read_file
from xpenser_server.errors import InvalidInput

LEGACY_RECORD = (
    b'[{"pk": 622012, "model": "xpense.expense", "fields": {"category": null, "status": 1, "rawamount": "1.00", '
    b'"sourceid": "SP-25914-2009-08-27T14:27:05.717294", "notes": "one", "created": "2009-08-27 14:27:05", '
    b'"modified": "2009-08-27 14:27:05", "report": 50705, "amount": "1.00", "user": 25914, '
    b'"date": "2009-08-27 14:28:00", "type": "Test Expense", "tags": [44557]}}]'
)
OFX_V1 = b"""OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20240310120000<LANGUAGE>ENG</SONRS>
</SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>USD
<BANKACCTFROM><BANKID>121000248<ACCTID>123456<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20240301<DTEND>20240310
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240305120000[-5:EST]<TRNAMT>-42.50<FITID>2024030501<NAME>STARBUCKS #123
<MEMO>latte #coffee</STMTTRN>
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240306<TRNAMT>10.00<FITID>2024030601<NAME>REFUND</STMTTRN>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>notadate<TRNAMT>-1.00<FITID>2024030701<NAME>BROKEN</STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>100.00<DTASOF>20240310</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
"""


def read(data: bytes, max_rows=100, **fields):
    return read_file(data, import_options(fields), max_rows=max_rows)


def values(source_file, *names):
    return [tuple(record.values.get(name) for name in names) for record in source_file.records]


# --- CSV ---------------------------------------------------------------------------------------------


def test_csv_with_a_mapping_of_a_bank_statements_columns():
    data = ("Buchungstag;Empfänger;Betrag;Verwendungszweck\n"
            "26.08.2009;Bäckerei;-1.234,56;Brot\n"
            "13.09.2009;Erstattung;5,00;\n").encode("cp1252")
    mapping = '{"date": "Buchungstag", "type": "Empfänger", "amount": "Betrag", "notes": "Verwendungszweck"}'
    source = read(data, mapping=mapping, encoding="cp1252", negate="1")
    assert values(source, "date", "type", "amount", "notes") == [
        (dt.datetime(2009, 8, 26), "Bäckerei", Decimal("1234.56"), "Brot"),
        (dt.datetime(2009, 9, 13), "Erstattung", Decimal("-5.00"), ""),
    ]
    assert [record.line for record in source.records] == [2, 3]


def test_csv_columns_by_number_without_a_header_and_debit_credit_columns():
    data = b"08/26/2009,coffee,3.50,\n08/27/2009,refund,,2.00\n"
    source = read(data, header="0", mapping='{"date": 1, "type": 2, "debit": 3, "credit": 4}')
    assert values(source, "type", "amount") == [("coffee", Decimal("3.50")), ("refund", Decimal("-2.00"))]


def test_csv_header_names_map_themselves_and_quoted_formula_cells_lose_their_guard():
    data = b'Date,Description,Amount,Memo,Tags\n2009-08-26,"\'=cmd",45,"line one\nline two","#a, b"\n'
    source = read(data)
    record = source.records[0]
    assert record.values["type"] == "=cmd" and record.values["notes"] == "line one\nline two"
    assert record.values["tags"] == ["a", "b"]


def test_csv_errors_are_per_row_and_name_the_field():
    source = read(b"date,type,amount\n2009-08-26,lunch,ten\nsoon,taxi,5\n,bus,\n")
    assert [record.errors for record in source.records] == [
        ["amount: 'ten' is not an amount"], ["date: 'soon' is not a date"], []]


@pytest.mark.parametrize(("data", "fields", "message"), [
    (b"when,what\n1,2\n", {}, "no column for date, type, amount"),
    (b"date,type,amount\n", {"mapping": '{"notes": "Memo"}'}, "the header has no column 'Memo'"),
    (b"a,b\n", {"header": "0", "mapping": '{"date": 5, "type": 1, "amount": 2}'}, "beyond the file's 2 columns"),
    (b"a,b\n", {"header": "0", "mapping": '{"date": "\u00b2", "type": "1", "amount": "2"}'}, "name columns by number"),
    (b"a,b\n", {"header": "0", "mapping": '{"date": "' + "9" * 5000 + '", "type": "1", "amount": "2"}'},
     "name columns by number"),
    (b"", {}, "the file is empty"),
    (b"date,type,amount\n\xff\xfe\x00bad", {"format": "csv"}, "not UTF-8 text|binary data|NUL"),
    (b"date,type,amount\n2009-08-26,caf\xe9,4\n", {}, r"not utf-8 text: byte 32 \(b'\\xe9'\) .*encoding=cp1252"),
    (b'date,type,amount\n"unclosed,1,2\n' + b"x" * 10, {"format": "csv"}, None),
])
def test_unreadable_csv_is_invalid_input_naming_the_problem(data, fields, message):
    if message is None:  # an unclosed quote swallows the rest: one row, missing fields, not a crash
        source = read(data, **fields)
        assert source.records[0].errors or source.records[0].values.get("amount") is None
        return
    with pytest.raises(InvalidInput, match=message):
        read(data, **fields)


def test_the_row_limit_is_checked_while_reading():
    data = b"date,type,amount\n" + b"2009-08-26,x,1\n" * 4
    assert len(read(data, max_rows=4).records) == 4
    with pytest.raises(InvalidInput, match="more than 3 expenses; split it"):
        read(data, max_rows=3)


# --- QIF ---------------------------------------------------------------------------------------------


def test_qif_of_a_european_quicken_with_lists_splits_and_investments_skipped():
    data = (b"!Account\nNChecking\nTBank\n^\n!Type:Bank\nD13/01'03\nT-1.234,56\nPSupermarket\nLFood:Groceries\n"
            b"SFood\n$-1.000,00\nSHousehold\n$-234,56\n^\nD 2/ 1'03\nT-5,00\nL[Savings]\nMtransfer #moved\n^\n"
            b"!Type:Invst\nD1/2/03\nNBuy\nYACME\n^\n!Type:Cat\nNFood\nE\n^\n")
    source = read(data)
    assert values(source, "date", "amount", "type", "category", "notes", "tags") == [
        (dt.datetime(2003, 1, 13), Decimal("1234.56"), "Supermarket", "Food:Groceries", "", None),
        (dt.datetime(2003, 1, 2), Decimal("5.00"), None, None, "transfer", ["moved"]),
    ]
    assert source.records[1].errors == ["type: the transaction has no payee (P) or category (L) to name the expense"]
    assert source.records[1].line == 15


def test_qif_month_first_with_two_digit_years_and_an_ambiguous_order_warned():
    source = read(b"!Type:CCard\nD1/2/99\nT-10.00\nPShop\n^\nD3/4/00\nU-20.00\nPShop\n^")
    assert values(source, "date", "amount") == [(dt.datetime(1999, 1, 2), Decimal("10.00")),
                                                (dt.datetime(2000, 3, 4), Decimal("20.00"))]
    assert "read as month/day/year" in source.warnings[0]
    assert values(read(b"!Type:CCard\nD1/2/99\nT-10.00\nPShop\n^", date_order="DMY"), "date") == [
        (dt.datetime(1999, 2, 1),)]


@pytest.mark.parametrize(("data", "message"), [
    (b"!Type:Bank\nhello world\n^\n", "line 2: the file is not QIF"),
    (b"!Type:Cat\nNFood\n^\n", "holds no QIF transactions"),
    (b"!Account\nNChecking\n^\n", "holds no QIF transactions"),
])
def test_what_is_not_qif_is_invalid_input(data, message):
    with pytest.raises(InvalidInput, match=message):
        read(data, format="qif")


# --- JSON and XML ------------------------------------------------------------------------------------


def test_the_legacy_json_of_an_old_xpenser_account():
    source = read(LEGACY_RECORD)
    assert source.format == "json"
    assert values(source, "date", "type", "amount", "rawamount", "notes", "sourceid", "report_id", "tag_ids") == [(
        dt.datetime(2009, 8, 27, 14, 28), "Test Expense", Decimal("1.00"), Decimal("1.00"), "one",
        "SP-25914-2009-08-27T14:27:05.717294", 50705, [44557])]


def test_tag_ids_in_other_digits_of_a_legacy_record_are_names_not_a_crash():
    source = read(LEGACY_RECORD.replace(b'"tags": [44557]', '"tags": [44557, "\u00b2"]'.encode()))
    assert values(source, "tag_ids", "tags") == [([44557], ["\u00b2"])]


def test_json_items_that_are_no_expenses_are_row_errors():
    source = read(b'{"results": [1, {"model": "auth.user", "fields": {}}, {"type": "x", "amount": 2}]}')
    assert [record.errors for record in source.records] == [
        ["item 1 is not an object but int"], ["a 'auth.user' record, not an expense (xpense.expense)"], []]


@pytest.mark.parametrize(("data", "message"), [
    (b'[{"type": "lunch",', "the file is not JSON: .* \\(line 1, column"),
    (b'{"type": "lunch"}', "an object, not a list of expenses"),
    (b'"lunch"', "not a list of expenses"),
    (b"[" * 100000 + b"]" * 100000, "nests too deeply|not JSON"),
])
def test_what_is_not_an_expense_list_in_json_is_invalid_input(data, message):
    with pytest.raises(InvalidInput, match=message):
        read(data, format="json")


def test_xml_of_the_legacy_family_has_tag_ids_and_of_v1_tag_names():
    legacy = (b'<?xml version="1.0" encoding="utf-8"?>\n<response><resource><date>2009-08-27 14:28:00</date>'
              b"<report>5</report><amount>1.00</amount><type>Test &amp; Co</type><notes></notes>"
              b"<tags>44557,44558</tags><category></category></resource></response>")
    v1 = legacy.replace(b"<report>", b"<report_id>").replace(b"</report>", b"</report_id>").replace(
        b"44557,44558", b"cash,12")
    assert values(read(legacy), "type", "tag_ids", "tags", "report_id", "category") == [
        ("Test & Co", [44557, 44558], None, 5, None)]
    assert values(read(v1), "tag_ids", "tags", "report_id") == [(None, ["cash", "12"], 5)]


@pytest.mark.parametrize(("data", "message"), [
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     b"<response><resource><type>&b;</type></resource></response>", "declares a DTD or entities"),
    (b"<response><resource><type>x</resource>", "not well-formed XML"),
    (b"<html><body>hi</body></html>", "its root is <html>, not <response>"),
])
def test_xml_bombs_and_garbage_are_refused(data, message):
    with pytest.raises(InvalidInput, match=message):
        read(data, format="xml")


# --- OFX ---------------------------------------------------------------------------------------------


def test_an_ofx_1_bank_statement_with_a_bad_transaction():
    source = read(OFX_V1)
    assert source.format == "ofx"
    assert values(source, "date", "amount", "type", "notes", "tags", "sourceid")[:2] == [
        (dt.datetime(2024, 3, 5, 17, 0, tzinfo=dt.UTC), Decimal("42.50"), "STARBUCKS #123", "latte", ["coffee"],
         "2024030501"),
        (dt.datetime(2024, 3, 6, tzinfo=dt.UTC), Decimal("-10.00"), "REFUND", "", None, "2024030601"),
    ]
    assert source.records[2].errors[0].startswith("the transaction is not valid OFX")


@pytest.mark.parametrize("data", [b"OFXHEADER:100\nDATA:OFXSGML\ngarbage", b"<OFX><BANKMSGSRSV1>", b"<OFX></OFX>"])
def test_broken_ofx_is_invalid_input(data):
    with pytest.raises(InvalidInput, match="not OFX|no bank or credit-card statement"):
        read(data, format="ofx")


# --- XLSX --------------------------------------------------------------------------------------------


def _workbook(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_cells_keep_their_types():
    data = _workbook([["Date", "Payee", "Amount", "Report"], [dt.datetime(2009, 8, 26, 14, 28), "lunch", 45.1, 7],
                      [dt.date(2009, 8, 27), "taxi", "12,50", "Trip"]])
    source = read(data)
    assert source.format == "xlsx"
    assert values(source, "date", "type", "amount", "report_id", "report_name") == [
        (dt.datetime(2009, 8, 26, 14, 28), "lunch", Decimal("45.1"), 7, None),
        (dt.datetime(2009, 8, 27), "taxi", Decimal("12.50"), None, "Trip")]
    assert [record.line for record in source.records] == [2, 3]


def test_xlsx_sheet_by_name_and_a_missing_sheet():
    data = _workbook([["date", "type", "amount"]])
    with pytest.raises(InvalidInput, match="no sheet 'Other'; its sheets: Sheet"):
        read(data, sheet="Other")


def test_a_zip_bomb_and_a_zip_that_is_no_workbook_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(InvalidInput, match="decompression bomb"):
        read(buffer.getvalue())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", b"hi")
    with pytest.raises(InvalidInput, match="not an XLSX workbook"):
        read(buffer.getvalue())
    with pytest.raises(InvalidInput, match="not an XLSX workbook"):
        read(b"PK\x03\x04 truncated")


# --- formats -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "name", "expected"), [
    (b"PK\x03\x04...", "", "xlsx"), (b"OFXHEADER:100", "", "ofx"), (b'<?xml version="1.0"?><?OFX ', "", "ofx"),
    (b"<?xml version='1.0'?><response>", "", "xml"), (b"\xef\xbb\xbf[{}]", "", "json"), (b"!Type:Bank", "", "qif"),
    (b"date,amount", "x.csv", "csv"), (b"D1/2/03\nT-1\n^", "", "qif"), (b"anything", "bank.QFX", "ofx"),
    (b"date;amount", "", "csv"),
])
def test_the_format_comes_from_the_content_then_the_name(data, name, expected):
    assert detect_format(data, name) == expected


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\0\0\0", b"%PDF-1.4 ...", b"\x1f\x8b\x08\0"])
def test_images_pdfs_and_archives_are_refused_by_content(data):
    with pytest.raises(InvalidInput, match="not an expense file"):
        read(data)


@pytest.mark.parametrize(("fields", "message"), [
    ({"format": "pdf"}, "format: 'pdf' is not supported"),
    ({"mapping": "{"}, "mapping: not a JSON object"),
    ({"mapping": '{"colour": "C"}'}, "'colour' is not a field"),
    ({"mapping": '{"date": 0}'}, "column numbers start at 1"),
    ({"date_order": "DDMM"}, "date_order: 'DDMM' is not valid"),
    ({"decimal": ";"}, "decimal: ';' is not valid"),
    ({"encoding": "klingon"}, "encoding: 'klingon' is not a known text encoding"),
    ({"dry_run": "maybe"}, "dry_run: 'maybe' is not a yes/no value"),
    ({"delimiter": "#"}, "delimiter: '#' is not supported"),
    ({"date_format": "dd/mm/yyyy"}, "not a strptime pattern"),
])
def test_bad_options_are_invalid_input_naming_the_option(fields, message):
    with pytest.raises(InvalidInput, match=message):
        import_options(fields)
