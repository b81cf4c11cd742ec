from django.urls import path, re_path

from xpenser_server.urls import urlpatterns as site_patterns

from .views import WhoAmIApi

urlpatterns = [
    re_path(r"^api/(?:oauth/)?whoami/?$", WhoAmIApi.as_view()),
    path("api/v1.0/whoami/", WhoAmIApi.as_view()),
    *site_patterns,
]
