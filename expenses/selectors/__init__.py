"""Reads of expenses, tags and reports' totals; every query starts from the requesting user's rows.

- expenses: one expense, the filtered lists, totals for charts;
- exports: streamed plain rows for downloads; export_files: whole export files of `/api/v2/` (any format);
- tags; reports: reports with the totals of their expenses;
- money: what waits for a rate or is kept in another currency, base-currency changes, rate warnings.
- items: /api/v2/'s expenses with tags and receipts, receipts, the owner's sync clock.
- review: receipt readings and the review suggestion of an expense.
"""

from .expenses import (
    TAGS_BY_NAME,
    expense_get,
    expense_list,
    expense_queryset,
    expense_totals,
    expense_totals_by_month,
    expense_totals_by_report,
    expense_totals_by_tag,
    expense_totals_by_type,
    expense_totals_in_other_currencies,
    expense_totals_untagged,
    expense_type_names,
)
from .export_files import expense_export, report_names
from .exports import EXPORT_FIELDS, expense_rows
from .items import (
    RECEIPTS_IN_ORDER,
    expense_item,
    expense_items,
    receipt_get,
    receipt_list,
    sync_clock_stamp,
    with_receipts,
)
from .money import currency_change_latest, expense_currency_summary, rate_warning
from .reports import report_breakdown, report_with_totals, reports_with_totals
from .review import ReviewSuggestion, expense_reading, expense_readings, expense_review
from .search import expense_search
from .tags import tag_get, tag_list
