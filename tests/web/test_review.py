"""The web app's receipt reading: the "to review" badge in the list, the suggestion with Apply / Dismiss."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from expenses import services
from expenses.models import Expense
from tests.expenses.v2.receipt_files import image
from tests.factories import ExpenseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def web(client, user):
    client.force_login(user)
    return client


def with_reading(expense, **values):
    receipt = services.receipt_add(expense=expense, upload=SimpleUploadedFile("r.png", image("PNG")))
    return services.receipt_reading_record(receipt=receipt, **values)


def test_the_list_marks_expenses_to_review(web, user):
    expense = services.expense_create_to_review(user=user)
    other = ExpenseFactory(owner=user)
    page = web.get("/expenses/?report=*").content.decode()
    assert page.count('class="badge review-badge"') == 1
    assert f'href="/expenses/{expense.pk}/#receipt-reading">to review</a>' in page
    assert f"/expenses/{other.pk}/#receipt-reading" not in page


def test_the_edit_page_shows_the_suggestion_with_apply_and_dismiss(web, user):
    expense = ExpenseFactory(owner=user, amount=D("45.00"))
    with_reading(expense, total=D("54.00"), currency="USD", date=dt.date(2026, 10, 30), merchant="Corner Bistro")
    page = web.get(f"/expenses/{expense.pk}/").content.decode()
    assert "The receipt says: <strong>54.00 USD</strong> on 2026-10-30 at Corner Bistro." in page
    assert "That differs from the amount entered (45.00 USD)." in page
    assert f'action="/expenses/{expense.pk}/review/apply/"' in page
    assert f'action="/expenses/{expense.pk}/review/dismiss/"' in page
    assert page.count("csrfmiddlewaretoken") >= 3 and "style=" not in page and "<script>" not in page


def test_apply_takes_the_receipts_total(web, user):
    expense = ExpenseFactory(owner=user, amount=D("45.00"))
    with_reading(expense, total=D("54.00"))
    response = web.post(f"/expenses/{expense.pk}/review/apply/")
    assert (response.status_code, response["Location"]) == (302, f"/expenses/{expense.pk}/")
    stored = Expense.objects.owned_by(user).get(pk=expense.pk)
    assert (stored.amount, stored.review) == (D("54.00"), "")
    assert "Applied the receipt: lunch 54.00 USD." in web.get(response["Location"]).content.decode()


def test_dismiss_keeps_the_amount_and_hides_the_buttons(web, user):
    expense = ExpenseFactory(owner=user, amount=D("45.00"))
    with_reading(expense, total=D("54.00"))
    web.post(f"/expenses/{expense.pk}/review/dismiss/")
    stored = Expense.objects.owned_by(user).get(pk=expense.pk)
    assert (stored.amount, stored.review) == (D("45.00"), "")
    assert "review/apply" not in web.get(f"/expenses/{expense.pk}/").content.decode()


def test_an_unreadable_receipt_says_so(web, user):
    expense = services.expense_create_to_review(user=user)
    with_reading(expense, error="no text was found on the receipt")
    page = web.get(f"/expenses/{expense.pk}/").content.decode()
    assert "The receipt could not be read (no text was found on the receipt). It is kept" in page
    response = web.post(f"/expenses/{expense.pk}/review/apply/", follow=True)
    assert f"expense {expense.pk} has no receipt reading to apply." in response.content.decode()


def test_others_expenses_and_get_requests_are_refused(web, other_user):
    expense = ExpenseFactory(owner=other_user, amount=D("45.00"))
    with_reading(expense, total=D("54.00"))
    assert web.post(f"/expenses/{expense.pk}/review/apply/").status_code == 404
    assert web.get(f"/expenses/{expense.pk}/review/apply/").status_code == 405
    assert Expense.objects.owned_by(other_user).get(pk=expense.pk).review == "mismatch"
