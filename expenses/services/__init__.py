"""Writes of expenses, tags, receipts and the timer. Each service validates everything before it writes
anything and owns its transaction; views call one service per action.

- cleaning: the values an expense is made of (amount, type, notes, date, tag names);
- expenses: create, update, soft delete and restore from form-like values;
- entries: free-form text (`lunch 45 with jack #cash`) and the `Time start` / `Time stop` timer;
- tags, receipts: their own writes (an expense holds several receipts, each checked by decoding it);
  receipt_checks: receipts stored on a cheap check (mail) and decoded afterwards by a job;
- reports: report writes that move the report's expenses;
- imports (+ import_checks): expense files (CSV, QIF, JSON, XML, OFX, XLSX) previewed or stored;
- bulk: the list's bulk move, tag, delete and undo; bulk_create: many expenses in one transaction;
- idempotency: answers kept for retried POSTs (Idempotency-Key); locking: the current row of an expense
  about to change, checked against an If-Match;
- account: the user's settings, the base currency's change included;
- review: expenses to review after receipt reading (created from a receipt alone), readings recorded, the
  user's Apply / Dismiss;
- money: an expense's currency and conversion at the rate of its date; conversions: expenses that waited
  for a rate, and the history when the base currency changes (a background task for large histories).
"""

from .account import account_convert_kept_expenses, account_settings_update
from .bulk import clean_selection, expenses_delete, expenses_move, expenses_restore, expenses_tag
from .bulk_create import BULK_MAX, expense_bulk_create
from .cleaning import (
    clean_amount,
    clean_date,
    clean_notes,
    clean_status,
    clean_tag_name,
    clean_type,
    split_tag_values,
)
from .conversions import base_currency_change, convert_history, currency_change_run, expenses_convert_awaiting
from .entries import (
    EntryPreview,
    EntryResult,
    TimerResult,
    entry_create,
    entry_preview,
    expense_create_from_text,
    simple_sourceid,
    timer_get,
    timer_start,
    timer_stop,
)
from .expenses import (
    CHANGEABLE_FIELDS,
    UPDATABLE_FIELDS,
    expense_change,
    expense_create,
    expense_delete,
    expense_restore,
    expense_update,
    resolve_report,
)
from .idempotency import Answer, IdempotencyKeyReused, idempotent_answer
from .imports import (
    ImportFailed,
    ImportTooLarge,
    expense_import,
    import_max_bytes,
    import_max_rows,
    import_upload_discard,
    import_upload_keep,
    import_upload_read,
)
from .money import clean_currency
from .receipt_batches import expense_create_from_text_with_receipts, receipts_add, receipts_per_expense
from .receipt_checks import (
    REFUSED,
    clean_receipt_header,
    receipt_add_unchecked,
    receipt_check,
    receipt_is_checked,
    receipt_is_refused,
)
from .receipts import (
    RECEIPT_EXTENSIONS,
    RECEIPT_KINDS,
    RECEIPT_MEDIA_TYPES,
    ReceiptTooLarge,
    clean_receipt,
    clean_receipt_content,
    expense_receipt_attach,
    expense_receipt_remove,
    receipt_add,
    receipt_delete,
    receipt_kind,
    receipt_max_bytes,
)
from .reports import report_delete
from .review import (
    TO_REVIEW_TYPE,
    expense_create_to_review,
    expense_review_apply,
    expense_review_dismiss,
    receipt_reading_pending,
    receipt_reading_record,
)
from .tags import (
    clean_new_tag_name,
    tag_create,
    tag_create_or_get,
    tag_delete,
    tag_rename,
    tags_get_or_create,
    tags_named,
    tags_resolve,
)

