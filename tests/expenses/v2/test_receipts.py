"""Receipts through /api/v2/: several per expense, checked by decoding, thumbnails, files, and the legacy
`receipt` field still showing the first one at its unguessable public URL."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from expenses.models import Expense, Receipt
from tests.api_helpers import content
from tests.expenses.v2.conftest import error
from tests.expenses.v2.receipt_files import image, pdf, pdf_bomb, png_bomb
from tests.factories import ExpenseFactory

pytestmark = pytest.mark.django_db
MEDIA = {"JPEG": "image/jpeg", "PNG": "image/png", "WebP": "image/webp", "HEIC": "image/heic"}


def upload(api, expense, data, name="receipt.bin", **kwargs):
    return api.post(f"expenses/{expense.pk}/receipts/", data={"file": SimpleUploadedFile(name, data)}, **kwargs)


def stored_files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WebP", "HEIC"])
def test_images_are_kept_with_their_size_and_a_thumbnail(api, user, kind):
    expense = ExpenseFactory(owner=user)
    data = image(kind)
    response = upload(api, expense, data, name=f"lunch.{kind.lower()}")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["content_type"], body["size"], body["width"], body["height"], body["pages"]) == (
        kind, MEDIA[kind], len(data), 640, 480, None)
    assert response["Location"].endswith(f"/api/v2/expenses/{expense.pk}/receipts/{body['id']}")
    file = api.get(body["file"])
    assert file.status_code == 200 and content(file) == data and file["Content-Type"] == MEDIA[kind]
    thumbnail = api.get(body["thumbnail"])
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert max(Image.open(io.BytesIO(content(thumbnail))).size) == 400
    assert api.get(body["file"], headers={"If-None-Match": file["ETag"]}).status_code == 304
    assert api.get(f"expenses/{expense.pk}").json()["receipts"] == [body]


def test_pdfs_are_read_and_their_first_page_is_the_thumbnail(api, user):
    expense = ExpenseFactory(owner=user)
    body = upload(api, expense, pdf(pages=3), name="invoice.pdf").json()
    assert (body["kind"], body["content_type"], body["pages"], body["width"], body["height"]) == (
        "PDF", "application/pdf", 3, 300, 400)
    thumbnail = Image.open(io.BytesIO(content(api.get(body["thumbnail"]))))
    assert thumbnail.size == (300, 400)


def test_several_receipts_and_the_legacy_field_shows_the_first(api, user, client, auth):
    expense = ExpenseFactory(owner=user)
    first = upload(api, expense, image("JPEG"), name="first.jpg").json()
    second = upload(api, expense, pdf(), name="second.pdf").json()
    listed = api.get(f"expenses/{expense.pk}/receipts/").json()["results"]
    assert [r["id"] for r in listed] == [first["id"], second["id"]]
    legacy = client.get(f"/api/v1.0/expense/{expense.pk}", **auth).json()["receipt"]
    assert legacy.startswith("http://testserver/static/xpenser/media/Receipts/") and legacy.endswith("/first.jpg")
    assert len(legacy.split("/Receipts/")[1].split("/")[0]) >= 24  # the unguessable part
    public = client.get(legacy.removeprefix("http://testserver"))
    assert public.status_code == 200 and content(public) == image("JPEG")
    # Removing the first: the next one becomes the legacy receipt; the old public URL is gone.
    assert api.delete(f"expenses/{expense.pk}/receipts/{first['id']}").status_code == 204
    now = client.get(f"/api/v1.0/expense/{expense.pk}", **auth).json()["receipt"]
    assert now.endswith("/second.pdf")
    assert client.get(legacy.removeprefix("http://testserver")).status_code == 404
    assert api.delete(f"expenses/{expense.pk}/receipts/{second['id']}/").status_code == 204
    assert client.get(f"/api/v1.0/expense/{expense.pk}", **auth).json()["receipt"] is None


def test_a_legacy_upload_replaces_the_first_receipt_only(api, user, client, auth, media_root):
    expense = ExpenseFactory(owner=user)
    first = upload(api, expense, image("PNG")).json()
    second = upload(api, expense, image("JPEG")).json()
    client.post(f"/api/v1.0/expense/{expense.pk}", {"receipt": SimpleUploadedFile("scan.pdf", pdf())}, **auth)
    receipts = api.get(f"expenses/{expense.pk}/receipts").json()["results"]
    assert [r["kind"] for r in receipts] == ["PDF", "JPEG"] and receipts[1]["id"] == second["id"]
    assert first["id"] not in [r["id"] for r in receipts]
    assert client.get(f"/api/v1.0/expense/{expense.pk}", **auth).json()["receipt"].endswith("/scan.pdf")


def test_adding_a_receipt_is_a_change_of_the_expense(api, user):
    expense = ExpenseFactory(owner=user)
    cursor = api.get("expenses/").json()["sync_cursor"]
    upload(api, expense, image("PNG"))
    changes = api.get("expenses/", data={"modified_after": cursor}).json()["results"]
    assert [e["id"] for e in changes] == [expense.pk] and len(changes[0]["receipts"]) == 1


def truncated(data):
    return data[: len(data) * 2 // 3]


@pytest.mark.parametrize(("data", "name", "needle"), [
    (truncated(image("JPEG")), "cut.jpg", "truncated"),
    (truncated(image("PNG")), "cut.png", "truncated"),
    (truncated(pdf()), "cut.pdf", "truncated"),
    (b"<html><script>alert(1)</script>", "page.jpg", "not"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "fake.png", "is not a receipt we can keep"),  # right first bytes
    (image("GIF"), "anim.gif", "GIF"),
    (png_bomb(), "bomb.png", "decompression bomb"),
    (pdf_bomb(), "bomb.pdf", "decompression bomb"),
    (b"", "empty.png", "empty"),
])
def test_malformed_uploads_are_400_and_store_nothing(api, user, media_root, data, name, needle):
    expense = ExpenseFactory(owner=user)
    modified = Expense.objects.get(pk=expense.pk).modified
    found = error(upload(api, expense, data, name=name), 400, "invalid")
    assert needle in found["message"] and list(found["fields"]) == ["file"], found
    assert not Receipt.objects.exists() and stored_files(media_root) == []
    assert Expense.objects.get(pk=expense.pk).modified == modified


def test_a_large_image_within_the_pixel_limit_is_kept_and_one_beyond_refused(api, user, settings):
    expense = ExpenseFactory(owner=user)
    settings.XPENSER_RECEIPT_MAX_PIXELS = 640 * 480
    assert upload(api, expense, image("PNG")).status_code == 201
    settings.XPENSER_RECEIPT_MAX_PIXELS = 640 * 480 - 1
    assert "640 x 480 pixels" in error(upload(api, expense, image("PNG")), 400)["message"]


def test_over_the_size_limit_is_413(api, user, settings, media_root):
    expense = ExpenseFactory(owner=user)
    settings.XPENSER_RECEIPT_MAX_BYTES = 10_000
    found = error(upload(api, expense, image("JPEG")), 413, "too_large")
    assert "10000 bytes" in found["message"]
    settings.XPENSER_RECEIPT_MAX_BYTES = 1_000
    assert error(upload(api, expense, image("JPEG")), 413)  # refused from Content-Length, before reading
    assert not Receipt.objects.exists() and stored_files(media_root) == []


def test_at_most_so_many_receipts_per_expense(api, user, settings):
    settings.XPENSER_RECEIPTS_PER_EXPENSE = 2
    expense = ExpenseFactory(owner=user)
    data = image("PNG", size=(40, 30))
    assert [upload(api, expense, data).status_code for _ in range(2)] == [201, 201]
    assert "already has 2 receipts" in error(upload(api, expense, data), 400)["message"]


def test_not_multipart_or_no_file_is_refused(api, user):
    expense = ExpenseFactory(owner=user)
    assert error(api.post(f"expenses/{expense.pk}/receipts/", {"file": "x"}), 415)
    assert "file" in error(api.post(f"expenses/{expense.pk}/receipts/", data={"other": "x"}), 400)["fields"]


def test_other_users_receipts_are_404(api, other_api, user):
    expense = ExpenseFactory(owner=user)
    body = upload(api, expense, image("PNG")).json()
    assert error(other_api.get(body["file"]), 404)
    assert error(other_api.get(f"expenses/{expense.pk}/receipts/"), 404)
    assert error(upload(other_api, expense, image("PNG")), 404)
    assert error(other_api.delete(f"expenses/{expense.pk}/receipts/{body['id']}"), 404)
    assert Receipt.objects.count() == 1


def test_receipt_retry_with_the_same_key_is_one_receipt(api, user):
    expense = ExpenseFactory(owner=user)
    key = {"Idempotency-Key": "receipt-upload-1"}
    first = upload(api, expense, image("PNG"), headers=key)
    again = upload(api, expense, image("PNG"), name="other-name.png", headers=key)
    assert error(again, 422)  # another file name: another body
    retry = upload(api, expense, image("PNG"), headers=key)
    assert retry.json() == first.json() and Receipt.objects.count() == 1
