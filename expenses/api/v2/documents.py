"""An expense as /api/v2/ answers it, outside a request (webhook payloads): links use XPENSER_PUBLIC_URL."""

from django.conf import settings

from ... import selectors
from .serializers import ExpenseSerializer


def expense_documents(*, user, expense_ids) -> dict[int, dict]:
    """The user's expenses (deleted or not) in v2's shape by id, read together; those that do not exist (any
    more) are absent."""
    ids = list(expense_ids)
    expenses = selectors.with_receipts(list(selectors.expense_items(user=user).filter(pk__in=ids)))
    serializer = ExpenseSerializer(expenses, many=True, context={"base_url": settings.XPENSER_PUBLIC_URL.rstrip("/")})
    return {expense.pk: document for expense, document in zip(expenses, serializer.data, strict=True)}
