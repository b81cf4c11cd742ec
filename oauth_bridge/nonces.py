"""The OAuth 1 nonce store: each (consumer, token, timestamp, nonce) is accepted once, on every worker."""

import random
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

from .models import Nonce
from .nonce_file import nonce_digest, nonce_file_for

# One write in this many also deletes nonces older than the timestamp window.
_NONCE_PRUNE_EVERY = 200


def nonce_use(client_key: str, token: str, timestamp: int, nonce: str) -> bool:
    """Record a (consumer, token, timestamp, nonce); False when it was seen before (a replay).

    Where every worker (and, beyond SQLite, every host) sees it, as cheaply as the deployment allows:
    - REDIS_URL set: the shared cache; `cache.add` is one atomic SET NX, no database write;
    - SQLite: a file of their own beside the database (nonce_file.py), not a write to the database;
    - PostgreSQL without Redis: the Nonce table's unique constraint.
    (The per-process memory cache would let a replay through on another worker.)
    """
    if settings.REDIS_URL:
        window = settings.XPENSER_OAUTH_TIMESTAMP_WINDOW
        # oauthlib accepts timestamps up to `window` either side of now, so a nonce must be kept until its
        # timestamp has left the window: at most 2 * window from now.
        digest = nonce_digest(client_key, token, timestamp, nonce)
        return cache.add(f"oauth1-nonce:{digest}", 1, timeout=2 * window + 1)
    if connection.vendor == "sqlite":
        store = nonce_file_for(connection)
        if not store.add(nonce_digest(client_key, token, timestamp, nonce), timestamp):
            return False
        if random.randrange(_NONCE_PRUNE_EVERY) == 0:
            store.prune(_nonce_cutoff())
        return True
    try:
        with transaction.atomic():
            Nonce.objects.create(consumer_key=client_key, token=token, timestamp=timestamp, nonce=nonce)
    except IntegrityError:
        return False
    if random.randrange(_NONCE_PRUNE_EVERY) == 0:
        prune_nonces()
    return True


def _nonce_cutoff(now: float | None = None) -> int:
    """Timestamps before this are outside the window: their requests are refused whatever the nonce."""
    return int((now or time.time()) - settings.XPENSER_OAUTH_TIMESTAMP_WINDOW) - 1


def prune_nonces(now: float | None = None) -> int:
    """Delete the Nonce rows whose timestamp is outside the window."""
    deleted, _ = Nonce.objects.filter(timestamp__lt=_nonce_cutoff(now)).delete()
    return deleted
