"""How long to wait before trying again: one capped exponential schedule, with optional jitter.

Every part of Taboor that retries something (the sync agent calling the
central, the print spooler, a serial scanner reopening its port, the LED-board
keeper, a screen re-reading the log) takes its waits from a
:class:`RetrySchedule`: after the n-th failure in a row it waits
``base * 2**(n-1)``, never more than ``cap``. With ``jitter`` the wait is a
uniform draw below that ("full jitter"), so many devices coming back at once
do not retry in step. The schedule holds no state: the caller counts its
failures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from random import random as _system_random

# 2**64 seconds is far beyond any cap; capping the exponent keeps a long outage from
# building a huge float.
_MAX_EXPONENT = 64


@dataclass(frozen=True)
class RetrySchedule:
    """Waits that double from ``base`` up to ``cap`` seconds; ``jitter``: a random draw below.

    ``random`` returns a float in ``[0, 1)``; tests pass a fixed one. A
    ``base`` of 0 retries at once every time (tests, or a caller that paces
    itself otherwise).
    """

    base: float
    cap: float
    jitter: bool = False
    random: Callable[[], float] = field(default=_system_random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.base < 0 or self.cap < self.base:
            raise ValueError(
                f"a retry schedule needs 0 <= base <= cap, not {self.base}, {self.cap}"
            )

    def ceiling(self, failures: int) -> float:
        """The longest wait after the last of ``failures + 1`` failures in a row."""
        exponent = min(max(failures, 0), _MAX_EXPONENT)
        return float(min(self.cap, self.base * 2.0**exponent))

    def delay(self, failures: int) -> float:
        """The wait before the next try, when ``failures`` tries failed before the last one.

        ``delay(0)`` follows the first failure; without jitter it is ``base``.
        """
        ceiling = self.ceiling(failures)
        return self.random() * ceiling if self.jitter else ceiling


__all__ = ["RetrySchedule"]
