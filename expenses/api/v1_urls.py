"""Routes of the versioned `/api/v1.0/` family. Each path answers with and without a trailing slash."""

from django.urls import re_path

from .v1 import (
    ExpenseCreateApi,
    ExpenseItemApi,
    ExpenseListApi,
    ExpenseReceiptApi,
    TagItemApi,
    TagListApi,
)
from .v1_reports import ReportItemApi, ReportListApi

app_name = "v1"

urlpatterns = [
    re_path(r"^expenses/?$", ExpenseListApi.as_view(), name="expense-list"),
    re_path(r"^expense/?$", ExpenseCreateApi.as_view(), name="expense-create"),
    re_path(r"^expense/(?P<expense_id>[0-9]+)/?$", ExpenseItemApi.as_view(), name="expense"),
    re_path(r"^expense/(?P<expense_id>[0-9]+)/receipt/?$", ExpenseReceiptApi.as_view(), name="expense-receipt"),
    re_path(r"^reports?/?$", ReportListApi.as_view(), name="report-list"),
    re_path(r"^report/(?P<report_id>[0-9]+)/?$", ReportItemApi.as_view(), name="report"),
    re_path(r"^tags?/?$", TagListApi.as_view(), name="tag-list"),
    re_path(r"^tag/(?P<tag_id>[0-9]+)/?$", TagItemApi.as_view(), name="tag"),
]
