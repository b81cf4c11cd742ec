"""Routes of the legacy `/api/` family (also mounted at `/api/oauth/`).

Each path answers with and without the trailing slash directly: clients POST to `expense/123`, and a
redirect would lose the body.
"""

from django.urls import re_path

from . import legacy

urlpatterns = [
    re_path(r"^simple/?$", legacy.SimpleApi.as_view(), name="simple"),
    re_path(r"^expense/?$", legacy.ExpenseCreateApi.as_view(), name="expense-create"),
    re_path(r"^expense/(?P<expense_id>[^/]+)/?$", legacy.ExpenseItemApi.as_view(), name="expense"),
    re_path(r"^expenses/?$", legacy.ExpenseDownloadApi.as_view(), name="expenses"),
]
