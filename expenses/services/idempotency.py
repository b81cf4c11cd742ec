"""Idempotent POSTs: the first answer to an `Idempotency-Key` is kept for the user (XPENSER_IDEMPOTENCY_SECONDS)
and given again to every retry with the same key and body; the same key with another body is refused (422).

The work and the record of its answer commit in one transaction, the record last: concurrent retries (threads,
processes, hosts) each may start the work, but the unique (owner, key) index lets one record commit and the
others roll back their work and replay that answer, so a retried create makes exactly one row.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from xpenser_server.errors import InvalidInput

from ..models import IdempotencyRecord

MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(InvalidInput):
    """The key was used for another request (another body or path): answered 422."""

    status_code = 422
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: object
    headers: dict = field(default_factory=dict)


def clean_idempotency_key(value: str) -> str:
    key = value.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidInput(f"Idempotency-Key: use 1 to {MAX_KEY_LENGTH} printable ASCII characters, "
                           "e.g. a UUID made for the request")
    return key


def _replay(record: IdempotencyRecord, fingerprint: str) -> Answer:
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            f"Idempotency-Key {record.key!r} was used for another request (another body or path) within the last "
            f"{settings.XPENSER_IDEMPOTENCY_SECONDS // 3600} hours; use a new key for a new request")
    return Answer(record.status_code, record.body, record.headers)


def idempotent_answer(*, user, key: str, fingerprint: str, perform: Callable[[], Answer]) -> tuple[Answer, bool]:
    """(answer, replayed): the answer kept for `key`, or `perform()`'s, kept when it is a success.

    `fingerprint` identifies the request (method, path, body). A failed `perform()` (an exception, or an answer
    outside 2xx) keeps nothing, so the client may correct the request and send it again with the same key.
    """
    key = clean_idempotency_key(key)
    records = IdempotencyRecord.objects.owned_by(user)
    cutoff = timezone.now() - dt.timedelta(seconds=settings.XPENSER_IDEMPOTENCY_SECONDS)
    try:
        with transaction.atomic():
            found = records.filter(key=key, created__gte=cutoff).first()
            if found is not None:
                return _replay(found, fingerprint), True
            answer = perform()
            if 200 <= answer.status_code < 300:
                records.filter(created__lt=cutoff).delete()  # expired keys, this one's included
                IdempotencyRecord.objects.create(owner=user, key=key, fingerprint=fingerprint,
                                                 status_code=answer.status_code, body=answer.body,
                                                 headers=answer.headers)
            return answer, False
    except IntegrityError:
        # A concurrent request with this key committed first: its answer stands, this one's work was undone.
        found = records.filter(key=key).first()
        if found is None:
            raise
        return _replay(found, fingerprint), True
