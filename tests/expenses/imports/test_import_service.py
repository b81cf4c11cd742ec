"""services.expense_import: dry run, duplicates, all-or-nothing storing, limits, reports and tags."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from expenses import services
from expenses.models import Expense, ExpenseQuerySet, Tag
from reports.models import Report
from reports.services import report_create
from tests.factories import ExpenseFactory, TagFactory, default_report
from xpenser_server.errors import InvalidInput

CSV = b"date,type,amount,notes,tags,report\n2009-08-26,lunch,45,with jack,cash,\n2009-08-27,taxi,12.5,,,Trip\n"


def stored(user):
    return sorted(Expense.objects.owned_by(user).values_list("type", "amount", "report__name"))


def test_a_dry_run_answers_every_row_and_stores_nothing(user):
    result = services.expense_import(user=user, upload=CSV, fields={"dry_run": "true"})
    assert Expense.objects.owned_by(user).count() == 0
    assert not Tag.objects.owned_by(user).exists() and Report.objects.owned_by(user).count() == 1
    body = json.loads(json.dumps(result.as_dict()))
    assert body["dry_run"] is True and body["stored"] is False and body["format"] == "csv"
    assert body["counts"] == {"rows": 2, "new": 2, "duplicate": 0, "skipped": 0, "error": 0}
    assert body["reports_created"] == ["Trip"] and body["tags_created"] == ["cash"]
    assert body["rows"][0] == {
        "row": 1, "line": 2, "status": "new", "expense_id": None, "duplicate_of": None, "errors": [], "warnings": [],
        "values": {"date": "2009-08-26 00:00:00", "type": "lunch", "amount": "45.00", "rawamount": "45.00",
                   "notes": "with jack", "tags": ["cash"], "category": None, "sourceid": "",
                   "report": {"id": default_report(user).pk, "name": "My Expenses"}, "original_amount": "45.00",
                   "original_currency": "USD", "rate": "1"},
        "source": {"date": "2009-08-26", "type": "lunch", "amount": "45", "notes": "with jack", "tags": "cash",
                   "report": ""},
    }
    assert body["rows"][1]["values"]["report"] == {"id": None, "name": "Trip"}


def test_a_run_stores_the_rows_with_their_tags_and_new_reports(user):
    result = services.expense_import(user=user, upload=SimpleUploadedFile("bank.csv", CSV), fields={})
    assert result.stored and result.counts["new"] == 2
    assert stored(user) == [("lunch", Decimal("45.00"), "My Expenses"), ("taxi", Decimal("12.50"), "Trip")]
    lunch = Expense.objects.owned_by(user).get(type="lunch")
    assert [tag.name for tag in lunch.tags.all()] == ["cash"]
    assert {row.expense_id for row in result.rows} == set(Expense.objects.owned_by(user).values_list("pk", flat=True))
    assert lunch.date == dt.datetime(2009, 8, 26, tzinfo=dt.UTC) and lunch.rawamount == Decimal("45.00")


def test_naive_dates_are_in_the_accounts_zone(user):
    user.time_zone = "Asia/Kolkata"
    user.save()
    services.expense_import(user=user, upload=b"date,type,amount\n2009-08-26 10:00,x,1\n", fields={})
    assert Expense.objects.owned_by(user).get().date == dt.datetime(2009, 8, 26, 4, 30, tzinfo=dt.UTC)


def test_any_row_in_error_stores_nothing_and_names_each_bad_row(user):
    data = (b"date,type,amount\n2009-08-26,lunch,45\n2009-08-27,,5\n1850-01-01,old,1\n2009-08-28,big,1e20\n"
            b"2009-08-29,cents,1.005\n2009-08-30,huge,12345678901\n2009-08-31,fine,1\n")
    with pytest.raises(services.ImportFailed) as failure:
        services.expense_import(user=user, upload=data, fields={})
    assert failure.value.status_code == 400
    assert failure.value.message == (
        "5 of 7 rows have errors, nothing was imported: row 2 (line 3): type is required; row 3 (line 4): date: "
        "1850-01-01 is out of range; use a year from 1900 to 2999; row 4 (line 5): amount: '1e20' is not an amount; "
        "row 5 (line 6): amount: '1.005' has more than two decimal places; row 6 (line 7): amount: "
        "'12345678901' is too large (maximum 9999999999.99)")
    assert [row.status for row in failure.value.result.rows] == ["new", *["error"] * 5, "new"]
    assert Expense.objects.owned_by(user).count() == 0


def test_a_failure_while_storing_leaves_no_report_tag_or_expense(user, monkeypatch):
    def broken(self, links):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ExpenseQuerySet, "link_tags", broken)
    with pytest.raises(RuntimeError):
        services.expense_import(user=user, upload=CSV, fields={})
    assert not Expense.objects.owned_by(user).exists() and not Tag.objects.owned_by(user).exists()
    assert Report.objects.owned_by(user).count() == 1


def test_duplicates_by_sourceid_and_by_day_amount_and_type(user, other_user):
    ExpenseFactory(owner=user, type="Lunch", amount=Decimal("45.00"), date=dt.datetime(2009, 8, 26, 13, tzinfo=dt.UTC))
    mine = ExpenseFactory(owner=user, type="other", amount=Decimal("1.00"), sourceid="FIT-1")
    ExpenseFactory(owner=user, type="taxi", amount=Decimal("12.50"), date=dt.datetime(2009, 8, 27, tzinfo=dt.UTC),
                   status=Expense.DELETED)  # deleted: no duplicate
    ExpenseFactory(owner=other_user, type="bus", amount=Decimal("2.00"), date=dt.datetime(2009, 8, 28, tzinfo=dt.UTC),
                   sourceid="FIT-2")  # another account's: no duplicate
    data = (b"date,type,amount,sourceid\n2009-08-26,lunch,45,\n2009-08-26,lunch,45,\n2009-08-27,taxi,12.50,\n"
            b"2009-09-01,renamed,3,FIT-1\n2009-08-28,bus,2,FIT-2\n2009-08-29,bus,2,FIT-2\n")
    result = services.expense_import(user=user, upload=data, fields={})
    assert [(row.status, row.duplicate_of) for row in result.rows] == [
        ("duplicate", Expense.objects.owned_by(user).get(type="Lunch").pk),
        ("duplicate", Expense.objects.owned_by(user).get(type="Lunch").pk),
        ("new", None), ("duplicate", mine.pk), ("new", None), ("duplicate", None)]
    assert result.rows[5].warnings == ["the same sourceid as row 5"]
    assert Expense.objects.owned_by(user).count() == 5


def test_tags_and_reports_by_id_are_only_ever_the_accounts_own(user, other_user):
    theirs, mine = TagFactory(owner=other_user, name="secret"), TagFactory(owner=user, name="mine")
    their_report = report_create(user=other_user, name="Theirs")
    record = {"pk": 1, "model": "xpense.expense", "fields": {
        "type": "x", "amount": "1.00", "date": "2009-08-26 00:00:00", "tags": [theirs.pk, mine.pk],
        "report": their_report.pk}}
    result = services.expense_import(user=user, upload=json.dumps([record]).encode(), fields={})
    expense = Expense.objects.owned_by(user).get()
    assert [tag.name for tag in expense.tags.all()] == ["mine"] and expense.report == default_report(user)
    assert result.rows[0].warnings == [
        f"report {their_report.pk} is not one of this account's reports: filed in 'My Expenses'",
        f"tags {theirs.pk}: not tags of this account (the export names tags by id): left off"]


def test_reports_and_tags_named_in_the_file_are_matched_case_insensitively_and_created_once(user):
    trip = report_create(user=user, name="Trip")
    TagFactory(owner=user, name="Cash")
    data = b"date,type,amount,report,tags\n2009-08-26,a,1,trip,cash\n2009-08-26,b,1,NEW,new\n2009-08-26,c,1,new,NEW\n"
    result = services.expense_import(user=user, upload=data, fields={})
    assert result.reports_created == ["NEW"] and result.tags_created == ["new"]
    assert stored(user) == [("a", Decimal("1.00"), "Trip"), ("b", Decimal("1.00"), "NEW"), ("c", Decimal("1.00"), "NEW")]
    assert Expense.objects.owned_by(user).get(type="a").report == trip
    assert sorted(Tag.objects.owned_by(user).values_list("name", flat=True)) == ["Cash", "new"]


def test_the_report_option_files_rows_that_name_none(user, other_user):
    trip = report_create(user=user, name="Trip")
    services.expense_import(user=user, upload=b"date,type,amount\n2009-08-26,a,1\n", fields={"report": str(trip.pk)})
    services.expense_import(user=user, upload=b"date,type,amount\n2009-08-26,b,1\n", fields={"report": "trip"})
    assert set(Expense.objects.owned_by(user).values_list("report", flat=True)) == {trip.pk}
    theirs = report_create(user=other_user, name="Theirs")
    for value in (str(theirs.pk), "Theirs", "99999999999999999999"):
        with pytest.raises(InvalidInput, match="is neither the id nor the name of one of your reports"):
            services.expense_import(user=user, upload=b"date,type,amount\n2009-08-26,c,1\n", fields={"report": value})


def test_size_limit_is_a_413_and_row_limit_a_400_and_nothing_is_stored(user, settings):
    settings.XPENSER_IMPORT_MAX_BYTES = 50
    with pytest.raises(services.ImportTooLarge, match="larger than the limit of 50 bytes") as failure:
        services.expense_import(user=user, upload=SimpleUploadedFile("x.csv", b"d" * 51), fields={})
    assert failure.value.status_code == 413
    with pytest.raises(services.ImportTooLarge):
        services.expense_import(user=user, upload=b"d" * 51, fields={})
    settings.XPENSER_IMPORT_MAX_BYTES = 10_000
    settings.XPENSER_IMPORT_MAX_ROWS = 2
    with pytest.raises(InvalidInput, match="more than 2 expenses"):
        services.expense_import(user=user, upload=b"date,type,amount\n" + b"2009-08-26,a,1\n" * 3, fields={})
    assert not Expense.objects.owned_by(user).exists()


@pytest.mark.parametrize(("upload", "message"), [
    (None, "file is required"),
    ("text, not a file", "file is required"),
    (SimpleUploadedFile("receipt.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "not an expense file"),
    (SimpleUploadedFile("x.xlsx", b"PK\x03\x04garbage"), "not an XLSX workbook"),
    (SimpleUploadedFile("x.json", b'{"oops": '), "not JSON"),
    (SimpleUploadedFile("x.csv", b"date,type,amount\n\x00\x01\x02"), "binary data|NUL"),
    (SimpleUploadedFile("x.qif", b"!Type:Bank\nD1/1/2009\nT-1\nPcaf\xe9\n^\n"), "not utf-8 text"),
    (SimpleUploadedFile("x.ofx", b"OFXHEADER:100\n\n<OFX>"), "not OFX"),
])
def test_malformed_uploads_are_invalid_input_with_nothing_stored(user, upload, message):
    with pytest.raises(InvalidInput, match=message):
        services.expense_import(user=user, upload=upload, fields={})
    assert not Expense.objects.owned_by(user).exists()


def test_a_qif_and_an_ofx_of_the_same_payments_are_duplicates_of_each_other(user):
    qif = b"!Type:Bank\nD03/05/2024\nT-42.50\nPSTARBUCKS\n^\n"
    ofx = (b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
           b"COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS>"
           b"<BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240305120000<TRNAMT>-42.50<FITID>77<NAME>Starbucks"
           b"</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>")
    services.expense_import(user=user, upload=qif, fields={})
    result = services.expense_import(user=user, upload=ofx, fields={})
    assert result.counts["duplicate"] == 1 and Expense.objects.owned_by(user).count() == 1
