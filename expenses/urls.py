"""Pages of the web app (mounted at "/")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("expenses/", views.expense_list, name="expense-list"),
    path("expenses/<int:expense_id>/", views.expense_edit, name="expense-edit"),
    path("expenses/<int:expense_id>/delete/", views.expense_delete, name="expense-delete"),
    path("expenses/<int:expense_id>/undelete/", views.expense_undelete, name="expense-undelete"),
    path("expenses/<int:expense_id>/receipt/", views.expense_receipt, name="expense-receipt"),
    path("charts/", views.charts, name="charts"),
    path("export/", views.export, name="export"),
]
