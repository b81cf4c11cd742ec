"""The jobs of webhooks: turn an expense change into deliveries, and deliver one (retried with backoff)."""

from django.conf import settings
from django.contrib.auth import get_user_model

from jobs.retry import GiveUp, job

from . import outgoing, services
from .models import PING, Delivery


@job()
def deliveries_dispatch(*, user_id: int, action: str, expense_ids: list[int], occurred_at: str) -> int:
    """Log a delivery per receiving hook and expense, each then sent by webhook_deliver; returns how many."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return 0
    return len(services.deliveries_dispatch(user=user, action=action, expense_ids=expense_ids,
                                            occurred_at=occurred_at))


@job(max_attempts="XPENSER_WEBHOOK_MAX_ATTEMPTS")
def webhook_deliver(*, delivery_id: int, owner_id: int) -> int:
    """One attempt at a delivery; a failure raises so that the job queue tries again later."""
    owner = get_user_model().objects.filter(pk=owner_id).first()
    delivery = Delivery.objects.owned_by(owner).select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None:
        return 0  # the hook (and its log) was deleted meanwhile
    if delivery.status in (Delivery.DELIVERED, Delivery.FAILED):
        return delivery.status_code or 0
    if not delivery.webhook.active and delivery.event != PING:
        services.delivery_abandon(delivery=delivery, reason="the webhook was deactivated")
        return 0
    final = delivery.attempts + 1 >= settings.XPENSER_WEBHOOK_MAX_ATTEMPTS
    try:
        delivered = services.delivery_attempt(delivery=delivery, final=final)
    except outgoing.Refused as refused:
        raise GiveUp(str(refused)) from None
    if not delivered:
        raise DeliveryFailed(f"delivery {delivery.pk} to {delivery.webhook.url}: {delivery.error}")
    return delivery.status_code


class DeliveryFailed(Exception):
    """A receiver did not answer 2xx (or could not be reached)."""
