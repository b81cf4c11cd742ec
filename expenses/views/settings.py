"""The Settings page: the account's settings, and the base currency's change with its progress."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from accounts.services import SETTINGS_FIELDS
from accounts.web_forms import SettingsForm
from xpenser_server.errors import InvalidInput

from .. import selectors, services


def _places(value: Decimal) -> int:
    return -value.as_tuple().exponent


def _currency_context(user) -> dict:
    """The last base-currency change (its progress while it runs) and what is kept in other currencies."""
    return {
        "change": selectors.currency_change_latest(user=user),
        "currencies": selectors.expense_currency_summary(user=user),
    }


@login_required
def settings_page(request):
    user = request.user
    initial = {field: getattr(user, field) for field in SETTINGS_FIELDS}
    # 0.5500 reads as 0.55; a rate with more places keeps them.
    rate = user.mileage_rate
    initial["mileage_rate"] = max(rate.normalize(), rate.quantize(Decimal("0.01")), key=_places)
    if request.method == "POST":
        form = SettingsForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                # A fresh row: a refused change must not leak into this request's user object.
                services.account_settings_update(user=User.objects.get(pk=user.pk), data=form.cleaned_data)
            except InvalidInput as err:
                form.add_error(None, err.message)
            else:
                messages.success(request, "Settings saved.")
                return redirect("settings")
        return render(request, "accounts/settings.html", {"form": form, **_currency_context(user)}, status=400)
    context = {"form": SettingsForm(initial=initial), **_currency_context(user)}
    return render(request, "accounts/settings.html", context)


@login_required
@require_POST
def convert_kept_expenses(request):
    """Convert what an earlier base-currency change kept in other currencies into the current one."""
    try:
        services.account_convert_kept_expenses(user=request.user)
    except InvalidInput as err:
        messages.error(request, err.message)
    else:
        messages.success(request, f"Converting your expenses into {request.user.base_currency}.")
    return redirect("settings")


@login_required
@require_safe
def currency_change_progress(request):
    """The last base-currency change as JSON, for the Settings page's progress bar."""
    change = selectors.currency_change_latest(user=request.user)
    if change is None:
        return JsonResponse({"status": None})
    return JsonResponse({"status": change.status, "to": change.to_currency, "done": change.done,
                         "total": change.total, "kept": change.kept, "percent": change.percent})
