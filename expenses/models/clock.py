"""Each user's sync clock: the `modified` stamps of their expenses increase in commit order."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from xpenser_server.models import OwnedQuerySet

ONE_MICROSECOND = dt.timedelta(microseconds=1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class SyncClockQuerySet(OwnedQuerySet):
    def next_stamp(self, owner_id) -> dt.datetime:
        """The owner's next `modified` stamp: now, or just after the last one when this host's clock is behind
        it (set back, or slower than another host's).

        Must run inside the transaction of the write it stamps: the clock row stays locked (a row lock on
        PostgreSQL; SQLite's write transactions are exclusive) until that transaction ends, so one owner's
        stamps increase in commit order (strictly, as a running clock always moves between two writes; a
        clock frozen by a test repeats its instant). One UPDATE in the common case. Writers take it after
        inserting any new tags and before changing other rows (one lock order: no deadlocks).
        """
        now = timezone.now()
        if self.filter(owner_id=owner_id, last__lte=now).update(last=now):
            return now
        clock = self.filter(owner_id=owner_id)
        # No row yet (an account made without signals), or the clock is ahead of this host's time.
        last = clock.select_for_update().values_list("last", flat=True).first()
        if last is None:
            try:
                with transaction.atomic(using=self.db):
                    self.create(owner_id=owner_id, last=now)
                return now
            except IntegrityError:  # created by a concurrent write meanwhile
                last = clock.select_for_update().values_list("last", flat=True).get()
        stamp = max(now, last + ONE_MICROSECOND)
        clock.update(last=stamp)
        return stamp

    def last_stamp(self, owner_id) -> dt.datetime | None:
        return self.filter(owner_id=owner_id).values_list("last", flat=True).first()


class SyncClock(models.Model):
    """The last `modified` stamp given to one user's expenses (and to the changes of their tags); every account
    has one from the start (EPOCH: no stamp given yet), see apps.py.

    Cursor sync relies on it: every write of an expense takes the next stamp in its own transaction
    (Expense.save, ExpenseQuerySet.mark_modified), so a reader that has seen the changes up to a stamp has
    seen every change stamped before it, whatever other clients write meanwhile.
    """

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                 related_name="+")
    last = models.DateTimeField()

    objects = SyncClockQuerySet.as_manager()

    def __str__(self):
        return f"clock of user {self.owner_id} at {self.last}"

    @classmethod
    def next_stamp(cls, owner_id, using=None) -> dt.datetime:
        """The owner's next `modified` stamp, inside the caller's transaction (SyncClockQuerySet.next_stamp)."""
        return cls.objects.db_manager(using).next_stamp(owner_id)
