"""Account pages: authorized applications and personal access tokens (mounted at /account/)."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("applications/", views.applications, name="account_applications"),
    re_path(
        r"^applications/(?P<kind>oauth1|oauth2)/(?P<pk>[0-9]+)/revoke/$",
        views.application_revoke,
        name="account_application_revoke",
    ),
    path("tokens/", views.tokens, name="account_tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="account_token_revoke"),
]
