"""URL routes. API paths answer with and without a trailing slash (no redirects: clients POST there)."""

from django.contrib import admin
from django.urls import include, path

from accounts.views import password_reset
from expenses.views.receipts import receipt_public

urlpatterns = [
    # Before any static handling: receipts live under the old service's static URL.
    path("static/xpenser/media/Receipts/<path:path>", receipt_public, name="receipt-public"),
    # The API first: scripts hit it hardest, and Django tries the patterns in order.
    path("api/v2/", include("expenses.api.v2.urls")),
    # /api/v2/webhooks: the webhooks app's, beside expenses' v2 routes (expenses never imports webhooks).
    path("api/v2/", include("webhooks.urls")),
    path("api/v1.0/", include("expenses.api.v1_urls")),
    path("api/oauth/", include(("expenses.api.legacy_urls", "legacy"), namespace="legacy-oauth")),
    path("api/", include(("expenses.api.legacy_urls", "legacy"), namespace="legacy")),
    path("admin/", admin.site.urls),
    # Before Django's own: mails a link only where email is configured (accounts.views.password_reset).
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", include("oauth_bridge.account_urls")),
    path("oauth/", include("oauth_bridge.urls")),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    # Email in: the Settings page's address replacement and the hosted mail services' inbound webhooks.
    path("", include("capture.urls")),
    # The web app.
    path("", include("accounts.urls")),
    path("", include("expenses.urls")),
]

handler400 = "xpenser_server.views.bad_request"
handler403 = "xpenser_server.views.permission_denied"
handler404 = "xpenser_server.views.page_not_found"
handler500 = "xpenser_server.views.server_error"
