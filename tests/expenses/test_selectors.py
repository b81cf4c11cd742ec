"""expense_get: the one lookup every item request of both API families and the web app starts from."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from expenses import selectors
from expenses.models import Expense
from expenses.serializers import expense_tags
from tests.factories import ExpenseFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_expense_get_returns_the_owners_expense_with_its_tags_in_two_queries():
    user = UserFactory()
    expense = ExpenseFactory(owner=user)
    expense.tags.set([TagFactory(owner=user, name="zeta"), TagFactory(owner=user, name="alpha")])
    with CaptureQueriesContext(connection) as queries:
        found = selectors.expense_get(user=user, expense_id=expense.pk)
        names = [tag.name for tag in expense_tags(found)]
    assert len(queries) == 2
    assert found == expense and found.amount == expense.amount and found.date == expense.date
    assert names == ["alpha", "zeta"]


def test_expense_get_never_returns_another_users_expense():
    expense = ExpenseFactory()
    assert selectors.expense_get(user=UserFactory(), expense_id=expense.pk) is None


def test_expense_get_of_a_deleted_expense_only_when_deleted_ones_are_included():
    expense = ExpenseFactory(status=Expense.DELETED)
    user = expense.owner
    assert selectors.expense_get(user=user, expense_id=expense.pk) == expense
    assert selectors.expense_get(user=user, expense_id=expense.pk, include_deleted=False) is None


@pytest.mark.parametrize("expense_id", [0, -1, 2**63, 10**30, "12abc", "", None])
def test_expense_get_of_what_is_not_an_id_is_none(expense_id):
    ExpenseFactory()
    assert selectors.expense_get(user=UserFactory(), expense_id=expense_id) is None


def test_web_edit_page_of_an_id_beyond_the_database_range_is_404(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(f"/expenses/{10**30}/").status_code == 404
