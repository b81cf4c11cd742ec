"""Signals other apps subscribe to (webhooks, receipt reading) so that expenses never imports them.

Senders fire them after the transaction commits (`transaction.on_commit`), so a receiver never sees a row
that a rollback takes back.

- `expense_changed(sender=Expense, user=, expense_ids=[...], action="created" | "updated" | "deleted")`:
  every write service of expenses/services sends it (receipts added or removed count as updated, a restore
  too); `expenses_changed_on_commit` is how.
- `receipt_added(sender=Receipt, receipt=)`
"""

from django.db import transaction
from django.dispatch import Signal

from .models import Expense

expense_changed = Signal()
receipt_added = Signal()

ACTIONS = ("created", "updated", "deleted")


def expenses_changed_on_commit(*, user, expense_ids, action: str) -> None:
    """Send `expense_changed` for these expenses once the current transaction commits (at once outside one)."""
    if action not in ACTIONS:
        raise ValueError(f"action: {action!r} is not one of {ACTIONS}")
    ids = sorted({int(pk) for pk in expense_ids})
    if ids:
        transaction.on_commit(lambda: expense_changed.send(sender=Expense, user=user, expense_ids=ids,
                                                           action=action))
