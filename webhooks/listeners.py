"""`User.has_webhooks`: whether an active hook may receive a user's events, kept exact on every change of a hook.

Every write of an expense asks whether to dispatch its event (receivers.py); the flag is on the user row that
the request has already loaded, so a user whom no hook listens to costs no query. It is refreshed in the
transaction that changes a hook (saved, deleted, by the API, the admin or a cascade) and when an account is
made while an administrator's hook receives every user's events.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Webhook


def listeners_refresh() -> None:
    """Set `has_webhooks` on exactly the users an active hook may receive events of (changed rows only)."""
    users = get_user_model().objects
    if Webhook.objects.for_every_user().exists():
        users.filter(has_webhooks=False).update(has_webhooks=True)
        return
    owners = Webhook.objects.active_owner_ids()
    users.filter(has_webhooks=True).exclude(pk__in=owners).update(has_webhooks=False)
    users.filter(has_webhooks=False, pk__in=owners).update(has_webhooks=True)


@receiver(post_save, sender=Webhook, dispatch_uid="webhooks.listeners.saved")
@receiver(post_delete, sender=Webhook, dispatch_uid="webhooks.listeners.deleted")
def webhook_changed(sender, instance: Webhook, **kwargs) -> None:
    listeners_refresh()
    if Webhook.owner.is_cached(instance):  # the caller's user object sees the change too
        instance.owner.refresh_from_db(fields=["has_webhooks"])


@receiver(post_save, sender=get_user_model(), dispatch_uid="webhooks.listeners.user_created")
def user_created(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and not instance.has_webhooks and Webhook.objects.for_every_user().exists():
        get_user_model().objects.filter(pk=instance.pk).update(has_webhooks=True)
        instance.has_webhooks = True
