"""Request throttling that suits scripts: a generous per-user rate, a modest anonymous one.

DRF's stock throttles keep every request timestamp of the window in one cache entry (10,000 floats
read and rewritten per request at 10000/hour) and lose updates when several workers race. These
count instead: one integer per window, incremented atomically (`INCR` on Redis; the per-process
cache locks), weighted with the previous window so a burst at a window edge cannot double the rate.
A finished window's count is read once per process (one cache round trip a request instead of two): see
`finished_counts`.
"""

import math
import time

from django.core.cache import cache as default_cache
from rest_framework import throttling

FINISHED_COUNTS_MAX = 10_000


class SlidingWindowThrottle(throttling.SimpleRateThrottle):
    """A sliding-window counter stored in the default cache (shared by every worker with Redis)."""

    cache = default_cache
    timer = time.time
    # Counts of finished windows as this process first read them, by scope, window length and cache key.
    # What reaches a window after that read is not weighed by this process for the rest of the next window:
    # requests still in flight across the edge (on any worker) and, from a host whose clock is behind,
    # its requests of the skew (docs/deploy.md, "Throttling"). At most FINISHED_COUNTS_MAX entries; emptied
    # when full rather than kept in order, as it only saves reads.
    finished_counts: dict[str, int] = {}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        current_key, previous_key = f"{self.key}:{window}", f"{self.key}:{window - 1}"
        try:
            count = self.cache.incr(current_key)
        except ValueError:
            # First request of the window (or the entry expired): create it, then count atomically.
            self.cache.add(current_key, 0, self.duration * 2)
            count = self.cache.incr(current_key)
        previous = self._finished_count(previous_key)
        elapsed = now - window * self.duration
        weighted = previous * (1 - elapsed / self.duration) + count
        if weighted <= self.num_requests:
            return True
        # A refused request does not use up the allowance.
        self.cache.decr(current_key)
        self._wait = self._seconds_until_allowed(previous, count - 1, elapsed)
        return False

    def _finished_count(self, key: str) -> int:
        counts, name = SlidingWindowThrottle.finished_counts, f"{self.scope}:{self.duration}:{key}"
        count = counts.get(name)
        if count is None:
            count = self.cache.get(key) or 0
            if len(counts) >= FINISHED_COUNTS_MAX:
                counts.clear()
            counts[name] = count
        return count

    def _seconds_until_allowed(self, previous, used, elapsed):
        """Seconds until one more request fits: `used` counted in this window, `previous` in the last."""
        duration, limit = self.duration, self.num_requests
        room = limit - used - 1
        wait = None
        if room >= 0 and previous:
            # Still room in this window once the previous window's weight has decayed enough.
            wait = duration * (1 - room / previous) - elapsed
        if wait is None or wait > duration - elapsed:
            # Wait for the next window, where this window's count decays in turn.
            wait = duration - elapsed + (duration * (1 - (limit - 1) / used) if used >= limit else 0)
        return max(1, math.ceil(wait))

    def wait(self):
        return getattr(self, "_wait", None)


class UserRateThrottle(SlidingWindowThrottle):
    """Per authenticated user: `XPENSER_THROTTLE_USER` (default 10000/hour)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return f"throttle:user:{request.user.pk}"
        return None


class AnonRateThrottle(SlidingWindowThrottle):
    """Per client address for anonymous requests: `XPENSER_THROTTLE_ANON` (default 200/hour).

    Requests without credentials to authenticated endpoints are answered 401 before throttling,
    so clients that only send credentials after the challenge are not counted here.
    """

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return f"throttle:anon:{self.get_ident(request)}"
