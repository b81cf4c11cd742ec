"""Every write of expenses sends `expense_changed` once its transaction commits (webhooks and receipt reading
subscribe to it): which expenses, and whether they were created, updated or deleted."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from expenses import services
from expenses.events import expense_changed
from expenses.models import Expense
from tests.expenses.v2.receipt_files import image

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    events = []

    def record(sender, *, user, expense_ids, action, **kwargs):
        events.append((action, expense_ids, user.pk))

    expense_changed.connect(record, dispatch_uid="test-events")
    yield events
    expense_changed.disconnect(dispatch_uid="test-events")


def committed(capture, call):
    with capture(execute=True):
        return call()


def test_each_write_sends_one_event_after_the_commit(user, sent, django_capture_on_commit_callbacks, media_root):
    run = lambda call: committed(django_capture_on_commit_callbacks, call)  # noqa: E731
    expense = run(lambda: services.expense_create(user=user, type="taxi", amount="12"))
    assert sent == [("created", [expense.pk], user.pk)]
    entry = run(lambda: services.entry_create(user=user, text="lunch 45 with jack #cash")).expense
    photo = SimpleUploadedFile("r.png", image("PNG"), content_type="image/png")
    run(lambda: services.expense_update(expense=expense, data={"notes": "airport"}, receipt=photo))
    run(lambda: services.expense_delete(expense=expense))
    run(lambda: services.expense_restore(expense=expense))
    run(lambda: services.expense_change(expense=expense, fields={"amount": Decimal("13")}))
    run(lambda: services.expense_change(expense=expense, fields={}, deleted=True))
    assert sent[1:] == [("created", [entry.pk], user.pk), ("updated", [expense.pk], user.pk),
                        ("deleted", [expense.pk], user.pk), ("updated", [expense.pk], user.pk),
                        ("updated", [expense.pk], user.pk), ("deleted", [expense.pk], user.pk)]


def test_bulk_writes_name_every_expense(user, sent, django_capture_on_commit_callbacks):
    run = lambda call: committed(django_capture_on_commit_callbacks, call)  # noqa: E731
    made = run(lambda: services.expense_bulk_create(user=user, items=[
        {"type": "a", "amount": Decimal("1")}, {"type": "b", "amount": Decimal("2")}]))
    ids = sorted(e.pk for e in made)
    run(lambda: services.expenses_tag(user=user, ids=ids, tags=["trip"]))
    run(lambda: services.expenses_delete(user=user, ids=ids))
    run(lambda: services.expenses_restore(user=user, ids=ids))
    assert [event[:2] for event in sent] == [("created", ids), ("updated", ids), ("deleted", ids), ("updated", ids)]


def test_receipts_added_or_removed_count_as_updated(user, sent, django_capture_on_commit_callbacks, media_root):
    expense = services.expense_create(user=user, type="taxi", amount="12")
    upload = SimpleUploadedFile("r.png", image("PNG"), content_type="image/png")
    receipt = committed(django_capture_on_commit_callbacks, lambda: services.receipt_add(expense=expense,
                                                                                         upload=upload))
    committed(django_capture_on_commit_callbacks, lambda: services.receipt_delete(receipt=receipt))
    assert sent == [("updated", [expense.pk], user.pk)] * 2


def test_nothing_is_sent_for_a_write_that_is_rolled_back(user, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), \
            transaction.atomic():
        services.expense_create(user=user, type="taxi", amount="12")
        raise RuntimeError
    assert callbacks == [] and sent == [] and not Expense.objects.exists()
