"""One dispatch turns a change of many expenses into deliveries with the same few queries as one expense."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ExpenseFactory
from webhooks.models import Delivery, Webhook
from webhooks.services import deliveries_dispatch

pytestmark = pytest.mark.django_db


def dispatch(user, expenses) -> int:
    with CaptureQueriesContext(connection) as captured:
        deliveries_dispatch(user=user, action="updated", expense_ids=[e.pk for e in expenses],
                            occurred_at="2026-12-02T00:00:00Z")
    return len(captured.captured_queries)


def test_many_expenses_cost_no_more_queries_than_one(user):
    Webhook.objects.create(owner=user, url="https://hooks.example.com/a", events=["expense.updated"])
    Webhook.objects.create(owner=user, url="https://hooks.example.com/b", events=["expense.updated"])
    one = dispatch(user, [ExpenseFactory(owner=user)])
    many = [ExpenseFactory(owner=user, type=f"lunch {n}") for n in range(6)]
    assert dispatch(user, many) == one
    bodies = [json.loads(d.body) for d in Delivery.objects.order_by("id")[2:]]
    assert len(bodies) == 12
    assert [b["expense"]["type"] for b in bodies[::2]] == [f"lunch {n}" for n in range(6)]
    assert {b["expense"]["id"] for b in bodies} == {e.pk for e in many}


def test_expense_documents_read_many_ids_in_chunks(user, monkeypatch):
    from expenses.api.v2 import documents

    expenses = [ExpenseFactory(owner=user, type=f"taxi {n}") for n in range(5)]
    ids = [e.pk for e in expenses] + [expenses[-1].pk + 100]  # one id that does not exist
    whole = documents.expense_documents(user=user, expense_ids=ids)
    assert sorted(whole) == [e.pk for e in expenses]
    monkeypatch.setattr(documents, "CHUNK_SIZE", 2)
    with CaptureQueriesContext(connection) as captured:
        chunked = documents.expense_documents(user=user, expense_ids=ids)
    assert chunked == whole
    assert [chunked[e.pk]["type"] for e in expenses] == [f"taxi {n}" for n in range(5)]
    assert len(captured.captured_queries) == 3 * 2  # ceil(6 / 2) chunks: the expenses and their tags each
    selects = [q["sql"] for q in captured.captured_queries if '"expenses_expense"."id" IN' in q["sql"]]
    assert len(selects) == 3


def test_expense_documents_of_one_chunk_are_one_read(user):
    from expenses.api.v2 import documents

    expenses = [ExpenseFactory(owner=user) for _ in range(3)]
    with CaptureQueriesContext(connection) as captured:
        found = documents.expense_documents(user=user, expense_ids=[e.pk for e in expenses])
    assert sorted(found) == [e.pk for e in expenses]
    assert len(captured.captured_queries) == 2  # the expenses, their tags
