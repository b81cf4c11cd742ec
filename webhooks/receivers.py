"""What webhooks does when expenses change: one job per change turns it into deliveries (out of the request)."""

from django.dispatch import receiver

from expenses.events import expense_changed

from .models import Webhook
from .services import occurred_now
from .tasks import deliveries_dispatch


@receiver(expense_changed, dispatch_uid="webhooks.expense_changed")
def expense_changed_received(sender, *, user, expense_ids, action, **kwargs) -> None:
    """expenses.events.expense_changed (sent after the commit): enqueue the dispatch when a hook listens."""
    if not Webhook.objects.receiving(user=user).exists():
        return
    deliveries_dispatch.enqueue(user_id=user.pk, action=action, expense_ids=list(expense_ids),
                                occurred_at=occurred_now())
