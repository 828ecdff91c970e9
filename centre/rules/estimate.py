"""A first estimate of the wait: people ahead, counters serving, recent service times."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from statistics import median

from centre.config import CounterConfig

# Until this many tickets are served today, the configured time weighs in too.
MIN_SAMPLES = 5


def service_capacity(service: str, counters: Iterable[CounterConfig]) -> float:
    """How many counters' worth of time ``service`` gets from ``counters``.

    A counter serving several services splits its time by their weights.
    """
    capacity = 0.0
    for counter in counters:
        if service not in counter.services:
            continue
        total = sum(counter.weight(code) for code in counter.services)
        if total > 0:
            capacity += counter.weight(service) / total
    return capacity


def typical_service_seconds(recent: Sequence[float], configured_minutes: float) -> float:
    """A robust typical service time: recent median, blended with the configured value
    until there are enough recent samples."""
    configured = configured_minutes * 60
    samples = [s for s in recent if s > 0]
    if not samples:
        return configured
    observed = median(samples)
    weight = min(len(samples), MIN_SAMPLES) / MIN_SAMPLES
    return weight * observed + (1 - weight) * configured


def estimate_wait_minutes(ahead: int, service_seconds: float, capacity: float) -> int | None:
    """Minutes until a ticket with ``ahead`` people before it is called (``None``: no counter)."""
    if capacity <= 0:
        return None
    return math.ceil(ahead * service_seconds / capacity / 60)
