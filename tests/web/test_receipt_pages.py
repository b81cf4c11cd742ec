"""Receipts in the web app: several per expense added from the editor (a file, a photo, a drop: one form) and
from Home with the entry text, each shown as a thumbnail, viewed and deleted; refusals named, nothing stored."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from expenses.models import Expense, Receipt
from reports.models import Report
from tests.expenses.v2.receipt_files import image, pdf
from tests.factories import ExpenseFactory, ReportFactory

pytestmark = pytest.mark.django_db
JPEG = image("JPEG")


def jpeg(name="ticket.jpg", data=JPEG):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def stored(media):
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_editor_adds_several_receipts_and_shows_each_with_its_thumbnail(web, user):
    expense = ExpenseFactory(owner=user)
    response = web.post(f"/expenses/{expense.pk}/receipts/", {"receipt": [jpeg(), SimpleUploadedFile("bill.pdf", pdf(2))]})
    assert response.status_code == 302
    assert response["Location"] == f"/expenses/{expense.pk}/#receipts"
    first, second = Receipt.objects.filter(expense=expense).order_by("position")
    assert (first.name, first.kind, second.name, second.kind, second.pages) == ("ticket.jpg", "JPEG", "bill.pdf", "PDF", 2)
    expense.refresh_from_db()
    assert expense.receipt.name == first.file.name  # the older families keep showing the first one
    page = web.get(f"/expenses/{expense.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert [str(m) for m in page.context["messages"]] == [f"Attached 2 receipts to {expense.type}: “ticket.jpg”, “bill.pdf”."]
    assert f'src="/expenses/{expense.pk}/receipts/{first.pk}/thumbnail/"' in html
    assert f'href="/expenses/{expense.pk}/receipts/{second.pk}/"' in html
    assert 'capture="environment"' in html and 'accept="image/*,application/pdf"' in html


def test_files_and_thumbnails_are_served_to_their_owner_only(web, user, other_user, client):
    expense = ExpenseFactory(owner=user)
    web.post(f"/expenses/{expense.pk}/receipts/", {"receipt": jpeg()})
    receipt = Receipt.objects.get(expense=expense)
    file = web.get(f"/expenses/{expense.pk}/receipts/{receipt.pk}/")
    assert file.status_code == 200 and file["Content-Type"] == "image/jpeg" and body(file) == JPEG
    assert "default-src 'none'" in file["Content-Security-Policy"]
    thumbnail = web.get(f"/expenses/{expense.pk}/receipts/{receipt.pk}/thumbnail/")
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert body(thumbnail)[:3] == b"\xff\xd8\xff" and body(thumbnail) != JPEG
    client.force_login(other_user)
    for path in ("", "thumbnail/"):
        assert client.get(f"/expenses/{expense.pk}/receipts/{receipt.pk}/{path}").status_code == 404
    assert client.post(f"/expenses/{expense.pk}/receipts/{receipt.pk}/delete/").status_code == 404
    assert client.post(f"/expenses/{expense.pk}/receipts/", {"receipt": jpeg()}).status_code == 404
    assert Receipt.objects.filter(expense=expense).count() == 1
    anonymous = client.__class__()
    assert anonymous.get(f"/expenses/{expense.pk}/receipts/{receipt.pk}/").status_code == 302


def test_lists_show_the_first_receipts_thumbnail_and_how_many_more(web, user):
    expense = ExpenseFactory(owner=user, type="Hotel")
    web.post(f"/expenses/{expense.pk}/receipts/", {"receipt": [jpeg(), jpeg("second.jpg")]})
    first = Receipt.objects.filter(expense=expense).order_by("position").first()
    thumb = f'src="/expenses/{expense.pk}/receipts/{first.pk}/thumbnail/"'
    for path in ("/", "/expenses/", f"/reports/{expense.report_id}/", f"/expenses/{expense.pk}/row/?display=1"):
        html = web.get(path).content.decode()
        assert thumb in html, path
        assert '<span class="receipt-count">+1</span>' in html and 'aria-label="2 receipts of Hotel"' in html


def test_a_pdf_without_thumbnail_shows_its_kind(web, user, settings):
    expense = ExpenseFactory(owner=user)
    web.post(f"/expenses/{expense.pk}/receipts/", {"receipt": SimpleUploadedFile("bill.pdf", pdf(1))})
    receipt = Receipt.objects.get(expense=expense)
    Receipt.objects.filter(pk=receipt.pk).update(thumbnail="")
    assert web.get(f"/expenses/{expense.pk}/receipts/{receipt.pk}/thumbnail/").status_code == 404
    assert '<span class="badge receipt-badge">PDF</span>' in web.get("/expenses/").content.decode()


@pytest.mark.parametrize("name, data, status, message", [
    ("cut.jpg", JPEG[: len(JPEG) // 2], 400, "receipt: 'cut.jpg' is not a receipt we can keep"),
    ("notes.txt", b"just some text", 400, "receipt: 'notes.txt' is not a receipt we can keep"),
    ("empty.png", b"", 400, "receipt: 'empty.png' is empty"),
    ("huge.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), 413, "receipt: 'huge.pdf' is 5242885 bytes; the maximum is 5 MB"),
])
def test_refused_files_are_named_and_nothing_is_stored(web, user, settings, name, data, status, message):
    expense = ExpenseFactory(owner=user)
    response = web.post(f"/expenses/{expense.pk}/receipts/", {"receipt": [jpeg("good.jpg"), SimpleUploadedFile(name, data)]})
    assert response.status_code == status
    assert response.context["receipt_error"].startswith(message)
    assert 'id="receipt-error" role="alert"' in response.content.decode()
    assert not Receipt.objects.filter(expense=expense).exists()
    assert stored(settings.MEDIA_ROOT) == []
    expense.refresh_from_db()
    assert not expense.receipt


def test_no_file_and_too_many_files_are_refused(web, user, settings):
    settings.XPENSER_RECEIPTS_PER_EXPENSE = 2
    expense = ExpenseFactory(owner=user)
    response = web.post(f"/expenses/{expense.pk}/receipts/", {})
    assert response.status_code == 400
    assert response.context["receipt_error"] == "receipt: choose a file first (a photo or a PDF of the receipt)"
    response = web.post(f"/expenses/{expense.pk}/receipts/", {"receipt": [jpeg(), jpeg(), jpeg()]})
    assert response.status_code == 400
    assert response.context["receipt_error"] == "receipt: an expense holds at most 2 receipts; 3 chosen, room for 2"
    assert not Receipt.objects.filter(expense=expense).exists()
    web.post(f"/expenses/{expense.pk}/receipts/", {"receipt": [jpeg(), jpeg()]})
    assert f'action="/expenses/{expense.pk}/receipts/"' not in web.get(f"/expenses/{expense.pk}/").content.decode()


def test_deleting_a_receipt_removes_its_files_and_the_next_becomes_the_first(web, user, settings,
                                                                          django_capture_on_commit_callbacks):
    expense = ExpenseFactory(owner=user)
    web.post(f"/expenses/{expense.pk}/receipts/", {"receipt": [jpeg(), jpeg("second.jpg")]})
    first, second = Receipt.objects.filter(expense=expense).order_by("position")
    files = [first.file.path, first.thumbnail.path]
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(f"/expenses/{expense.pk}/receipts/{first.pk}/delete/", {"next": f"/expenses/{expense.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/expenses/{expense.pk}/#receipts"
    assert list(Receipt.objects.filter(expense=expense)) == [second]
    assert not any(Path(path).exists() for path in files)
    expense.refresh_from_db()
    assert expense.receipt.name == second.file.name
    assert web.get(f"/expenses/{expense.pk}/receipts/{first.pk}/").status_code == 404
    assert web.get(f"/expenses/{expense.pk}/receipts/{first.pk}/delete/").status_code == 405


def test_a_submitted_report_asks_before_receipts_change(web, user):
    report = ReportFactory(owner=user, name="Sent", status=Report.Status.SUBMITTED)
    expense = ExpenseFactory(owner=user, report=report)
    response = web.post(f"/expenses/{expense.pk}/receipts/", {"receipt": jpeg()})
    assert response.status_code == 409
    assert "Change it anyway" in response.content.decode()
    assert not Receipt.objects.filter(expense=expense).exists()
    assert web.post(f"/expenses/{expense.pk}/receipts/", {"receipt": jpeg(), "confirm": "1"}).status_code == 302
    receipt = Receipt.objects.get(expense=expense)
    asked = web.post(f"/expenses/{expense.pk}/receipts/{receipt.pk}/delete/")
    assert asked.status_code == 409 and Receipt.objects.filter(pk=receipt.pk).exists()
    assert web.post(f"/expenses/{expense.pk}/receipts/{receipt.pk}/delete/", {"confirm": "1"}).status_code == 302
    assert not Receipt.objects.filter(pk=receipt.pk).exists()


def test_receipt_names_are_escaped(web, user):
    expense = ExpenseFactory(owner=user)
    web.post(f"/expenses/{expense.pk}/receipts/", {"receipt": jpeg("<img src=x onerror=alert(1)>.jpg")})
    html = web.get(f"/expenses/{expense.pk}/").content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;.jpg" in html


def test_home_attaches_the_receipt_to_the_expense_it_records(web, user):
    response = web.post("/", {"q": "taxi 12 airport", "report": "", "receipt": [jpeg(), SimpleUploadedFile("b.pdf", pdf(1))]})
    assert response.status_code == 302
    expense = Expense.objects.get(owner=user, type="taxi")
    assert [r.name for r in Receipt.objects.filter(expense=expense).order_by("position")] == ["ticket.jpg", "b.pdf"]
    page = web.get("/")
    assert str(list(page.context["messages"])[0]).endswith(" · 2 receipts attached")
    first = Receipt.objects.filter(expense=expense).order_by("position").first()
    assert f'/expenses/{expense.pk}/receipts/{first.pk}/thumbnail/' in page.content.decode()


def test_home_without_receipt_still_records(web, user):
    assert web.post("/", {"q": "coffee 3", "report": ""}).status_code == 302
    assert Expense.objects.filter(owner=user, type="coffee").exists()


def test_home_with_a_bad_receipt_records_nothing_and_keeps_the_text(web, user, settings):
    response = web.post("/", {"q": "taxi 12 airport", "report": "", "receipt": SimpleUploadedFile("x.txt", b"text")})
    assert response.status_code == 400
    assert response.context["error"].startswith("receipt: 'x.txt' is not a receipt we can keep")
    assert 'value="taxi 12 airport"' in response.content.decode()
    assert not Expense.objects.filter(owner=user).exists() and stored(settings.MEDIA_ROOT) == []
    big = web.post("/", {"q": "taxi 12", "receipt": SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * 5242880)})
    assert big.status_code == 413 and not Expense.objects.filter(owner=user).exists()


def test_home_timer_start_takes_no_receipt(web, user):
    response = web.post("/", {"q": "Time start clientx", "report": "", "receipt": jpeg()})
    assert response.status_code == 400
    assert "starts a timer and records no expense yet" in response.context["error"]
    assert web.get("/").context["timer"] is None


def test_home_form_offers_the_camera_and_files(web, user):
    html = web.get("/").content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="entry-receipt-camera">Take a photo of the receipt</label>' in html
    assert 'id="entry-receipt-camera" accept="image/*,application/pdf" capture="environment"' in html
    assert '<label for="entry-receipt-files">Choose receipt files</label>' in html
    assert "<script>" not in html and "style=" not in html


def test_the_pdf_report_embeds_every_receipt_of_an_expense(web, user):
    expense = ExpenseFactory(owner=user, type="Hotel")
    web.post(f"/expenses/{expense.pk}/receipts/", {"receipt": [jpeg(), SimpleUploadedFile("bill.pdf", pdf(2)),
                                                               jpeg("minibar.jpg")]})
    response = web.get(f"/reports/{expense.report_id}/download/pdf/")
    assert response.status_code == 200
    document = PdfReader(io.BytesIO(response.content))
    texts = [page.extract_text() for page in document.pages]
    assert f"R{expense.pk}, R{expense.pk}.2, R{expense.pk}.3" in texts[0]
    # The report, the two image receipts on pages of their own, then the PDF receipt's two pages.
    assert len(document.pages) == 5
    assert f"Receipt R{expense.pk}:" in texts[1] and f"Receipt R{expense.pk}.3:" in texts[2]
    assert document.pages[1].images and document.pages[2].images
