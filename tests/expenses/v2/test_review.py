"""/api/v2/ expenses' `review` (what receipt reading suggests) and the Apply / Dismiss actions."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from expenses import services
from expenses.models import Expense
from tests.expenses.v2.conftest import error
from tests.expenses.v2.receipt_files import image
from tests.factories import ExpenseFactory

pytestmark = pytest.mark.django_db
NOTHING = {"state": None, "reading": None, "total": None, "currency": None, "date": None, "merchant": "",
           "mismatch": False, "error": ""}


def with_reading(expense, **values):
    receipt = services.receipt_add(expense=expense, upload=SimpleUploadedFile("r.png", image("PNG")))
    return services.receipt_reading_record(receipt=receipt, **values)


def test_an_expense_without_receipts_has_nothing_to_review(api, user):
    expense = ExpenseFactory(owner=user)
    assert api.get(f"expenses/{expense.pk}").json()["review"] == NOTHING


def test_a_mismatch_is_shown_with_the_receipts_values(api, user):
    expense = ExpenseFactory(owner=user, amount=D("45.00"))
    with_reading(expense, total=D("54.00"), currency="USD", date=dt.date(2026, 10, 30), merchant="Corner Bistro")
    review = api.get(f"expenses/{expense.pk}").json()["review"]
    assert review == {"state": "mismatch", "reading": "read", "total": "54.00", "currency": "USD",
                      "date": "2026-10-30", "merchant": "Corner Bistro", "mismatch": True, "error": ""}
    listed = api.get("expenses/").json()["results"]
    assert [item["review"]["state"] for item in listed] == ["mismatch"]


def test_an_unreadable_receipt_is_flagged(api, user):
    expense = services.expense_create_to_review(user=user)
    with_reading(expense, error="no text was found on the receipt")
    review = api.get(f"expenses/{expense.pk}").json()["review"]
    assert (review["state"], review["reading"], review["error"]) == ("to_review", "unreadable",
                                                                    "no text was found on the receipt")


def test_apply_takes_the_receipts_total_and_answers_the_expense(api, user):
    expense = ExpenseFactory(owner=user, amount=D("45.00"))
    with_reading(expense, total=D("54.00"))
    response = api.post(f"expenses/{expense.pk}/review/apply")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["amount"], body["review"]["state"], body["review"]["mismatch"]) == ("54.00", None, False)
    assert response["ETag"]
    assert Expense.objects.owned_by(user).get(pk=expense.pk).amount == D("54.00")


def test_dismiss_keeps_the_amount(api, user):
    expense = ExpenseFactory(owner=user, amount=D("45.00"))
    with_reading(expense, total=D("54.00"))
    body = api.post(f"expenses/{expense.pk}/review/dismiss/").json()
    assert (body["amount"], body["review"]["state"], body["review"]["mismatch"]) == ("45.00", None, True)


def test_apply_without_a_reading_is_a_clear_400(api, user):
    expense = ExpenseFactory(owner=user)
    problem = error(api.post(f"expenses/{expense.pk}/review/apply"), 400)
    assert problem["message"] == f"expense {expense.pk} has no receipt reading to apply"


def test_another_users_expense_is_not_found_and_unchanged(api, other_user):
    expense = ExpenseFactory(owner=other_user, amount=D("45.00"))
    with_reading(expense, total=D("54.00"))
    error(api.post(f"expenses/{expense.pk}/review/apply"), 404)
    assert Expense.objects.owned_by(other_user).get(pk=expense.pk).review == "mismatch"


def test_a_stale_if_match_is_refused(api, user):
    expense = ExpenseFactory(owner=user, amount=D("45.00"))
    with_reading(expense, total=D("54.00"))
    error(api.post(f"expenses/{expense.pk}/review/apply", headers={"If-Match": '"1-0"'}), 412)
