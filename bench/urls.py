"""The project's URLs with the bench's floor view in front (only under bench.settings)."""

from django.urls import include, path

from bench.floor import floor_view

urlpatterns = [
    path("bench/floor", floor_view),
    path("", include("xpenser_server.urls")),
]

handler404 = "xpenser_server.views.page_not_found"
handler500 = "xpenser_server.views.server_error"
