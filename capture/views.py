"""The Settings page's email-in section: replacing the private address (shown by the `capture_address` tag)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from .services import capture_address_replace


@login_required
@require_POST
def address_replace(request):
    """A new private address; mail to the old one is refused from now on."""
    address = capture_address_replace(user=request.user)
    messages.success(request, f"Your new address for email in is {address.address}; the old one no longer works.")
    return redirect(reverse("settings") + "#email-in")
