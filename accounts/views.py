"""Account pages: sign-up, password reset (the Settings page is expenses.views.settings: it converts expenses)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render

from xpenser_server.errors import InvalidInput

from . import services
from .web_forms import SignupForm


def signup(request):
    """Create an account (email + password twice, Django's password validators) and log it in."""
    if not settings.XPENSER_SIGNUP_OPEN:
        raise Http404("Sign-up is closed on this server; ask its administrator for an account.")
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            try:
                user = services.user_create(email=form.cleaned_data["email"], password=form.cleaned_data["password1"])
            except InvalidInput as err:
                form.add_error("email", err.message)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, f"Welcome! Your account {user.email} is ready; try a quick entry below.")
                return redirect("home")
        return render(request, "registration/signup.html", {"form": form}, status=400)
    return render(request, "registration/signup.html", {"form": SignupForm()})


def password_reset(request):
    """The reset form mailing a link where email is configured; otherwise how an administrator resets it."""
    if settings.XPENSER_PASSWORD_RESET_BY_EMAIL:
        return auth_views.PasswordResetView.as_view()(request)
    return render(request, "registration/password_reset_by_admin.html")
