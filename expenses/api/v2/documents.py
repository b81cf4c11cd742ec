"""An expense as /api/v2/ answers it, outside a request (webhook payloads): links use XPENSER_PUBLIC_URL."""

from django.conf import settings

from ... import selectors
from .serializers import ExpenseSerializer

CHUNK_SIZE = 500  # ids per read: a bulk change of thousands of expenses makes no giant IN list


def expense_documents(*, user, expense_ids) -> dict[int, dict]:
    """The user's expenses (deleted or not) in v2's shape by id, read CHUNK_SIZE ids at a time (one read for
    fewer); those that do not exist (any more) are absent."""
    ids = list(dict.fromkeys(expense_ids))
    context = {"base_url": settings.XPENSER_PUBLIC_URL.rstrip("/")}
    documents = {}
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start:start + CHUNK_SIZE]
        expenses = selectors.with_receipts(list(selectors.expense_items(user=user).filter(pk__in=chunk)))
        serializer = ExpenseSerializer(expenses, many=True, context=dict(context))
        documents.update(zip((expense.pk for expense in expenses), serializer.data, strict=True))
    return documents
