"""Writes of webhooks: a user's hooks, the deliveries of an event, and one delivery attempt."""

import json
import time
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from expenses.api.v2.documents import expense_documents
from xpenser_server.errors import InvalidInput

from . import outgoing, signing
from .models import EVENTS, PING, Delivery, Webhook, new_secret


def clean_url(url: str) -> str:
    url = (url or "").strip()
    problem = outgoing.url_problem(url)
    if problem:
        raise InvalidInput(f"url: {problem}")
    return url


def clean_events(events) -> list[str]:
    values = list(dict.fromkeys(events or ()))
    unknown = [event for event in values if event not in EVENTS]
    if unknown or not values:
        raise InvalidInput(f"events: choose from {', '.join(EVENTS)}")
    return values


@transaction.atomic
def webhook_create(*, user, url: str, events=EVENTS, description: str = "", active: bool = True) -> Webhook:
    """A new hook of the user (its secret generated); at most XPENSER_WEBHOOKS_PER_USER."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # concurrent creates count in turn
    if Webhook.objects.owned_by(user).count() >= settings.XPENSER_WEBHOOKS_PER_USER:
        raise InvalidInput(f"you have {settings.XPENSER_WEBHOOKS_PER_USER} webhooks already, the most allowed")
    return Webhook.objects.create(owner=user, url=clean_url(url), events=clean_events(events),
                                  description=description.strip(), active=active)


@transaction.atomic
def webhook_update(*, webhook: Webhook, data: dict) -> Webhook:
    """Change url, events, description, active; `rotate_secret` gives the hook a new secret."""
    if "url" in data:
        webhook.url = clean_url(data["url"])
    if "events" in data:
        webhook.events = clean_events(data["events"])
    if "description" in data:
        webhook.description = data["description"].strip()
    if "active" in data:
        webhook.active = data["active"]
    if data.get("rotate_secret"):
        webhook.secret = new_secret()
    webhook.save()
    return webhook


def webhook_delete(*, webhook: Webhook) -> None:
    """Delete the hook and its delivery log (deliveries waiting in the queue are dropped)."""
    webhook.delete()


def _body(event: str, event_id, occurred_at, user_id: int, expense: dict | None) -> str:
    payload = {"id": str(event_id), "event": event, "occurred_at": occurred_at, "user": {"id": user_id}}
    if expense is not None:
        payload["expense"] = expense
    return json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":"))


def occurred_now() -> str:
    """The moment of an event as its payload writes it (`2026-12-02T14:31:00.123456Z`)."""
    return timezone.now().isoformat().replace("+00:00", "Z")


@transaction.atomic
def deliveries_dispatch(*, user, action: str, expense_ids, occurred_at: str) -> list[Delivery]:
    """One delivery per hook of the user that takes `expense.<action>` and per expense (as v2 shows it now),
    each sent from the job queue once this commits."""
    hooks = list(Webhook.objects.receiving(user=user).select_related("owner"))
    deliveries = _deliveries_create(user=user, hooks=hooks, action=action, expense_ids=expense_ids,
                                    occurred_at=occurred_at)
    for delivery in deliveries:
        _send_after_commit(delivery)
    return deliveries


@transaction.atomic
def ping_send(*, webhook: Webhook) -> Delivery:
    """A `ping` delivery to test the hook (sent even while it is inactive), sent once this commits."""
    event_id = uuid.uuid4()
    delivery = Delivery.objects.create(owner=webhook.owner, webhook=webhook, event=PING, event_id=event_id,
                                       body=_body(PING, event_id, occurred_now(), webhook.owner_id, None))
    _send_after_commit(delivery)
    return delivery


def _send_after_commit(delivery: Delivery) -> None:
    from .tasks import webhook_deliver  # the jobs' module imports this one

    transaction.on_commit(lambda pk=delivery.pk, owner=delivery.owner_id: webhook_deliver.enqueue(
        delivery_id=pk, owner_id=owner))


def _deliveries_create(*, user, hooks, action: str, expense_ids, occurred_at: str) -> list[Delivery]:
    event = f"expense.{action}"
    takers = [hook for hook in hooks if event in hook.events]
    deliveries = []
    documents = expense_documents(user=user, expense_ids=expense_ids) if takers else {}
    for expense_id in expense_ids:
        expense = documents.get(int(expense_id))
        if expense is None:
            continue
        event_id = uuid.uuid4()
        body = _body(event, event_id, occurred_at, user.pk, expense)
        deliveries += [Delivery(owner=hook.owner, webhook=hook, event=event, event_id=event_id,
                                expense_id=expense_id, body=body) for hook in takers]
    return Delivery.objects.bulk_create(deliveries)


def delivery_abandon(*, delivery: Delivery, reason: str) -> None:
    delivery.status, delivery.error = Delivery.FAILED, reason
    delivery.save(update_fields=["status", "error"])


def delivery_attempt(*, delivery: Delivery, final: bool) -> bool:
    """POST the delivery once, signed now; log the outcome (`final`: no attempt follows a failure).
    True when the receiver answered 2xx; `outgoing.Refused` propagates (no attempt can do better)."""
    body = delivery.body.encode()
    timestamp = int(time.time())
    headers = {signing.SIGNATURE_HEADER: signing.signature(secret=delivery.webhook.secret, timestamp=timestamp,
                                                           body=body),
               "X-Xpenser-Event": delivery.event, "X-Xpenser-Delivery": str(delivery.pk),
               "X-Xpenser-Event-Id": str(delivery.event_id)}
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.status_code, delivery.response_body, delivery.error = None, "", ""
    try:
        answer = outgoing.post(delivery.webhook.url, body=body, headers=headers)
    except outgoing.Refused as refused:
        delivery.error, delivery.status = str(refused), Delivery.FAILED
        delivery.save()
        raise
    except (OSError, outgoing.HTTPException) as error:
        delivery.error = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    else:
        delivery.status_code, delivery.response_body = answer.status, answer.body
        if 200 <= answer.status < 300:
            delivery.status, delivery.delivered_at = Delivery.DELIVERED, timezone.now()
            delivery.save()
            return True
        delivery.error = f"the receiver answered {answer.status}"
    delivery.status = Delivery.FAILED if final else Delivery.RETRYING
    delivery.save()
    return False
