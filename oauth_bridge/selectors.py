"""Reads for the account pages: what a user authorized, and their personal tokens."""

from django.db.models import Count, Max, Min
from django.utils import timezone

from .models import AccessToken, OAuth2AccessToken, PersonalAccessToken


def oauth1_authorization_list(user):
    """One row per consumer the user has active OAuth 1 tokens for."""
    return (
        AccessToken.objects.owned_by(user).filter(revoked_at__isnull=True)
        .values("consumer_id", "consumer__name", "consumer__legacy_oauth10")
        .annotate(tokens=Count("id"), first_authorized=Min("created"), last_used=Max("last_used_at"))
        .order_by("consumer__name")
    )


def oauth2_authorization_list(user):
    """One row per OAuth 2 application holding a live access token for the user."""
    return (
        OAuth2AccessToken.objects.owned_by(user).filter(expires__gt=timezone.now(), application__isnull=False)
        .values("application_id", "application__name")
        .annotate(tokens=Count("id"), first_authorized=Min("created"), scopes=Max("scope"))
        .order_by("application__name")
    )


def personal_token_list(user):
    return PersonalAccessToken.objects.owned_by(user).filter(revoked_at__isnull=True)


def personal_token_get_active(secret: str):
    """The active token with this secret (its user loaded), or None."""
    return PersonalAccessToken.objects.for_secret(secret).active().first()
