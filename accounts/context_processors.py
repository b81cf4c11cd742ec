from django.conf import settings


def site(request):
    """Site-wide template values."""
    return {"signup_open": settings.XPENSER_SIGNUP_OPEN}
