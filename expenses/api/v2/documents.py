"""An expense as /api/v2/ answers it, outside a request (webhook payloads): links use XPENSER_PUBLIC_URL."""

from django.conf import settings

from ... import selectors
from .serializers import ExpenseSerializer


def expense_document(*, user, expense_id) -> dict | None:
    """The user's expense (deleted or not) in v2's shape, or None when it does not exist (any more)."""
    expense = selectors.expense_item(user=user, expense_id=expense_id)
    if expense is None:
        return None
    return ExpenseSerializer(expense, context={"base_url": settings.XPENSER_PUBLIC_URL.rstrip("/")}).data
