"""ExpenseSerializer builds each expense's representation at once: the same dict, key for key and in the same
order, as DRF's field-by-field representation of the declared fields, for every kind of expense."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from rest_framework import serializers

from expenses import selectors, services
from expenses.api.v2.serializers import ExpenseSerializer
from expenses.models import Expense
from tests.expenses.v2.receipt_files import image
from tests.factories import ExpenseFactory, ReportFactory, TagFactory

pytestmark = pytest.mark.django_db


def _expenses(user):
    ExpenseFactory(owner=user, tags=[TagFactory(owner=user, name="travel"), TagFactory(owner=user, name="Cash")],
                   category="travel", sourceid="phone-1", notes="")
    ExpenseFactory(owner=user, report=ReportFactory(owner=user), amount=D("0.00"), original_amount=D("12.30"),
                   original_currency="EUR", amount_currency="USD", rate=None, rawamount=D("12.30"), category=None,
                   status=Expense.DELETED,
                   date=dt.datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=dt.UTC))
    ExpenseFactory(owner=user, amount=D("11.00"), original_amount=D("10.00"), original_currency="EUR",
                   amount_currency="USD", rate=D("1.100000000000"), rate_date=dt.date(2026, 11, 3), review=Expense.MISMATCH)
    read = ExpenseFactory(owner=user, amount=D("-5.50"))
    receipt = services.receipt_add(expense=read, upload=SimpleUploadedFile("r.png", image("PNG")))
    services.receipt_reading_record(receipt=receipt, total=D("54.00"), currency="USD", date=dt.date(2026, 10, 30),
                                    merchant="Corner Bistro")
    services.receipt_add(expense=read, upload=SimpleUploadedFile("r.jpg", image("JPEG")))
    items = sorted(selectors.expense_items(user=user), key=lambda expense: expense.pk)
    return selectors.with_receipts(items)


def test_each_expense_is_represented_as_drf_would_field_by_field(user, media_root):
    request = RequestFactory().get("/api/v2/expenses/")
    request.user = user
    expenses = _expenses(user)
    serializer = ExpenseSerializer(context={"request": request})
    for expense in expenses:
        built = serializer.to_representation(expense)
        by_fields = serializers.Serializer.to_representation(serializer, expense)
        assert list(built) == list(by_fields)
        assert built == dict(by_fields)
    assert any(serializer.to_representation(expense)["receipts"] for expense in expenses)
    assert any(serializer.to_representation(expense)["warnings"] for expense in expenses)


def test_the_list_answers_the_same_as_each_item(api, user, media_root):
    _expenses(user)
    listed = api.get("expenses/?deleted=all").json()["results"]
    assert len(listed) == 4
    for item in listed:
        assert api.get(f"expenses/{item['id']}").json() == item
