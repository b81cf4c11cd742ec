from django.urls import include, path

from . import views
from .inbound import inbound_webhook_urls

urlpatterns = [
    path("settings/email-in/replace/", views.address_replace, name="capture-address-replace"),
    # Hosted mail services' inbound webhooks: /anymail/<service>/inbound/ (docs/capture.md).
    path("anymail/", include(inbound_webhook_urls())),
]
