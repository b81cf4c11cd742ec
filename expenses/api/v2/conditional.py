"""Conditional requests of /api/v2/: ETag and Last-Modified on items and lists, 304 for `If-None-Match` /
`If-Modified-Since`, 412 for an `If-Match` that no longer matches.

An expense's ETag names its version (its `modified` stamp from the owner's sync clock), so the write that
checks `If-Match` compares versions inside its own transaction (services.expense_change). Other answers'
ETags are a digest of their data. Both include a fingerprint of what else shapes the body (the host in
absolute links, the representation's version).
"""

import datetime as dt
import hashlib
import json
import re

from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import parse_etags
from django.utils.http import http_date, parse_http_date_safe
from rest_framework.utils.encoders import JSONEncoder

from xpenser_server.errors import PreconditionFailed

REPRESENTATION = "v2.1"  # bump when the shape of an answer changes: every ETag changes with it
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ONE_MICROSECOND = dt.timedelta(microseconds=1)
_VERSION_ETAG = re.compile(r'^"(\d{1,19})\.(\d{1,19})\.([0-9a-f]+)"$')
# Headers a 304 repeats from the answer it stands for (RFC 9110, 15.4.5).
_NOT_MODIFIED_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Vary", "Expires", "Content-Location")


def stamp_micros(stamp: dt.datetime) -> int:
    return (stamp - EPOCH) // ONE_MICROSECOND


def micros_stamp(micros: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=micros)


def fingerprint(request) -> str:
    text = f"{REPRESENTATION} {request.scheme}://{request.get_host()}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def version_etag(pk: int, stamp: dt.datetime, request) -> str:
    return f'"{pk}.{stamp_micros(stamp)}.{fingerprint(request)}"'


def data_etag(data) -> str:
    """A strong ETag: the digest of the data as canonical JSON (independent of how the body is indented)."""
    text = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return '"' + hashlib.sha256(f"{REPRESENTATION}\0{text}".encode()).hexdigest()[:32] + '"'


def expected_versions(request, pk: int) -> set[dt.datetime] | None:
    """The `modified` stamps that the request's `If-Match` allows for item `pk`; None without a condition
    (or with `*`). Weak tags, and tags of another item or another fingerprint, allow nothing."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = parse_etags(header)
    if "*" in tags:
        return None
    allowed = set()
    current = fingerprint(request)
    for tag in tags:
        match = _VERSION_ETAG.match(tag)
        if match and int(match.group(1)) == pk and match.group(3) == current:
            try:
                allowed.add(micros_stamp(int(match.group(2))))
            except OverflowError:  # beyond any stamp the server gives out: names no version
                continue
    return allowed


def check_if_match(request, current_etag: str, what: str) -> None:
    """PreconditionFailed unless the request's `If-Match` (if any) names the current ETag (or is `*`)."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    tags = parse_etags(header)
    if "*" not in tags and current_etag not in tags:
        raise PreconditionFailed(f"{what} has changed since you read it (If-Match does not match); "
                                 "read it again and apply your change to what it is now")


def last_modified(stamp: dt.datetime | None) -> str | None:
    """`Last-Modified` for a change at `stamp`, or None while its second is not over.

    HTTP dates count whole seconds: a second change within the same second would carry the same date and a
    client's `If-Modified-Since` would hide it. The ETag covers every answer in the meantime.
    """
    if stamp is None or int(stamp.timestamp()) >= int(timezone.now().timestamp()):
        return None
    return http_date(int(stamp.timestamp()))


def is_not_modified(request, etag: str | None, modified: str | None) -> bool:
    """Whether a GET/HEAD may be answered 304 (RFC 9110, 13.2.2: If-None-Match wins over If-Modified-Since)."""
    if request.method not in ("GET", "HEAD"):
        return False
    none_match = request.headers.get("If-None-Match")
    if none_match is not None:
        tags = parse_etags(none_match)
        # Weak comparison: W/"x" matches "x".
        return etag is not None and ("*" in tags or etag in {tag.removeprefix("W/") for tag in tags})
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    stamp = parse_http_date_safe(modified) if modified else None
    return since is not None and stamp is not None and stamp <= since


def not_modified(response) -> HttpResponseNotModified:
    answer = HttpResponseNotModified()
    for name in _NOT_MODIFIED_HEADERS:
        if name in response:
            answer[name] = response[name]
    return answer


def finalize(request, response):
    """Give a successful answer with data its ETag (if the view set none) and turn a matching GET into 304."""
    if not 200 <= response.status_code < 300 or getattr(response, "data", None) is None:
        return response
    if "ETag" not in response:
        response["ETag"] = data_etag(response.data)
    if request.method in ("GET", "HEAD"):
        response.setdefault("Cache-Control", "private, no-cache")
        if is_not_modified(request, response["ETag"], response.get("Last-Modified")):
            return not_modified(response)
    return response
