"""Reads of email in: which user an address belongs to, and the messages recorded."""

from email.utils import getaddresses

from django.conf import settings

from .models import CaptureAddress, CapturedMessage


def capture_address_parts(address: str) -> tuple[str, str]:
    """(local part, domain) of an address, both lowercased; the local part's `+detail` keeps the secret
    (`expenses+SECRET@example.com` for a mailbox that takes subaddresses)."""
    local, _, domain = address.strip().strip("<>").rpartition("@")
    return local.lower(), domain.lower()


def capture_address_owner(address: str):
    """The user the address `<secret>@<XPENSER_MAIL_DOMAIN>` (or `name+<secret>@...`) belongs to, or None."""
    local, domain = capture_address_parts(address)
    wanted = settings.XPENSER_MAIL_DOMAIN.lower()
    candidates = [local] if local and (not wanted or domain == wanted) else []
    if "+" in local:
        candidates.append(local.rpartition("+")[2])
    for secret in candidates:
        found = CaptureAddress.objects.with_secret(secret).select_related("owner").first()
        if found is not None and found.owner.is_active:
            return found.owner
    return None


def capture_owners_of(addresses) -> list:
    """The distinct users the addresses belong to, in order."""
    owners = {}
    for address in addresses:
        owner = capture_address_owner(address)
        if owner is not None:
            owners.setdefault(owner.pk, owner)
    return list(owners.values())


def header_addresses(message, names=("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")) -> list[str]:
    """The addresses a message's headers name as its recipients (IMAP polling has no envelope)."""
    values = [str(value) for name in names for value in (message.get_all(name) or [])]
    return [address for _, address in getaddresses(values) if address]


def captured_messages_recent(*, user, limit=10):
    return CapturedMessage.objects.owned_by(user)[:limit]
