"""Reads of /api/v2/: expenses with their tags and receipts, receipts, and the owner's sync clock."""

import datetime as dt

from django.db.models import Prefetch, prefetch_related_objects

from xpenser_server.ids import parse_id

from ..models import Expense, Receipt, SyncClock
from .expenses import TAGS_BY_NAME

# The expense's receipts as a list in `receipt_list`, first (the legacy families' `receipt`) first, each with
# its reading (receipt reading's results, in the same query).
RECEIPTS_IN_ORDER = Prefetch("receipts", queryset=Receipt.objects.order_by("position", "id").select_related("reading"),
                             to_attr="receipt_list")


def expense_items(*, user):
    """All of the user's expenses (deleted ones too), each with `tag_list`; with_receipts() adds the receipts."""
    return Expense.objects.owned_by(user).prefetch_related(TAGS_BY_NAME)


def with_receipts(expenses: list[Expense]) -> list[Expense]:
    """The expenses, each with `receipt_list`: one query for those that have any (their `receipt` names the
    first), none when no expense has one."""
    having = [expense for expense in expenses if expense.receipt]
    for expense in expenses:
        if not expense.receipt:
            expense.receipt_list = []
    if having:
        prefetch_related_objects(having, RECEIPTS_IN_ORDER)
    return expenses


def expense_item(*, user, expense_id) -> Expense | None:
    """The user's expense (deleted or not) with `tag_list` and `receipt_list`, or None."""
    pk = parse_id(expense_id)
    if pk is None:
        return None
    try:
        return with_receipts([expense_items(user=user).get(pk=pk)])[0]
    except Expense.DoesNotExist:
        return None


def sync_clock_stamp(*, user) -> dt.datetime | None:
    """The last `modified` stamp given to the user's data (None before the first change)."""
    return SyncClock.objects.owned_by(user).values_list("last", flat=True).first()


def receipt_list(*, user, expense):
    return Receipt.objects.owned_by(user).filter(expense=expense).order_by("position", "id")


def receipt_get(*, user, expense_id, receipt_id) -> Receipt | None:
    expense_id, receipt_id = parse_id(expense_id), parse_id(receipt_id)
    if expense_id is None or receipt_id is None:
        return None
    return Receipt.objects.owned_by(user).filter(expense_id=expense_id, pk=receipt_id).select_related("expense").first()
