"""Mailed receipts: judged by size and header before the answer, decoded by a job afterwards; a file that fails
the job's check is kept, refused and says why (on the expense's review and in v2)."""

import pytest
from django.core import mail

from capture.tasks import check_receipt
from expenses.events import receipt_added
from expenses.models import Expense, Receipt, ReceiptReading
from expenses.selectors import expense_review
from expenses.services import receipt_delete
from tests.capture.conftest import make_message
from tests.expenses.v2.receipt_files import image, pdf, pdf_bomb, png_bomb

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_ocr(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XPENSER_OCR_ENABLED = False  # readings here come from the check alone


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    """Receive a message as the SMTP receiver does; `later`: what waits for the commit (the jobs) is returned
    instead of run."""
    from capture.services import mail_receive

    def receive(message, later=False):
        with django_capture_on_commit_callbacks(execute=not later) as callbacks:
            mail_receive(raw=message.as_bytes(), recipients=[message["To"]], via="smtp")
        return callbacks
    return receive


def test_the_receipt_is_stored_at_once_and_decoded_by_the_job(user, address, receive):
    callbacks = receive(make_message(address.address, "lunch 45", files=[("r.jpg", image("JPEG"), "image", "jpeg")]),
                        later=True)
    receipt = Receipt.objects.owned_by(user).get()
    assert (receipt.kind, receipt.width, receipt.height) == ("JPEG", 640, 480)  # from the header
    assert not receipt.thumbnail and receipt.file.storage.exists(receipt.file.name)
    for callback in callbacks:
        callback()
    receipt.refresh_from_db()
    assert receipt.thumbnail and receipt.thumbnail.storage.exists(receipt.thumbnail.name)
    assert not ReceiptReading.objects.owned_by(user).exists()
    assert "Receipts kept: r.jpg." in mail.outbox[0].body


def test_a_pdf_is_checked_by_the_job(user, address, receive):
    receive(make_message(address.address, "taxi 12", files=[("r.pdf", pdf(3), "application", "pdf")]))
    receipt = Receipt.objects.owned_by(user).get()
    assert (receipt.kind, receipt.pages, receipt.width) == ("PDF", 3, 300) and receipt.thumbnail


def test_a_truncated_image_is_kept_and_refused_with_the_reason(user, address, receive):
    whole = image("PNG", size=(800, 600))
    receive(make_message(address.address, "", files=[("cut.png", whole[: len(whole) // 2], "image", "png")]))
    expense = Expense.objects.owned_by(user).get()
    receipt = Receipt.objects.owned_by(user).get()
    assert receipt.expense == expense and not receipt.thumbnail
    reading = ReceiptReading.objects.owned_by(user).get()
    assert reading.status == ReceiptReading.UNREADABLE
    assert reading.error == "refused: the image is truncated (the file ends before the picture does)"
    suggestion = expense_review(expense)
    assert (suggestion.state, suggestion.reading, suggestion.error) == ("to_review", "unreadable", reading.error)


def test_a_pdf_that_unpacks_to_too_much_is_refused_by_the_job(user, address, receive):
    receive(make_message(address.address, "taxi 12", files=[("bomb.pdf", pdf_bomb(), "application", "pdf")]))
    reading = ReceiptReading.objects.owned_by(user).get()
    assert reading.error.startswith("refused: the PDF") and "decompression bomb" in reading.error
    assert not Receipt.objects.owned_by(user).get().thumbnail


def test_an_image_declaring_too_many_pixels_is_refused_before_the_answer(user, address, receive):
    callbacks = receive(make_message(address.address, "lunch 45", files=[("bomb.png", png_bomb(), "image", "png")]),
                        later=True)
    assert Receipt.objects.count() == 0 and Expense.objects.owned_by(user).count() == 1
    for callback in callbacks:
        callback()
    assert "- receipt 'bomb.png' not kept: file: 'bomb.png' is not a receipt we can keep: it unpacks to too many" \
        in mail.outbox[0].body


def test_a_gif_is_refused_by_its_header(user, address, receive):
    receive(make_message(address.address, "lunch 45", files=[("r.gif", image("GIF"), "image", "gif")]))
    assert Receipt.objects.count() == 0
    assert "'r.gif' is not a receipt we can keep: it is a GIF image" in mail.outbox[0].body


def test_a_receipt_removed_before_its_check_is_gone(user, address, receive):
    receive(make_message(address.address, "lunch 45", files=[("r.jpg", image("JPEG"), "image", "jpeg")]), later=True)
    receipt = Receipt.objects.owned_by(user).get()
    receipt_delete(receipt=receipt)
    assert check_receipt.enqueue(user_id=user.pk, receipt_id=receipt.pk).return_value == "gone"


def test_a_receipt_checked_twice_is_left_as_it_is(user, address, receive):
    receive(make_message(address.address, "lunch 45", files=[("r.jpg", image("JPEG"), "image", "jpeg")]))
    receipt = Receipt.objects.owned_by(user).get()
    assert check_receipt.enqueue(user_id=user.pk, receipt_id=receipt.pk).return_value == "already checked"
    assert Receipt.objects.owned_by(user).get().thumbnail.name == receipt.thumbnail.name


def test_only_a_receipt_that_passes_its_check_goes_on_to_be_read(user, address, receive):
    added = []

    def receiver(sender, receipt, **kwargs):
        added.append(receipt.name)

    receipt_added.connect(receiver)
    try:
        whole = image("PNG", size=(800, 600))
        receive(make_message(address.address, "lunch 45", files=[("good.png", whole, "image", "png"),
                                                                 ("cut.png", whole[:3000], "image", "png")]))
    finally:
        receipt_added.disconnect(receiver)
    assert added == ["good.png"]
    assert Receipt.objects.owned_by(user).count() == 2
