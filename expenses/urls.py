"""Pages of the web app (mounted at "/")."""

from django.urls import path

from .views import bulk, charts, downloads, entry, export, inline, lists, receipts, reports, review, settings, undo

urlpatterns = [
    path("", entry.home, name="home"),
    path("settings/", settings.settings_page, name="settings"),
    path("settings/currency/convert/", settings.convert_kept_expenses, name="settings-convert-kept"),
    path("settings/currency/progress/", settings.currency_change_progress, name="settings-currency-progress"),
    path("expenses/", lists.expense_list, name="expense-list"),
    path("expenses/bulk/", bulk.expense_bulk, name="expense-bulk"),
    path("expenses/undo/", undo.expense_undo, name="expense-undo"),
    path("expenses/download/<str:fmt>/", downloads.expense_download, name="expense-download"),
    path("expenses/<int:expense_id>/", lists.expense_edit, name="expense-edit"),
    path("expenses/<int:expense_id>/row/", inline.expense_row, name="expense-row"),
    path("expenses/<int:expense_id>/delete/", lists.expense_delete, name="expense-delete"),
    path("expenses/<int:expense_id>/undelete/", lists.expense_undelete, name="expense-undelete"),
    path("expenses/<int:expense_id>/receipt/", receipts.expense_receipt, name="expense-receipt"),
    path("expenses/<int:expense_id>/review/apply/", review.expense_review_apply, name="expense-review-apply"),
    path("expenses/<int:expense_id>/review/dismiss/", review.expense_review_dismiss, name="expense-review-dismiss"),
    path("reports/", reports.report_index, name="report-list"),
    path("reports/<int:report_id>/", reports.report_detail, name="report-detail"),
    path("reports/<int:report_id>/delete/", reports.report_remove, name="report-delete"),
    path("reports/<int:report_id>/download/<str:fmt>/", downloads.report_download, name="report-download"),
    path("charts/", charts.charts, name="charts"),
    path("export/", export.export, name="export"),
]
