"""Each user's private address: created on first use, replaced on request (the old one is refused after)."""

from django.db import IntegrityError, transaction

from ..models import CaptureAddress, new_secret


def capture_address_get_or_create(*, user) -> CaptureAddress:
    """The user's address, created the first time it is asked for."""
    found = CaptureAddress.objects.owned_by(user).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return CaptureAddress.objects.create(owner=user)
    except IntegrityError:  # created meanwhile by another request
        return CaptureAddress.objects.owned_by(user).get()


@transaction.atomic
def capture_address_replace(*, user) -> CaptureAddress:
    """Give the user a new secret address; mail to the old one is refused from now on."""
    address = capture_address_get_or_create(user=user)
    address = CaptureAddress.objects.owned_by(user).select_for_update().get(pk=address.pk)
    address.secret = new_secret()
    address.save(update_fields=["secret"])
    return address
