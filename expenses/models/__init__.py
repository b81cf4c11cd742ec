"""The models of the expenses app: every row belongs to one user (see xpenser_server.models.OwnedQuerySet).

- expenses: Tag, Expense, Timer; clock: each user's sync clock; receipts: Receipt and its ReceiptReading;
- records: CurrencyChange (base-currency changes), IdempotencyRecord (answers replayed for retries).
"""

from .clock import EPOCH, SyncClock
from .expenses import Expense, ExpenseQuerySet, Tag, TagQuerySet, Timer, receipt_upload_to
from .receipts import Receipt, ReceiptReading
from .records import CurrencyChange, IdempotencyRecord
