"""How often a device may ask: a token bucket for every request, a window for PIN sign-ins.

Both answer with the seconds to wait, which the server sends as
``Retry-After`` with a ``429``. The clock is injected (``time.monotonic`` in
the server) so tests need no real waiting.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

#: A device's requests: this many a second on average, in bursts of up to BURST.
RATE_PER_SECOND = 50.0
BURST = 200.0
#: PIN sign-ins from one device: at most this many in the window (on top of the
#: per-staff lock of centre.rules.pin, which a device trying many ids escapes).
SIGN_INS = 10
SIGN_IN_WINDOW_SECONDS = 60.0


@dataclass
class _Bucket:
    tokens: float
    at: float


class RequestLimiter:
    """A token bucket per key (a device, or an address without a token)."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        rate: float = RATE_PER_SECOND,
        burst: float = BURST,
        keys: int = 10_000,
    ) -> None:
        self._clock = clock
        self._rate = rate
        self._burst = burst
        self._keys = keys
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def wait_for(self, key: str) -> int:
        """0 when ``key`` may go on (taking a token), else the seconds to wait."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self._keys:
                    self._buckets.clear()  # a flood of addresses: start afresh, stay bounded
                bucket = self._buckets[key] = _Bucket(self._burst, now)
            bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.at) * self._rate)
            bucket.at = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0
            return max(1, math.ceil((1.0 - bucket.tokens) / self._rate))


class WindowLimiter:
    """At most ``count`` events per key within a sliding window of ``seconds``."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        count: int = SIGN_INS,
        seconds: float = SIGN_IN_WINDOW_SECONDS,
    ) -> None:
        self._clock = clock
        self._count = count
        self._seconds = seconds
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_for(self, key: str) -> int:
        """0 when ``key`` may go on (counting this one), else the seconds to wait."""
        now = self._clock()
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            while seen and now - seen[0] >= self._seconds:
                seen.popleft()
            if len(seen) >= self._count:
                return max(1, math.ceil(self._seconds - (now - seen[0])))
            seen.append(now)
            return 0


__all__ = ["RequestLimiter", "WindowLimiter"]
