"""Report pages (mounted at "/reports/")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_index, name="report-list"),
    path("<int:report_id>/", views.report_detail, name="report-detail"),
]
