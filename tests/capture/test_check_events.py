"""The check of a mailed receipt changes what v2 shows of its expense (the thumbnail and size, or the review's
reading when refused): the expense gets a new `modified` (its ETag) and an `expense.updated` goes to the user's
webhooks."""

import json

import pytest
from django_tasks import default_task_backend

from expenses.api.v2.documents import expense_documents
from expenses.models import Expense, Receipt
from expenses.services import expense_delete, expense_restore, receipt_check
from tests.capture.conftest import make_message
from tests.expenses.v2.receipt_files import image
from webhooks.models import Webhook
from webhooks.services import deliveries_dispatch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queue_kept(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XPENSER_OCR_ENABLED = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # jobs kept, not run
    default_task_backend.clear()


@pytest.fixture
def hook(user):
    return Webhook.objects.create(owner=user, url="https://hooks.example/xpenser", events=["expense.updated"])


def mailed(user, address, django_capture_on_commit_callbacks, data, name="r.png"):
    """The receipt of a mail just received (its check queued, not run), and its expense's v2 document."""
    from capture.services import mail_receive

    message = make_message(address.address, "lunch 45", files=[(name, data, "image", name.rsplit(".")[-1])])
    with django_capture_on_commit_callbacks(execute=True):
        mail_receive(raw=message.as_bytes(), recipients=[message["To"]], via="smtp")
    default_task_backend.clear()
    receipt = Receipt.objects.owned_by(user).select_related("expense", "owner").get()
    return receipt, expense_documents(user=user, expense_ids=[receipt.expense_id])[receipt.expense_id]


def dispatched():
    return [(r.task.name, r.kwargs["action"], r.kwargs["expense_ids"]) for r in default_task_backend.results
            if r.task.name == "deliveries_dispatch"]


def test_the_thumbnail_made_by_the_check_is_an_expense_updated(user, address, hook,
                                                               django_capture_on_commit_callbacks):
    receipt, before = mailed(user, address, django_capture_on_commit_callbacks, image("PNG"))
    assert before["receipts"][0]["thumbnail"] is None
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt_check(receipt=receipt) == "checked"
    assert dispatched() == [("deliveries_dispatch", "updated", [receipt.expense_id])]
    after = expense_documents(user=user, expense_ids=[receipt.expense_id])[receipt.expense_id]
    assert after["receipts"][0]["thumbnail"].endswith("/thumbnail")
    assert Expense.objects.get(pk=receipt.expense_id).modified > receipt.expense.modified
    delivery, = deliveries_dispatch(user=user, action="updated", expense_ids=[receipt.expense_id],
                                    occurred_at="2026-12-02T12:00:00Z")
    body = json.loads(delivery.body)
    assert (body["event"], body["expense"]["receipts"][0]["thumbnail"]) == ("expense.updated",
                                                                            after["receipts"][0]["thumbnail"])


def test_a_receipt_refused_by_the_check_is_an_expense_updated(user, address, hook,
                                                              django_capture_on_commit_callbacks):
    whole = image("PNG", size=(800, 600))
    receipt, before = mailed(user, address, django_capture_on_commit_callbacks, whole[: len(whole) // 2])
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt_check(receipt=receipt) == "refused"
    assert dispatched() == [("deliveries_dispatch", "updated", [receipt.expense_id])]
    after = expense_documents(user=user, expense_ids=[receipt.expense_id])[receipt.expense_id]
    assert (before["review"]["reading"], after["review"]["reading"]) == (None, "unreadable")


def test_a_receipt_removed_before_its_check_sends_nothing(user, address, hook, django_capture_on_commit_callbacks):
    receipt, _ = mailed(user, address, django_capture_on_commit_callbacks, image("PNG"))
    Receipt.objects.filter(pk=receipt.pk).delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt_check(receipt=receipt) == "gone"
    assert dispatched() == []


def deleted_before_its_check(user, receipt, django_capture_on_commit_callbacks):
    """Soft-delete the receipt's expense (its own `expense.deleted` sent and forgotten); its `modified` then."""
    with django_capture_on_commit_callbacks(execute=True):
        expense_delete(expense=Expense.objects.owned_by(user).get(pk=receipt.expense_id))
    default_task_backend.clear()
    return Expense.objects.get(pk=receipt.expense_id).modified


def test_the_check_of_a_deleted_expenses_receipt_moves_its_modified_and_sends_nothing(user, address, hook,
                                                                               django_capture_on_commit_callbacks):
    receipt, _ = mailed(user, address, django_capture_on_commit_callbacks, image("PNG"))
    deleted_at = deleted_before_its_check(user, receipt, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt_check(receipt=receipt) == "checked"
    assert dispatched() == []
    checked_at = Expense.objects.get(pk=receipt.expense_id).modified
    assert checked_at > deleted_at  # v2 still serves it: its ETag follows the thumbnail it now shows
    assert Receipt.objects.get(pk=receipt.pk).thumbnail
    with django_capture_on_commit_callbacks(execute=True):
        expense_restore(expense=Expense.objects.owned_by(user).get(pk=receipt.expense_id))
    assert dispatched() == [("deliveries_dispatch", "updated", [receipt.expense_id])]
    after = expense_documents(user=user, expense_ids=[receipt.expense_id])[receipt.expense_id]
    assert after["receipts"][0]["thumbnail"].endswith("/thumbnail")
    assert Expense.objects.get(pk=receipt.expense_id).modified > checked_at


def test_a_deleted_expenses_receipt_refused_by_the_check_sends_nothing(user, address, hook,
                                                                       django_capture_on_commit_callbacks):
    whole = image("PNG", size=(800, 600))
    receipt, _ = mailed(user, address, django_capture_on_commit_callbacks, whole[: len(whole) // 2])
    deleted_at = deleted_before_its_check(user, receipt, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt_check(receipt=receipt) == "refused"
    assert dispatched() == []
    assert Expense.objects.get(pk=receipt.expense_id).modified > deleted_at
    after = expense_documents(user=user, expense_ids=[receipt.expense_id])[receipt.expense_id]
    assert (after["deleted"], after["review"]["reading"]) == (True, "unreadable")
