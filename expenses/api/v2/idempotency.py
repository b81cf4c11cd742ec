"""`Idempotency-Key` on the POSTs of /api/v2/: a retry with the same key and body gets the first answer again
(with `Idempotent-Replayed: true`); services.idempotent_answer keeps the answers."""

import functools
import hashlib
import json

from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from ... import services

KEPT_HEADERS = ("Location", "ETag", "Last-Modified")


def request_fingerprint(request) -> str:
    """SHA-256 of the method, the path and the body as parsed (form fields sorted, files by content), so a
    retry matches whatever multipart boundary or JSON spacing the client chose this time."""
    digest = hashlib.sha256(f"{request.method} {request.path}\0".encode())
    data = request.data
    if hasattr(data, "lists"):
        for key, values in sorted(data.lists(), key=lambda item: item[0]):
            digest.update(f"{key}\0".encode())
            for value in values:
                if hasattr(value, "chunks"):
                    digest.update(f"{value.name}\0".encode())
                    value.seek(0)
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(f"{value}\0".encode())
    else:
        digest.update(json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":")).encode())
    return digest.hexdigest()


def idempotent(action):
    """Make a POST action honour `Idempotency-Key` (per user, see XPENSER_IDEMPOTENCY_SECONDS)."""

    @functools.wraps(action)
    def handle(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return action(self, request, *args, **kwargs)
        answered = {}

        def perform():
            response = answered["response"] = action(self, request, *args, **kwargs)
            body = json.loads(json.dumps(response.data, cls=JSONEncoder)) if response.data is not None else None
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            return services.Answer(response.status_code, body, headers)

        answer, replayed = services.idempotent_answer(user=request.user, key=key,
                                                      fingerprint=request_fingerprint(request), perform=perform)
        if not replayed:
            return answered["response"]
        response = Response(answer.body, status=answer.status_code, headers=answer.headers)
        response["Idempotent-Replayed"] = "true"
        return response

    return handle
