"""URL routes. API paths answer with and without a trailing slash (no redirects: clients POST there)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1.0/", include("expenses.api.v1_urls")),
    path("api/oauth/", include(("expenses.api.legacy_urls", "legacy"), namespace="legacy-oauth")),
    path("api/", include(("expenses.api.legacy_urls", "legacy"), namespace="legacy")),
]

if settings.XPENSER_BENCH_FLOOR:
    from .bench_floor import floor_view

    urlpatterns.insert(0, path("bench/floor", floor_view))

handler404 = "xpenser_server.views.page_not_found"
handler500 = "xpenser_server.views.server_error"
