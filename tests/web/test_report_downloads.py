"""The report page: totals by type and tag, downloads named after the report in every format (the PDF
expense report with its receipts), deletion moving or deleting its expenses, names used once."""

import csv
import io
import json
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from expenses.models import Expense
from reports.models import Report
from tests.factories import ExpenseFactory, ReportFactory, TagFactory, default_report

pytestmark = pytest.mark.django_db


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=300)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def trip(user):
    report = ReportFactory(owner=user, name="Berlin trip 2026")
    cash = TagFactory(owner=user, name="cash")
    ExpenseFactory(owner=user, report=report, type="lunch", amount=Decimal("45.00"), notes="with jack", tags=[cash])
    ExpenseFactory(owner=user, report=report, type="Lunch", amount=Decimal("15.00"), notes="")
    ExpenseFactory(owner=user, report=report, type="taxi", amount=Decimal("30.00"), tags=[cash])
    ExpenseFactory(owner=user, report=report, type="gone", amount=Decimal("99.00"), status=Expense.DELETED)
    return report


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_report_page_totals_by_type_and_tag(web, trip):
    response = web.get(f"/reports/{trip.pk}/")
    by_type = {row["type"].lower(): (row["count"], row["total"]) for row in response.context["by_type"]}
    assert by_type == {"lunch": (2, Decimal("60.00")), "taxi": (1, Decimal("30.00"))}
    by_tag = {row["label"]: row["total"] for row in response.context["by_tag"]}
    assert by_tag == {"#cash": Decimal("75.00"), "(no tag)": Decimal("15.00")}
    body = response.content.decode()
    assert "Totals by type" in body and f'href="/reports/{trip.pk}/download/pdf/"' in body
    for fmt in ("csv", "json", "qif", "xml", "ofx", "xlsx"):
        assert f'href="/reports/{trip.pk}/download/{fmt}/"' in body


@pytest.mark.parametrize("fmt, media", [("csv", "text/csv"), ("json", "application/json"),
                                        ("qif", "application/qif"), ("xml", "text/xml")])
def test_downloads_are_attachments_named_after_the_report(web, trip, fmt, media):
    response = web.get(f"/reports/{trip.pk}/download/{fmt}/")
    assert response.status_code == 200 and response["Content-Type"].startswith(media)
    assert response["Content-Disposition"] == f'attachment; filename="berlin-trip-2026.{fmt}"'
    text = body_of(response).decode()
    assert "with jack" in text and "gone" not in text


def test_download_contents(web, trip):
    rows = list(csv.DictReader(io.StringIO(body_of(web.get(f"/reports/{trip.pk}/download/csv/")).decode())))
    assert [(r["type"], r["amount"], r["tags"]) for r in rows] == [("lunch", "45.00", "cash"), ("Lunch", "15.00", ""),
                                                                   ("taxi", "30.00", "cash")]
    items = json.loads(body_of(web.get(f"/reports/{trip.pk}/download/json/")))
    assert {item["type"] for item in items} == {"lunch", "Lunch", "taxi"} and items[0]["tags"] == ["cash"]
    root = ElementTree.fromstring(body_of(web.get(f"/reports/{trip.pk}/download/xml/")))
    assert len(root.findall("resource")) == 3
    assert body_of(web.get(f"/reports/{trip.pk}/download/qif/")).decode().count("T-") == 3


def test_ofx_and_xlsx_downloads_hold_the_reports_live_expenses(web, trip):
    from ofxtools.Parser import OFXTree
    from openpyxl import load_workbook

    response = web.get(f"/reports/{trip.pk}/download/ofx/")
    assert response["Content-Disposition"] == 'attachment; filename="berlin-trip-2026.ofx"'
    tree = OFXTree()
    tree.parse(io.BytesIO(body_of(response)))
    statement = tree.convert().statements[0]
    assert sorted(t.trnamt for t in statement.transactions) == [Decimal("-45.00"), Decimal("-30.00"),
                                                                Decimal("-15.00")]
    response = web.get(f"/reports/{trip.pk}/download/xlsx/")
    assert response["Content-Disposition"] == 'attachment; filename="berlin-trip-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(body_of(response)), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 4 and "gone" not in str(values)  # a header row and the three live expenses


