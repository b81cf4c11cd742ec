"""Writes of expenses, tags, receipts and the timer. Each service validates everything before it writes
anything and owns its transaction; views call one service per action.

- cleaning: the values an expense is made of (amount, type, notes, date, tag names);
- expenses: create, update, soft delete and restore from form-like values;
- entries: free-form text (`lunch 45 with jack #cash`) and the `Time start` / `Time stop` timer;
- tags, receipts: their own writes;
- reports: report writes that move the report's expenses;
- money: an expense's currency and conversion at the rate of its date; conversions: expenses that waited
  for a rate, and the history when the base currency changes (a background task for large histories).
"""

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
from .entries import TimerResult, expense_create_from_text, simple_sourceid, timer_get, timer_start, timer_stop
from .expenses import UPDATABLE_FIELDS, expense_create, expense_delete, expense_restore, expense_update, resolve_report
from .money import clean_currency
from .receipts import (
    RECEIPT_EXTENSIONS,
    RECEIPT_KINDS,
    RECEIPT_MEDIA_TYPES,
    ReceiptTooLarge,
    clean_receipt,
    expense_receipt_attach,
    expense_receipt_remove,
    receipt_kind,
    receipt_max_bytes,
)
from .reports import report_delete
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

__all__ = [
    "RECEIPT_EXTENSIONS", "RECEIPT_KINDS", "RECEIPT_MEDIA_TYPES", "UPDATABLE_FIELDS", "ReceiptTooLarge", "TimerResult",
    "base_currency_change", "clean_currency", "convert_history", "currency_change_run", "expenses_convert_awaiting",
    "clean_amount", "clean_date", "clean_new_tag_name", "clean_notes", "clean_receipt", "clean_status",
    "clean_tag_name", "clean_type", "expense_create", "expense_create_from_text", "expense_delete",
    "expense_receipt_attach", "expense_receipt_remove", "expense_restore", "expense_update", "receipt_kind",
    "receipt_max_bytes", "report_delete", "resolve_report", "simple_sourceid", "split_tag_values", "tag_create",
    "tag_create_or_get", "tag_delete", "tag_rename", "tags_get_or_create", "tags_named", "tags_resolve",
    "timer_get", "timer_start", "timer_stop",
]
