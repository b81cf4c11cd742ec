"""The current row of an item about to change, held until the write's transaction ends."""

from xpenser_server.errors import NotFound, PreconditionFailed

from ..models import Expense, SyncClock
from ..selectors import TAGS_BY_NAME


def expense_locked(expense: Expense, expected=None) -> Expense:
    """The expense as stored now, locked for the caller's transaction (SELECT ... FOR UPDATE on PostgreSQL;
    SQLite's write transactions are exclusive already), with its tags in `tag_list`.

    `expected`: the `modified` stamps an `If-Match` allows (None: any). PreconditionFailed when the row has
    changed since, so no client overwrites a change it has not seen.

    The owner's sync clock is taken first, as by every write of expenses (after any new tags, before rows):
    one order of locks, so concurrent writers wait for each other instead of deadlocking.
    """
    SyncClock.next_stamp(expense.owner_id)
    current = (Expense.objects.owned_by(expense.owner).select_for_update().filter(pk=expense.pk)
               .prefetch_related(TAGS_BY_NAME).first())
    if current is None:
        raise NotFound(f"expense {expense.pk} not found")
    if expected is not None and current.modified not in expected:
        raise PreconditionFailed(f"expense {expense.pk} has changed since you read it (If-Match does not match); "
                                 "read it again and apply your change to what it is now")
    return current
