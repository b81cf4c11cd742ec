"""Routes of `/api/v2/webhooks` (mounted under /api/v2/ by xpenser_server/urls.py beside expenses' routes, so
that expenses never imports webhooks). Each path answers with and without its trailing slash."""

from django.urls import re_path

from .api.views import WebhookViewSet

app_name = "webhooks"

HOOK = r"^webhooks/(?P<pk>[0-9]+)"

urlpatterns = [
    re_path(r"^webhooks/?$", WebhookViewSet.as_view({"get": "list", "post": "create"}), name="webhook-list"),
    re_path(rf"{HOOK}/?$", WebhookViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update",
                                                   "delete": "destroy"}), name="webhook-detail"),
    re_path(rf"{HOOK}/deliveries/?$", WebhookViewSet.as_view({"get": "deliveries"}), name="webhook-deliveries"),
    re_path(rf"{HOOK}/ping/?$", WebhookViewSet.as_view({"post": "ping"}), name="webhook-ping"),
]
