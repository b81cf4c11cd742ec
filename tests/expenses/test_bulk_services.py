"""Bulk services: the whole selection is checked before anything is written, each in one transaction, and
every changed expense gets a new `modified` (delta sync)."""

from decimal import Decimal

import pytest

from expenses import services
from expenses.models import Expense
from reports.models import Report
from tests.factories import ExpenseFactory, ReportFactory
from xpenser_server.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_move_into_a_new_report_is_one_transaction(user):
    expense = ExpenseFactory(owner=user)
    ReportFactory(owner=user, name="Taken")
    with pytest.raises(InvalidInput, match="already have a report named"):
        services.expenses_move(user=user, ids=[expense.pk], new_report_name="taken")
    report, moved = services.expenses_move(user=user, ids=[expense.pk], new_report_name="Berlin")
    assert moved == 1 and Expense.objects.get().report == report == Report.objects.get(name="Berlin")


def test_an_unknown_id_changes_nothing(user, other_user):
    mine, theirs = ExpenseFactory(owner=user), ExpenseFactory(owner=other_user)
    trip = ReportFactory(owner=user)
    for call in (lambda ids: services.expenses_move(user=user, ids=ids, report=trip.pk),
                 lambda ids: services.expenses_tag(user=user, ids=ids, tags="x"),
                 lambda ids: services.expenses_delete(user=user, ids=ids)):
        with pytest.raises(InvalidInput, match=f"expense {theirs.pk} not found"):
            call([mine.pk, theirs.pk])
    mine.refresh_from_db()
    assert (mine.report_id, mine.status, list(mine.tags.all())) == (Report.objects.get(owner=user,
                                                                                       is_default=True).pk, 1, [])


def test_delete_and_restore_return_what_changed_and_bump_modified(user):
    live, gone = ExpenseFactory(owner=user), ExpenseFactory(owner=user, status=Expense.DELETED)
    before = live.modified
    assert services.expenses_delete(user=user, ids=[live.pk, gone.pk]) == [live.pk]
    live.refresh_from_db()
    assert live.status == Expense.DELETED and live.modified > before
    assert services.expenses_restore(user=user, ids=[live.pk, gone.pk]) == 2


def test_tagging_keeps_existing_tags_and_creates_missing_ones(user):
    expense = ExpenseFactory(owner=user, amount=Decimal("1.00"))
    services.expenses_tag(user=user, ids=[expense.pk], tags="a")
    assert services.expenses_tag(user=user, ids=[expense.pk], tags="#a, b") == 1
    assert sorted(t.name for t in expense.tags.all()) == ["a", "b"]


def test_the_selection_is_bounded(user):
    with pytest.raises(InvalidInput, match="at most"):
        services.clean_selection(user=user, ids=[str(n) for n in range(1, services.bulk.MAX_SELECTION + 2)])