def test_pdf_expense_report_embeds_the_receipts(web, user, trip):
    with_image, with_pdf = Expense.objects.filter(report=trip, status=Expense.LIVE).order_by("id")[:2]
    with_image.receipt.save("r.png", ContentFile(png_bytes()))
    with_pdf.receipt.save("r.pdf", ContentFile(pdf_bytes()))
    response = web.get(f"/reports/{trip.pk}/download/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="berlin-trip-2026.pdf"'
    pdf = PdfReader(io.BytesIO(response.content))
    first = pdf.pages[0].extract_text()
    assert "Berlin trip 2026" in first and "90.00" in first and "with jack" in first and "gone" not in first
    assert "By type" in first and "#cash" in first
    # The report page(s), the image receipt on a page of its own, then the PDF receipt's page.
    assert len(pdf.pages) == 3
    assert pdf.pages[1].images and f"R{with_image.pk}" in pdf.pages[1].extract_text()
    assert pdf.pages[2].mediabox.width == 200


def test_pdf_lists_receipts_it_cannot_embed(web, user, trip):
    expense = Expense.objects.filter(report=trip, status=Expense.LIVE).first()
    expense.receipt.save("r.pdf", ContentFile(b"%PDF-1.4 not really a pdf"))
    pdf = PdfReader(io.BytesIO(web.get(f"/reports/{trip.pk}/download/pdf/").content))
    assert len(pdf.pages) == 1 and f"R{expense.pk}" in pdf.pages[0].extract_text().split("Not embedded")[1]


def test_downloads_of_unknown_formats_and_other_users_reports_are_404(web, other_user, trip):
    assert web.get(f"/reports/{trip.pk}/download/exe/").status_code == 404
    theirs = ReportFactory(owner=other_user)
    for fmt in ("csv", "pdf"):
        assert web.get(f"/reports/{theirs.pk}/download/{fmt}/").status_code == 404


def test_export_page_downloads_are_named_after_the_report(web, user, trip):
    response = web.get(f"/expenses/download/csv/?report={trip.pk}&search=taxi")
    assert response["Content-Disposition"] == 'attachment; filename="berlin-trip-2026.csv"'
    assert body_of(response).decode().count("\n") == 2  # the header and the one match
    everything = web.get("/expenses/download/xml/?report=*")
    assert everything["Content-Disposition"] == 'attachment; filename="all-reports.xml"'
    assert web.get("/expenses/download/json/")["Content-Disposition"] == 'attachment; filename="my-expenses.json"'
    assert web.get("/expenses/download/csv/?amount_min=x").status_code == 400


def test_a_report_name_is_used_once_in_the_web_app(web, user, trip):
    response = web.post("/reports/", {"name": "berlin TRIP 2026"})
    assert response.status_code == 400 and "already have a report named" in response.context["error"]
    other = ReportFactory(owner=user, name="Other")
    response = web.post(f"/reports/{other.pk}/", {"action": "rename", "name": "Berlin trip 2026"})
    assert response.status_code == 400
    assert Report.objects.filter(owner=user, name__iexact="berlin trip 2026").count() == 1


def test_delete_a_report_moving_its_expenses(web, user, trip):
    target = ReportFactory(owner=user, name="Target")
    page = web.get(f"/reports/{trip.pk}/delete/").content.decode()
    assert "Move them to" in page and "Delete them too" in page
    response = web.post(f"/reports/{trip.pk}/delete/", {"expenses": "move", "move_to": target.pk})
    assert response["Location"] == "/reports/"
    assert not Report.objects.filter(pk=trip.pk).exists()
    assert Expense.objects.filter(report=target, status=Expense.LIVE).count() == 3


def test_delete_a_report_with_its_expenses(web, user, trip):
    web.post(f"/reports/{trip.pk}/delete/", {"expenses": "delete"})
    assert not Report.objects.filter(pk=trip.pk).exists()
    assert Expense.objects.filter(owner=user, status=Expense.DELETED).count() == 4
    assert Expense.objects.filter(report=default_report(user)).count() == 4


def test_the_default_report_cannot_be_deleted(web, user):
    default = default_report(user)
    response = web.post(f"/reports/{default.pk}/delete/", {"expenses": "move"})
    assert response.status_code == 400 and "default report" in response.context["error"]


def test_status_is_shown_wherever_the_report_appears(web, user):
    sent = ReportFactory(owner=user, name="Sent", status=Report.Status.SUBMITTED)
    ExpenseFactory(owner=user, report=sent)
    for path in ("/expenses/?report=*", f"/reports/{sent.pk}/", "/reports/", f"/charts/?report={sent.pk}"):
        assert "Submitted" in web.get(path).content.decode(), path
    assert "Sent · submitted" in web.get("/").content.decode()  # in the quick entry's report menu
