"""Account pages (mounted at "/")."""

from django.urls import path

from . import views

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("settings/currency/convert/", views.convert_kept_expenses, name="settings-convert-kept"),
    path("settings/currency/progress/", views.currency_change_progress, name="settings-currency-progress"),
    path("signup/", views.signup, name="signup"),
]
