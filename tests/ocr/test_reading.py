"""Receipt reading end to end: generated receipts through Tesseract, the job on a new receipt, unreadable
receipts kept and flagged."""

import datetime as dt
import shutil
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from bench.receipts import receipt_images
from expenses import services
from expenses.models import Expense, ReceiptReading
from ocr.engine import receipt_text
from ocr.parsing import receipt_facts
from tests.expenses.v2.receipt_files import image, pdf
from tests.factories import ExpenseFactory

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs Debian's tesseract-ocr")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module")
def generated():
    return receipt_images(4, seed=7)


@pytest.fixture(autouse=True)
def media_and_immediate_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE


@pytest.mark.parametrize("index", [0, 3])
def test_generated_receipts_give_their_total_and_date(generated, index):
    receipt = generated[index]
    facts = receipt_facts(receipt_text(receipt.data), today=dt.date(2026, 12, 31))
    assert (facts.total, facts.date, facts.currency) == (receipt.total, receipt.date, receipt.currency)


def upload(name, data, content_type):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.django_db
def test_a_photo_only_expense_is_filled_from_its_receipt(user, generated, django_capture_on_commit_callbacks):
    found = generated[0]  # in USD, the user's base currency
    with django_capture_on_commit_callbacks(execute=True):
        expense = services.expense_create_to_review(user=user, sourceid="<photo@mail>")
        services.receipt_add(expense=expense, upload=upload("photo.jpg", found.data, "image/jpeg"))
    stored = Expense.objects.owned_by(user).get(pk=expense.pk)
    assert (stored.review, stored.amount, stored.original_currency, stored.date.date()) == \
        ("to_review", found.total, "USD", found.date)
    reading = ReceiptReading.objects.owned_by(user).get()
    assert (reading.status, reading.total, reading.merchant.lower()) == ("read", found.total, found.merchant.lower())
    assert "total" in reading.text.lower()


@pytest.mark.django_db
def test_a_total_differing_from_the_amount_entered_is_flagged(user, generated, django_capture_on_commit_callbacks):
    expense = ExpenseFactory(owner=user, amount=D("1.00"))
    with django_capture_on_commit_callbacks(execute=True):
        services.receipt_add(expense=expense, upload=upload("r.jpg", generated[0].data, "image/jpeg"))
    stored = Expense.objects.owned_by(user).get(pk=expense.pk)
    assert (stored.review, stored.amount) == ("mismatch", D("1.00"))


@pytest.mark.django_db
def test_a_receipt_without_text_is_kept_and_flagged_unreadable(user, django_capture_on_commit_callbacks):
    expense = services.expense_create_to_review(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.receipt_add(expense=expense, upload=upload("blank.pdf", pdf(1), "application/pdf"))
    reading = ReceiptReading.objects.owned_by(user).get()
    assert (reading.status, reading.total, reading.error) == ("unreadable", None, "no text was found on the receipt")
    stored = Expense.objects.owned_by(user).get(pk=expense.pk)
    assert (stored.review, stored.amount, stored.receipts.count()) == ("to_review", D("0.00"), 1)


@pytest.mark.django_db
def test_the_command_reads_what_waits(user, settings, capsys, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    expense = ExpenseFactory(owner=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.receipt_add(expense=expense, upload=upload("p.png", image("PNG"), "image/png"))
    assert ReceiptReading.objects.owned_by(user).get().status == "pending"
    call_command("read_receipts")
    assert ReceiptReading.objects.owned_by(user).get().status == "unreadable"
    assert "1 unreadable" in capsys.readouterr().out


def mailed_unchecked(user, data, name):
    """A receipt stored as email in stores it, judged by its header only (its check_receipt job not run)."""
    expense = ExpenseFactory(owner=user)
    return services.receipt_add_unchecked(expense=expense, upload=upload(name, data, "image/png"))


@pytest.mark.django_db
def test_the_command_checks_a_receipt_never_checked_before_reading_it(user, settings, capsys,
                                                                      django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        receipt = mailed_unchecked(user, image("PNG"), "p.png")
        whole = image("PNG", size=(800, 600))
        cut = mailed_unchecked(user, whole[: len(whole) // 2], "cut.png")
    assert not ReceiptReading.objects.owned_by(user).exists() and not receipt.thumbnail
    with django_capture_on_commit_callbacks(execute=True):
        call_command("read_receipts")
    assert "1 refused, 1 unreadable" in capsys.readouterr().out
    receipt.refresh_from_db()
    assert receipt.thumbnail  # checked, then read
    readings = dict(ReceiptReading.objects.owned_by(user).values_list("receipt_id", "error"))
    assert readings[receipt.pk] == "no text was found on the receipt"
    assert readings[cut.pk].startswith("refused: ")  # never opened by OCR
    call_command("read_receipts", "--unreadable")
    assert ReceiptReading.objects.owned_by(user).get(receipt=cut).error == readings[cut.pk]


@pytest.mark.django_db
def test_the_reading_job_of_a_receipt_never_checked_checks_it_first(user, django_capture_on_commit_callbacks):
    from ocr.tasks import read_receipt

    whole = image("PNG", size=(800, 600))
    with django_capture_on_commit_callbacks(execute=True):
        good = mailed_unchecked(user, image("PNG"), "p.png")
        cut = mailed_unchecked(user, whole[: len(whole) // 2], "cut.png")
    assert read_receipt.enqueue(user_id=user.pk, receipt_id=cut.pk).return_value == "refused"
    assert read_receipt.enqueue(user_id=user.pk, receipt_id=cut.pk).return_value == "refused"  # again: not read
    assert read_receipt.enqueue(user_id=user.pk, receipt_id=good.pk).return_value == "unreadable"
    good.refresh_from_db()
    assert good.thumbnail
    assert ReceiptReading.objects.owned_by(user).get(receipt=good).error == "no text was found on the receipt"
