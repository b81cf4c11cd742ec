"""Signals other apps subscribe to (webhooks, receipt reading) so that expenses never imports them.

Senders fire them after the transaction commits (`transaction.on_commit`), so a receiver never sees a row
that a rollback takes back.

- `expense_changed(sender=Expense, user=, expense_ids=[...], action="created" | "updated" | "deleted")`
- `receipt_added(sender=Receipt, receipt=)`
"""

from django.dispatch import Signal

expense_changed = Signal()
receipt_added = Signal()
