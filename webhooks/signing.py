"""The signature of a delivery: `X-Xpenser-Signature: t=<unix time>,v1=<hex HMAC-SHA256>` over
`<t>.<body>` with the hook's secret (docs/api-v2.md shows a receiver's check)."""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Xpenser-Signature"


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def signature_valid(*, secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """What a receiver checks: a v1 signature of this body made with the secret within `tolerance` seconds."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    expected = signature(secret=secret, timestamp=timestamp, body=body).split("v1=", 1)[1]
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(expected, parts.get("v1", ""))
