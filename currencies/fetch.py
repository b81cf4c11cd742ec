"""Downloading the ECB's rate feeds, and choosing which one a refresh needs."""

import datetime as dt
import io
import urllib.request

from django.conf import settings

from . import ecb

MAX_FEED_BYTES = 64 * 1024 * 1024  # the whole history since 1999 is under 10 MB


class FetchError(OSError):
    """The feed could not be downloaded; the message says why."""


def feed_url(name: str) -> str:
    return settings.XPENSER_ECB_RATES_URL.rstrip("/") + "/" + ecb.FEEDS[name]


def feed_needed(last_day: dt.date | None, today: dt.date) -> str:
    """The smallest feed that fills the gap since `last_day` (the newest day on file): the daily one when the
    rates are current, the last 90 days after a pause, the whole history when none or older are on file."""
    if last_day is None or (today - last_day).days > 85:
        return "history"
    if (today - last_day).days > 4:
        return "90d"
    return "daily"


def fetch_feed(name: str, *, timeout: float = 30) -> list[ecb.RateDay]:
    """Download and parse one feed. Raises FetchError or ecb.FeedError."""
    url = feed_url(name)
    request = urllib.request.Request(url, headers={"User-Agent": "xpenser-server (fetch_rates)"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (an http(s) setting)
            body = response.read(MAX_FEED_BYTES + 1)
    except OSError as err:
        raise FetchError(f"could not download {url}: {err}") from None
    if len(body) > MAX_FEED_BYTES:
        raise FetchError(f"{url} is larger than {MAX_FEED_BYTES} bytes")
    return ecb.parse_feed(io.BytesIO(body))
