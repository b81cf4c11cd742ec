"""Pages of the web app (mounted at "/")."""

from django.urls import path

from .views import charts, entry, export, lists, receipts, reports

urlpatterns = [
    path("", entry.home, name="home"),
    path("expenses/", lists.expense_list, name="expense-list"),
    path("expenses/<int:expense_id>/", lists.expense_edit, name="expense-edit"),
    path("expenses/<int:expense_id>/delete/", lists.expense_delete, name="expense-delete"),
    path("expenses/<int:expense_id>/undelete/", lists.expense_undelete, name="expense-undelete"),
    path("expenses/<int:expense_id>/receipt/", receipts.expense_receipt, name="expense-receipt"),
    path("reports/", reports.report_index, name="report-list"),
    path("reports/<int:report_id>/", reports.report_detail, name="report-detail"),
    path("charts/", charts.charts, name="charts"),
    path("export/", export.export, name="export"),
]
