"""`{% capture_address %}`: the Settings page's email-in section (the expenses app never imports capture)."""

from django import template
from django.conf import settings

from ..services import capture_address_get_or_create

register = template.Library()


@register.inclusion_tag("capture/_settings_address.html", takes_context=True)
def capture_address(context):
    user = context["user"]
    domain = settings.XPENSER_MAIL_DOMAIN
    address = capture_address_get_or_create(user=user) if domain and user.is_authenticated else None
    return {"address": address, "domain": domain, "csrf_token": context.get("csrf_token")}
