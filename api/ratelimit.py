"""Per-key request limits: a token bucket per key, kept in this process's memory.

Each worker process counts on its own, so with N workers a key gets up to N times its limit.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class RateLimiter:
    """`rate_per_min` requests a minute per key, with bursts up to that many."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str, rate_per_min: int) -> float:
        """Take one request; 0.0 when allowed, else the seconds to wait before retrying."""
        if rate_per_min <= 0:
            return 0.0
        refill = rate_per_min / 60.0
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(rate_per_min), now))
            tokens = min(float(rate_per_min), tokens + (now - last) * refill)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / refill

    @staticmethod
    def retry_after(wait_s: float) -> int:
        """Whole seconds for the Retry-After header (at least 1)."""
        return max(1, math.ceil(wait_s))
