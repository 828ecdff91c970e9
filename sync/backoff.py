"""The sync agent's back-off: the retry schedule with full jitter, and the central's Retry-After."""

from __future__ import annotations

import time
from collections.abc import Callable
from random import random as _system_random
from typing import TypeVar

from centre.retry import RetrySchedule
from sync.errors import CentralRateLimited, CentralUnreachable

T = TypeVar("T")


class Backoff:
    """How long to wait after each failed call to the central.

    After the n-th failure in a row the wait is a uniform draw from
    ``[0, min(cap, base * 2**(n-1))]`` (:class:`centre.retry.RetrySchedule`
    with full jitter), so many centres coming back at once do not call in
    step. A server's Retry-After is honoured as given (up to
    ``max_retry_after``). :meth:`reset` after a success. ``random`` returns a
    float in ``[0, 1)``; tests pass a fixed one.
    """

    def __init__(
        self,
        base: float = 1.0,
        cap: float = 300.0,
        *,
        max_retry_after: float = 3600.0,
        random: Callable[[], float] = _system_random,
    ) -> None:
        if base <= 0 or cap < base:
            raise ValueError("need 0 < base <= cap")
        self.schedule = RetrySchedule(base, cap, jitter=True, random=random)
        self.max_retry_after = max_retry_after
        self.failures = 0

    def __repr__(self) -> str:
        return (
            f"Backoff(base={self.schedule.base}, cap={self.schedule.cap}, failures={self.failures})"
        )

    def ceiling(self) -> float:
        """The longest wait the next failure can draw."""
        return self.schedule.ceiling(self.failures)

    def next_delay(self, retry_after: float | None = None) -> float:
        """Count one more failure and return the seconds to wait before the next call.

        With ``retry_after`` (a 429's Retry-After) the wait is that, clamped to
        ``[0, max_retry_after]``; without it, a full-jitter draw.
        """
        delay = (
            self.schedule.delay(self.failures)
            if retry_after is None
            else min(max(retry_after, 0.0), self.max_retry_after)
        )
        self.failures += 1
        return delay

    def delay_for(self, error: Exception) -> float:
        """:meth:`next_delay` for an error raised by the client (a 429 brings its Retry-After)."""
        if isinstance(error, CentralRateLimited):
            return self.next_delay(error.retry_after)
        return self.next_delay()

    def reset(self) -> None:
        """Forget the failures: the link works again."""
        self.failures = 0


def with_retries(
    operation: Callable[[], T],
    backoff: Backoff,
    *,
    attempts: int,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``operation`` up to ``attempts`` times, waiting as ``backoff`` says between tries.

    Only :class:`CentralUnreachable` and :class:`CentralRateLimited` are
    retried (every call of the API is idempotent, so a replay is safe); any
    other error, or the last failure, propagates. Resets ``backoff`` on success.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(1, attempts + 1):
        try:
            result = operation()
        except (CentralUnreachable, CentralRateLimited) as error:
            if attempt == attempts:
                raise
            sleep(backoff.delay_for(error))
        else:
            backoff.reset()
            return result
    raise AssertionError("unreachable")  # pragma: no cover
