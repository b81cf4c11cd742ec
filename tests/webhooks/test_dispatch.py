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
