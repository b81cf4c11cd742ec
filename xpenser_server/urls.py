"""URL routes. API paths answer with and without a trailing slash (no redirects: clients POST there)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from expenses.api.v1 import receipt_public

urlpatterns = [
    # Before any static handling: receipts live under the old service's static URL.
    path("static/xpenser/media/Receipts/<path:path>", receipt_public, name="receipt-public"),
    # The API first: scripts hit it hardest, and Django tries the patterns in order.
    path("api/v1.0/", include("expenses.api.v1_urls")),
    path("api/oauth/", include(("expenses.api.legacy_urls", "legacy"), namespace="legacy-oauth")),
    path("api/", include(("expenses.api.legacy_urls", "legacy"), namespace="legacy")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", include("oauth_bridge.account_urls")),
    path("oauth/", include("oauth_bridge.urls")),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    # The web app.
    path("reports/", include("reports.urls")),
    path("", include("accounts.urls")),
    path("", include("expenses.urls")),
]

if settings.XPENSER_BENCH_FLOOR:
    from .bench_floor import floor_view

    urlpatterns.insert(0, path("bench/floor", floor_view))

handler404 = "xpenser_server.views.page_not_found"
handler500 = "xpenser_server.views.server_error"
