"""Account pages (mounted at "/")."""

from django.urls import path

from . import views

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("signup/", views.signup, name="signup"),
]
