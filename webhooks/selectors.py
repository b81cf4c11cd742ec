"""Reads of webhooks: a user's hooks and their delivery log."""

from .models import Delivery, Webhook


def webhook_list(*, user):
    return Webhook.objects.owned_by(user).order_by("id")


def webhook_get(*, user, webhook_id) -> Webhook | None:
    return webhook_list(user=user).filter(pk=webhook_id).first()


def delivery_list(*, user, webhook: Webhook):
    """The hook's deliveries (the API pages them by id, oldest first)."""
    return Delivery.objects.owned_by(user).filter(webhook=webhook)
