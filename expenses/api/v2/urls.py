"""Routes of `/api/v2/` (mounted by xpenser_server/urls.py): the router's viewsets, the nested receipts, the
singular resources (timer, me), the OpenAPI schema and its interactive documentation.

Each path answers with and without its trailing slash. New resources are registered on `router` here.
"""

from django.urls import re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import schema  # noqa: F401 - registers the authentication schemes with drf-spectacular
from .base import FileDownloadNegotiation, OptionalSlashRouter
from .entries import EntryViewSet, MeViewSet, TimerViewSet
from .expenses import ExpenseViewSet
from .receipts import ReceiptViewSet
from .resources import ReportViewSet, TagViewSet
from .transfers import ImportViewSet

app_name = "v2"

router = OptionalSlashRouter()
router.register("expenses", ExpenseViewSet, basename="expense")
router.register("tags", TagViewSet, basename="tag")
router.register("reports", ReportViewSet, basename="report")
router.register("entries", EntryViewSet, basename="entry")
router.register("imports", ImportViewSet, basename="import")

RECEIPTS = r"^expenses/(?P<expense_pk>[0-9]+)/receipts"
files = {"content_negotiation_class": FileDownloadNegotiation}

urlpatterns = [
    re_path(rf"{RECEIPTS}/?$", ReceiptViewSet.as_view({"get": "receipts", "post": "create"}), name="receipt-list"),
    re_path(rf"{RECEIPTS}/(?P<pk>[0-9]+)/?$", ReceiptViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
            name="receipt-detail"),
    re_path(rf"{RECEIPTS}/(?P<pk>[0-9]+)/file/?$", ReceiptViewSet.as_view({"get": "file"}, **files),
            name="receipt-file"),
    re_path(rf"{RECEIPTS}/(?P<pk>[0-9]+)/thumbnail/?$", ReceiptViewSet.as_view({"get": "thumbnail"}, **files),
            name="receipt-thumbnail"),
    re_path(r"^timer/?$", TimerViewSet.as_view({"get": "retrieve"}), name="timer"),
    re_path(r"^timer/start/?$", TimerViewSet.as_view({"post": "start"}), name="timer-start"),
    re_path(r"^timer/stop/?$", TimerViewSet.as_view({"post": "stop"}), name="timer-stop"),
    re_path(r"^me/?$", MeViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"}),
            name="me"),
    re_path(r"^schema/?$", SpectacularAPIView.as_view(), name="schema"),
    # A page to read: OPTIONS would render DRF's metadata through the page's template (none: a 500).
    re_path(r"^docs/?$", SpectacularSwaggerSplitView.as_view(url_name="v2:schema", http_method_names=["get", "head"]),
            name="docs"),
    *router.urls,
]
