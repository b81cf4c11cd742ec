"""The import page: upload, a choice per CSV column, preview (dry run) with duplicates and errors per row,
then the import; nothing stored on failure, other formats too, user text escaped."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from expenses.models import Expense
from tests.factories import ExpenseFactory

pytestmark = pytest.mark.django_db
BANK_CSV = (b"Booked,Payee,Value,Memo\n"
            b"2026-03-02,Lunch,45.00,with jack\n"
            b"2026-03-03,Taxi,12.50,airport\n")


def csv(data=BANK_CSV, name="bank.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def token_of(response) -> str:
    return re.search(r'name="upload" value="([^"]+)"', response.content.decode()).group(1)


def mapped(token, **columns):
    data = {"upload": token, "filename": "bank.csv", "options_sent": "1", "header": "1", "format": "csv"}
    data.update({f"column_{number}": field for number, field in columns.items()})
    return data


def test_the_page_is_linked_and_offers_an_upload(web, user):
    assert 'href="/import/"' in web.get("/expenses/").content.decode()
    page = web.get("/import/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<label for="import-file">Expense file</label>' in html and 'type="file" name="file"' in html


def test_a_csv_is_mapped_column_by_column_previewed_then_imported(web, user):
    first = web.post("/import/", {"file": csv(), "options_sent": "1", "header": "1"})
    assert first.status_code == 400  # "Booked" and "Value" name no field: the page asks for the columns
    assert first.context["error"].startswith("no column for date: map it")
    assert [(c["number"], c["name"], c["field"]) for c in first.context["columns"]] == [
        (1, "Booked", ""), (2, "Payee", "type"), (3, "Value", "amount"), (4, "Memo", "notes")]
    html = first.content.decode()
    assert '<label for="column-1">Column 1 “Booked”</label>' in html and 'name="column_1"' in html
    token = token_of(first)
    preview = web.post("/import/", {**mapped(token, **{"1": "date", "2": "type", "3": "amount", "4": "notes"}),
                                     "action": "preview"})
    assert preview.status_code == 200
    result = preview.context["result"]
    assert result.dry_run and result.counts == {"rows": 2, "new": 2, "duplicate": 0, "skipped": 0, "error": 0}
    assert [row.values["type"] for row in preview.context["rows"]] == ["Lunch", "Taxi"]
    assert 'value="import">Import 2 expenses</button>' in preview.content.decode()
    assert not Expense.objects.filter(owner=user).exists()  # a preview stores nothing
    done = web.post("/import/", {**mapped(token, **{"1": "date", "2": "type", "3": "amount", "4": "notes"}),
                                  "action": "import"})
    assert done.status_code == 302 and done["Location"] == "/expenses/?report=*"
    rows = Expense.objects.filter(owner=user).order_by("date")
    assert [(e.type, e.amount, e.notes, e.date.date()) for e in rows] == [
        ("Lunch", Decimal("45.00"), "with jack", dt.date(2026, 3, 2)),
        ("Taxi", Decimal("12.50"), "airport", dt.date(2026, 3, 3))]
    assert [str(m) for m in web.get("/expenses/").context["messages"]] == ["Imported 2 expenses from bank.csv."]
    again = web.post("/import/", {**mapped(token, **{"1": "date"}), "action": "import"})
    assert again.status_code == 400  # the kept file went with the import
    assert again.context["error"].startswith("file: the uploaded file is no longer kept")
    assert Expense.objects.filter(owner=user).count() == 2


def test_duplicates_are_marked_and_left_out(web, user):
    ExpenseFactory(owner=user, type="Lunch", amount=Decimal("45.00"), date=dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC))
    data = b"date,type,amount\n2026-03-02,Lunch,45.00\n2026-03-05,Dinner,30\n"
    preview = web.post("/import/", {"file": csv(data), "options_sent": "1", "header": "1"})
    assert preview.status_code == 200
    lunch, dinner = preview.context["rows"]
    assert (lunch.status, dinner.status) == ("duplicate", "new")
    existing = Expense.objects.get(owner=user, type="Lunch")
    html = preview.content.decode()
    assert f'<a href="/expenses/{existing.pk}/">of expense {existing.pk}</a>' in html
    assert "1 duplicate (left out)" in html
    fields = {"upload": token_of(preview), "filename": "x.csv", "options_sent": "1", "header": "1",
              "column_1": "date", "column_2": "type", "column_3": "amount", "action": "import"}
    assert web.post("/import/", fields).status_code == 302
    assert sorted(Expense.objects.filter(owner=user).values_list("type", flat=True)) == ["Dinner", "Lunch"]
    assert [str(m) for m in web.get("/").context["messages"]] == ["Imported 1 expense from x.csv (left out: 1 duplicate)."]


def test_rows_in_error_are_shown_and_nothing_is_stored(web, user):
    data = b"date,type,amount\n2026-03-02,Lunch,45.00\n2026-03-03,Taxi,lots\n"
    preview = web.post("/import/", {"file": csv(data), "options_sent": "1", "header": "1"})
    assert preview.status_code == 200
    bad = preview.context["rows"][1]
    assert bad.status == "error" and bad.errors
    html = preview.content.decode()
    assert 'value="import"' not in html and "1 with errors: nothing is imported until they are fixed" in html
    assert bad.errors == ["amount: 'lots' is not an amount"]
    assert f'<p class="field-error">{escape(bad.errors[0])}</p>' in html
    forced = web.post("/import/", {"upload": token_of(preview), "options_sent": "1", "header": "1",
                                    "column_1": "date", "column_2": "type", "column_3": "amount", "action": "import"})
    assert forced.status_code == 400
    assert forced.context["error"].startswith("1 of 2 rows has errors, nothing was imported: row 2 (line 3)")
    assert not Expense.objects.filter(owner=user).exists()


def test_a_field_chosen_twice_is_refused(web, user):
    first = web.post("/import/", {"file": csv(), "options_sent": "1", "header": "1"})
    response = web.post("/import/", {**mapped(token_of(first), **{"1": "date", "2": "amount", "3": "amount"}),
                                     "action": "preview"})
    assert response.status_code == 400
    assert response.context["error"] == ("mapping: Amount is chosen for columns 2 and 3; choose it for one "
                                         "column only")


QIF = b"!Type:Cash\nD03/04/2026\nT-12.50\nPTaxi\nMairport\n^\n"
LEGACY_JSON = (b'[{"pk": 7, "model": "xpense.expense", "fields": {"date": "2009-08-26 12:00:00", "type": "lunch", '
               b'"amount": "45.00", "rawamount": "45.00", "notes": "with jack", "status": 1, "sourceid": "", '
               b'"category": null, "report": 1, "tags": []}}]')
OFX = b"""OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKTRANLIST>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260304<TRNAMT>-9.99<FITID>A1<NAME>Books<MEMO>paper</STMTTRN>
</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
"""


@pytest.mark.parametrize("name, data, fmt, kind", [
    ("cash.qif", QIF, "qif", "Taxi"), ("old.json", LEGACY_JSON, "json", "lunch"), ("bank.ofx", OFX, "ofx", "Books"),
])
def test_qif_legacy_json_and_ofx_import_through_the_page(web, user, name, data, fmt, kind):
    preview = web.post("/import/", {"file": SimpleUploadedFile(name, data), "options_sent": "1", "header": "1",
                                    "date_order": "DMY"})
    assert preview.status_code == 200, preview.context.get("error")
    assert preview.context["format"] == fmt and "columns" not in preview.context
    assert preview.context["result"].counts["new"] == 1
    done = web.post("/import/", {"upload": token_of(preview), "filename": name, "options_sent": "1", "header": "1",
                                 "format": fmt, "date_order": "DMY", "action": "import"})
    assert done.status_code == 302
    assert list(Expense.objects.filter(owner=user).values_list("type", flat=True)) == [kind]


def test_bad_uploads_are_answered_4xx(web, user, settings):
    missing = web.post("/import/", {"options_sent": "1"})
    assert missing.status_code == 400
    assert missing.context["error"] == "file: choose the expense file to import (CSV, QIF, JSON, XML, OFX or XLSX)"
    image = web.post("/import/", {"file": SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40)})
    assert image.status_code == 400 and "not an expense file" in image.context["error"]
    settings.XPENSER_IMPORT_MAX_BYTES = 100
    large = web.post("/import/", {"file": csv(b"date,type,amount\n" + b"2026-01-01,x,1\n" * 20)})
    assert large.status_code == 413 and large.context["error"].startswith("file: larger than the limit of 100 bytes")
    forged = web.post("/import/", {"upload": "../../etc/passwd", "options_sent": "1"})
    assert forged.status_code == 400 and forged.context["error"].startswith("file: the uploaded file is no longer kept")
    assert not Expense.objects.filter(owner=user).exists()


def test_another_users_upload_cannot_be_imported(web, user, other_user, client):
    preview = web.post("/import/", {"file": csv(b"date,type,amount\n2026-03-02,Lunch,45\n")})
    client.force_login(other_user)
    stolen = client.post("/import/", {"upload": token_of(preview), "options_sent": "1", "action": "import"})
    assert stolen.status_code == 400 and not Expense.objects.exists()


def test_user_text_in_the_file_is_escaped(web, user):
    data = b'date,type,amount,notes\n2026-03-02,<script>alert(1)</script>,45,"<b>bold</b>"\n'
    preview = web.post("/import/", {"file": csv(data, name='<img src=x onerror=alert(1)>.csv')})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html and "<img src=x" not in html


def test_the_page_needs_a_login(client):
    response = client.get("/import/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
