"""An in-memory token bucket per client address, for the anonymous endpoints.

Each address gets a bucket of ``capacity`` tokens refilled at ``capacity`` per ``period``;
a request takes one token or is refused with the seconds until the next one. The buckets
live in the process: with several worker processes each keeps its own, so the effective
limit is per process, which is enough to stop one client from scraping.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

#: Above this many tracked addresses, full buckets (idle clients) are forgotten.
MAX_TRACKED = 10_000


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """``capacity`` requests per ``period`` seconds per key, with bursts up to capacity."""

    def __init__(self, capacity: int, period: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = capacity
        self.rate = capacity / period
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str, tokens: float = 1.0) -> float:
        """Take ``tokens`` (one request's cost) for ``key``: 0 when allowed, else the
        seconds to wait."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= MAX_TRACKED:
                    self._forget_idle(now)
                bucket = self._buckets[key] = _Bucket(float(self.capacity), now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if bucket.tokens >= tokens:
                bucket.tokens -= tokens
                return 0.0
            return (tokens - bucket.tokens) / self.rate

    @staticmethod
    def retry_after(wait: float) -> int:
        """The ``Retry-After`` header's whole seconds for a wait."""
        return max(1, math.ceil(wait))

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, b in self._buckets.items()
                    if b.tokens + (now - b.updated) * self.rate >= self.capacity]:
            del self._buckets[key]
