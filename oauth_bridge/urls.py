"""OAuth 1 endpoints at /oauth/ (each with and without a trailing slash)."""

from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^request_token/?$", views.request_token, name="oauth_request_token"),
    re_path(r"^authorize/?$", views.authorize, name="oauth_authorize"),
    # The spelling the original developer page printed.
    re_path(r"^request_tokenauthorize/?$", views.authorize, name="oauth_authorize_legacy"),
    re_path(r"^access_token/?$", views.access_token, name="oauth_access_token"),
]
