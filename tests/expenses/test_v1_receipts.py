"""Receipts: multipart upload on update/create, type and size checks, public and authenticated download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from expenses.models import Expense
from tests.api_helpers import as_json, content, error_of
from tests.factories import ExpenseFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake but typed\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, auth, expense, data, name="receipt.png", extra=None):
    return client.post(f"/api/v1.0/expense/{expense.pk}", {"receipt": SimpleUploadedFile(name, data),
                                                            **(extra or {})}, **auth)


def test_attach_and_download_publicly_and_with_credentials(client, user, auth, media_root):
    expense = ExpenseFactory(owner=user)
    response = upload(client, auth, expense, PNG, name="lunch at joe's.png", extra={"notes": "with receipt"})
    assert response.status_code == 200
    obj = as_json(response)
    assert obj["notes"] == "with receipt"
    url = obj["receipt"]
    assert url.startswith("http://testserver/static/xpenser/media/Receipts/") and url.endswith(".png")
    token = url.split("/Receipts/")[1].split("/")[0]
    assert len(token) >= 24
    public = client.get(url.removeprefix("http://testserver"))
    assert public.status_code == 200 and content(public) == PNG
    assert public["Content-Type"] == "image/png"
    private = client.get(f"/api/v1.0/expense/{expense.pk}/receipt", **auth)
    assert private.status_code == 200 and content(private) == PNG
    assert client.get(f"/api/v1.0/expense/{expense.pk}/receipt").status_code == 401
    assert as_json(client.get("/api/v1.0/expenses/", **auth))[0]["receipt"] == url


def test_replacing_a_receipt_removes_the_old_file(client, user, auth, media_root):
    expense = ExpenseFactory(owner=user)
    first = as_json(upload(client, auth, expense, PNG))["receipt"]
    second = as_json(upload(client, auth, expense, PDF, name="scan.pdf"))["receipt"]
    assert first != second and second.endswith(".pdf")
    assert client.get(first.removeprefix("http://testserver")).status_code == 404
    assert client.get(second.removeprefix("http://testserver"))["Content-Type"] == "application/pdf"


def test_public_media_type_comes_from_the_content(client, user, auth, media_root):
    # Even a receipt stored under a misleading name (e.g. by an older release) is never served as HTML.
    expense = ExpenseFactory(owner=user)
    (media_root / "Receipts" / "tok").mkdir(parents=True)
    (media_root / "Receipts" / "tok" / "page.html").write_bytes(PDF)
    (media_root / "Receipts" / "tok" / "x.html").write_bytes(b"<script>alert(1)</script>")
    Expense.objects.filter(pk=expense.pk).update(receipt="Receipts/tok/page.html")
    response = client.get("/static/xpenser/media/Receipts/tok/page.html")
    assert response["Content-Type"] == "application/pdf"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    Expense.objects.filter(pk=expense.pk).update(receipt="Receipts/tok/x.html")
    response = client.get("/static/xpenser/media/Receipts/tok/x.html")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_extension_follows_the_content_not_the_name(client, user, auth):
    expense = ExpenseFactory(owner=user)
    url = as_json(upload(client, auth, expense, PNG, name="evil.html"))["receipt"]
    assert url.endswith("/evil.png")


def test_create_with_a_receipt(client, user, auth):
    response = client.post("/api/v1.0/expense/", {"type": "taxi", "amount": "12",
                                                  "receipt": SimpleUploadedFile("r.pdf", PDF)}, **auth)
    assert response.status_code == 200
    assert as_json(response)["receipt"].endswith("/r.pdf")


@pytest.mark.parametrize(("data", "name", "needle"), [(b"<html><script>", "x.png", "is not an image"),
                                                      (b"", "empty.png", "empty")])
def test_wrong_type_or_empty_is_400_and_keeps_nothing(client, user, auth, media_root, data, name, needle):
    expense = ExpenseFactory(owner=user, notes="keep")
    assert needle in error_of(upload(client, auth, expense, data, name=name, extra={"notes": "changed"}), 400)
    expense.refresh_from_db()
    assert not expense.receipt and expense.notes == "keep"
    assert not list(media_root.rglob("*.*"))


def test_too_large_is_413(client, user, auth, settings, media_root):
    settings.XPENSER_RECEIPT_MAX_BYTES = 1000
    expense = ExpenseFactory(owner=user)
    error = error_of(upload(client, auth, expense, PNG + b"\x00" * 1000), 413)
    assert "maximum is 1000 bytes" in error
    expense.refresh_from_db()
    assert not expense.receipt


def test_a_failed_create_stores_no_expense(client, user, auth):
    assert error_of(client.post("/api/v1.0/expense/", {"type": "taxi", "amount": "12",
                                                       "receipt": SimpleUploadedFile("r.txt", b"hello")}, **auth), 400)
    assert not Expense.objects.exists()


def test_unknown_receipts_are_404(client, user, auth, media_root):
    (media_root / "Receipts").mkdir()
    (media_root / "Receipts" / "loose.png").write_bytes(PNG)
    (media_root / "secret.txt").write_text("no")
    assert client.get("/static/xpenser/media/Receipts/loose.png").status_code == 404
    assert client.get("/static/xpenser/media/Receipts/../secret.txt").status_code == 404
    assert client.get("/static/xpenser/media/Receipts/nope/none.png").status_code == 404
    expense = ExpenseFactory(owner=user)
    assert "no receipt" in error_of(client.get(f"/api/v1.0/expense/{expense.pk}/receipt", **auth), 404)


def test_another_users_receipt_is_404_through_the_api(client, user, auth, other_user):
    theirs = ExpenseFactory(owner=other_user)
    assert error_of(client.get(f"/api/v1.0/expense/{theirs.pk}/receipt", **auth), 404)
