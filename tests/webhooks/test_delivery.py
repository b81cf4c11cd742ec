"""Expense events reach a user's webhooks: signed JSON with the expense in v2's shape, delivered by the job
queue, tried again after a failure, each attempt in the delivery log."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from expenses import services as expense_services
from jobs.models import DeadJob
from tests.conftest import basic_auth
from tests.expenses.v2.conftest import V2Client
from tests.webhooks.receiver import receiving, verify
from webhooks import services
from webhooks.models import Delivery

# The worker runs in this process and closes connections left in a transaction: these tests commit for real.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("database_queue")]


@pytest.fixture(autouse=True)
def _local_receivers(settings):
    settings.XPENSER_WEBHOOK_ALLOW_PRIVATE = True
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    settings.XPENSER_PUBLIC_URL = "https://xpenser.example"


def work():
    call_command("jobs_worker", batch=True, verbosity=0, startup_delay=False, reload=False)


def test_a_new_expense_is_delivered_signed_in_v2_shape(client, user):
    api = V2Client(client, basic_auth(user.email))
    with receiving() as (url, received):
        hook = api.post("webhooks/", {"url": url + "/hooks?token=abc", "events": ["expense.created"]}).json()
        created = api.post("expenses/", {"type": "lunch", "amount": "45.00", "tags": ["jack"]}).json()
        work()
    assert len(received) == 1
    request = received[0]
    assert request["path"] == "/hooks?token=abc"
    headers = request["headers"]
    assert verify(hook["secret"], headers["X-Xpenser-Signature"], request["body"])
    assert not verify("whsec_other", headers["X-Xpenser-Signature"], request["body"])
    assert headers["Content-Type"] == "application/json" and headers["X-Xpenser-Event"] == "expense.created"
    payload = request["json"]
    assert set(payload) == {"id", "event", "occurred_at", "user", "expense"}
    assert payload["event"] == "expense.created" and payload["user"] == {"id": user.pk}
    assert payload["id"] == headers["X-Xpenser-Event-Id"] and payload["occurred_at"].endswith("Z")
    assert payload["expense"] == api.get(f"expenses/{created['id']}/").json()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.status_code, delivery.error) == ("delivered", 1, 200, "")
    assert delivery.response_body == "thanks" and delivery.expense_id == created["id"]
    assert headers["X-Xpenser-Delivery"] == str(delivery.pk)


def test_a_failed_delivery_is_tried_again_and_logged(user):
    with receiving(statuses=[500]) as (url, received):
        hook = services.webhook_create(user=user, url=url)
        expense = expense_services.expense_create(user=user, type="taxi", amount="12")
        work()
    assert len(received) == 2
    assert received[0]["body"] == received[1]["body"]
    assert all(verify(hook.secret, r["headers"]["X-Xpenser-Signature"], r["body"]) for r in received)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.status_code) == ("delivered", 2, 200)
    assert delivery.event == "expense.created" and delivery.expense_id == expense.pk
    results = DBTaskResult.objects.filter(task_path="webhooks.tasks.webhook_deliver").order_by("enqueued_at")
    assert [r.status for r in results] == ["FAILED", "SUCCESSFUL"]
    assert "the receiver answered 500" in results[0].traceback


def test_updates_and_deletes_are_events_too(user):
    with receiving() as (url, received):
        services.webhook_create(user=user, url=url, events=["expense.updated", "expense.deleted"])
        expense = expense_services.expense_create(user=user, type="taxi", amount="12")
        expense_services.expense_update(expense=expense, data={"notes": "to the airport"})
        expense_services.expense_delete(expense=expense)
        work()
    events = sorted((r["json"]["event"], r["json"]["expense"]["notes"], r["json"]["expense"]["deleted"])
                    for r in received)
    # Payloads show the expense when the dispatch ran (both after the delete here).
    assert events == [("expense.deleted", "to the airport", True), ("expense.updated", "to the airport", True)]


def test_a_delivery_that_never_succeeds_ends_failed_and_dead(user, settings):
    settings.XPENSER_WEBHOOK_MAX_ATTEMPTS = 2
    with receiving(statuses=[503] * 10) as (url, received):
        services.webhook_create(user=user, url=url)
        expense_services.expense_create(user=user, type="taxi", amount="12")
        work()
    assert len(received) == 2
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.status_code == 503
    assert delivery.error == "the receiver answered 503"
    assert DeadJob.objects.get().task_path == "webhooks.tasks.webhook_deliver"


def test_receivers_on_private_addresses_are_refused_unless_allowed(user, settings):
    settings.XPENSER_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(Exception, match="private, loopback or reserved"):
        services.webhook_create(user=user, url="http://127.0.0.1:9/")
    hook = services.webhook_create(user=user, url="http://localhost:9/")  # a name: checked when delivering
    with receiving():
        expense_services.expense_create(user=user, type="taxi", amount="12")
        work()
    delivery = Delivery.objects.get(webhook=hook)
    assert delivery.status == "failed" and "127.0.0.1 is a private, loopback" in delivery.error
    assert DeadJob.objects.get().attempts == 1  # no retry can do better
