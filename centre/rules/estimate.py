"""The estimated wait: the live queues played forward through the calling policy.

A ticket's wait is the time until a counter calls it. :class:`LiveQueues`
holds what the store knows now (the counters open and when each is free
again, each service's waiting count, how long its oldest ticket has waited
and its typical time at the counter) and plays the counters forward, call by
call, with the policy's order in short: overdue tickets first, then a due
appointment or a priority visitor, otherwise the head with the largest
``weight x wait``. So a counter serving several services gives each the
time the policy would give it, an idle service's counters help the busy
one, and a counter on a break or still serving counts from when it is free.

Nothing here reads the store or the clock: the use cases gather the figures.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Counter time per ticket beyond the service itself: the call, the walk to the
# desk, the recalls and the no-shows that keep a counter waiting.
CALL_OVERHEAD_S = 40.0
# The configured service time counts as this many observations of it.
PRIOR_SAMPLES = 5.0
# Weight of each older observation relative to the one after it (newest first).
RECENCY_DECAY = 0.9
# Observations further than this many deviations (in log time) are clipped...
CLIP_DEVIATIONS = 3.0
# ...the deviation taken as at least this (identical times would clip nothing)...
MIN_LOG_SPREAD = 0.15
# ...and the spread of log times capped (a coefficient of variation of 1.5), so a
# couple of odd samples cannot make the mean explode.
MAX_LOG_VARIANCE = math.log(1 + 1.5**2)
# A counter on a break is counted back after this long (its break is open-ended).
BREAK_GUESS_S = 20 * 60.0
# ...and never sooner than this.
BREAK_LEFT_MIN_S = 2 * 60.0
# A counter closed while its clerk is still signed in is expected back in this long.
CLOSED_BACK_S = 30 * 60.0
# The shortest window over which a queue's arrival rate is judged.
ARRIVAL_WINDOW_MIN_S = 10 * 60.0
# A ticket's estimate reads the current tickets of at most this many of its counters.
CURRENT_READS_MAX = 6
# Calls played forward before the rest is extrapolated (keeps an estimate < 1 ms).
MAX_CALLS = 300


@dataclass(frozen=True)
class OpenCounter:
    """A counter calling now: the services it calls with their weights, and when it is free."""

    id: str
    weights: Mapping[str, float]
    free_in_s: float = 0.0


@dataclass(frozen=True)
class QueueNow:
    """One service's queue now."""

    service: str
    waiting: int
    oldest_wait_s: float
    ticket_s: float
    max_wait_s: float

    def arrival_rate(self) -> float:
        """Arrivals per second lately: those still waiting over the time since the oldest came.

        In arrival order everyone who came after the oldest waiting ticket is still waiting.
        """
        if self.waiting <= 0:
            return 0.0
        return self.waiting / max(self.oldest_wait_s, ARRIVAL_WINDOW_MIN_S)


@dataclass
class LiveQueues:
    """The centre now, as the estimate needs it; answers many estimates on the same state."""

    counters: Sequence[OpenCounter]
    queues: Mapping[str, QueueNow]
    _schedules: dict[str, list[float]] = field(default_factory=dict, repr=False)

    def wait_seconds(
        self,
        service: str,
        ahead: int,
        *,
        priority: bool = False,
        due_in_s: float | None = None,
        waited_s: float = 0.0,
    ) -> float | None:
        """Seconds until a ticket of ``service`` with ``ahead`` earlier arrivals is called.

        ``priority``: a priority visitor; ``due_in_s``: an appointment, due in that many
        seconds (negative: overdue); ``waited_s``: how long the ticket has already waited.
        ``None`` when no counter calls ``service``.
        """
        if not any(service in c.weights for c in self.counters):
            return None
        ahead = max(ahead, 0)
        if not priority and due_in_s is None:
            schedule = self._schedules.get(service)
            if schedule is None or len(schedule) <= ahead:
                schedule = _play(self, service, ahead, _Special())
                self._schedules[service] = schedule
            return schedule[ahead] if ahead < len(schedule) else None
        special = _Special(
            active=True, priority=priority, due_at=due_in_s, arrived_at=-max(waited_s, 0.0)
        )
        schedule = _play(self, service, ahead, special)
        return schedule[-1] if schedule else None

    def wait_minutes(
        self,
        service: str,
        ahead: int,
        *,
        priority: bool = False,
        due_in_s: float | None = None,
        waited_s: float = 0.0,
    ) -> int | None:
        """:meth:`wait_seconds` in whole minutes, as tickets and screens show it."""
        seconds = self.wait_seconds(
            service, ahead, priority=priority, due_in_s=due_in_s, waited_s=waited_s
        )
        return None if seconds is None else to_minutes(seconds)


def to_minutes(seconds: float) -> int:
    """Seconds as the whole minutes shown to a visitor (nearest; never negative)."""
    return max(0, math.floor(seconds / 60 + 0.5))


def typical_service_seconds(recent: Sequence[float], configured_minutes: float) -> float:
    """The mean time a ticket takes at the counter, from recent ones (newest first).

    Service times are skewed (a few visitors take very long), so the mean comes
    from a log-normal fit: observations are weighted down with age, clipped to a
    few deviations in log time, and blended with the configured time, which
    counts as :data:`PRIOR_SAMPLES` observations.
    """
    configured = configured_minutes * 60
    samples = [s for s in recent if s > 0]
    if not samples:
        return configured
    logs = [math.log(s) for s in samples]
    weights = [RECENCY_DECAY**rank for rank in range(len(logs))]
    centre = _weighted_median(logs, weights)
    spread = 1.4826 * _weighted_median([abs(v - centre) for v in logs], weights)
    spread = max(spread, MIN_LOG_SPREAD)
    low, high = centre - CLIP_DEVIATIONS * spread, centre + CLIP_DEVIATIONS * spread
    logs = [min(max(v, low), high) for v in logs]
    total = sum(weights)
    mean = sum(w * v for w, v in zip(weights, logs, strict=True)) / total
    variance = sum(w * (v - mean) ** 2 for w, v in zip(weights, logs, strict=True)) / total
    variance = min(variance, MAX_LOG_VARIANCE)
    observed = math.exp(mean + variance / 2)
    effective = total**2 / sum(w * w for w in weights)
    return (effective * observed + PRIOR_SAMPLES * configured) / (effective + PRIOR_SAMPLES)


def busy_for_seconds(typical_s: float, serving_for_s: float | None) -> float:
    """How long a counter's current ticket still keeps it (``None``: called, not started yet).

    A ticket already past its typical time is expected to take a while yet.
    """
    if serving_for_s is None:
        return typical_s + CALL_OVERHEAD_S
    return max(typical_s - serving_for_s, 0.3 * typical_s)


def break_left_seconds(on_break_for_s: float | None) -> float:
    """When a counter on a break is expected back."""
    if on_break_for_s is None:
        return BREAK_GUESS_S
    return max(BREAK_GUESS_S - on_break_for_s, BREAK_LEFT_MIN_S)


def counter_free_in(
    queues: Mapping[str, QueueNow],
    services: Sequence[str],
    main: str,
    *,
    busy_for_s: float | None,
    closed: bool = False,
    on_break: bool = False,
    on_break_for_s: float | None = None,
) -> float:
    """Seconds until a counter calls again.

    ``busy_for_s``: what its current ticket still takes, when it was read; a
    counter not read is taken half-way through a ticket of its ``main`` service
    if anything waits for it, idle otherwise. A counter closed with its clerk
    still signed in is back in :data:`CLOSED_BACK_S`; one on a break, when the
    break is expected to end.
    """
    if closed:
        return CLOSED_BACK_S
    free_in = busy_for_s
    if free_in is None:
        waiting = any(queues[code].waiting for code in services if code in queues)
        free_in = queues[main].ticket_s / 2 if waiting and main in queues else 0.0
    if on_break:
        free_in = max(free_in, break_left_seconds(on_break_for_s))
    return free_in


@dataclass
class CurrentReads:
    """Which counters' current tickets one estimate reads, counter by counter.

    For ``observed`` (``None``: every counter) only the counters serving it, and
    only while it matters: the queue ahead is short against those counters, fewer
    idle ones were seen than tickets ahead, and at most :data:`CURRENT_READS_MAX`.
    """

    observed: str | None
    ahead: int
    serving: int
    reads: int = 0
    idle: int = 0

    def wants(self, services: Sequence[str]) -> bool:
        """Whether to read the current ticket of a counter serving ``services``."""
        if self.observed is None:
            return True
        return (
            self.observed in services
            and self.ahead < 2 * self.serving
            and self.idle <= self.ahead
            and self.reads < CURRENT_READS_MAX
        )

    def saw(self, *, idle: bool) -> None:
        """A counter was read; ``idle``: free to call now."""
        self.reads += 1
        self.idle += int(idle)


# -- playing the counters forward --------------------------------------------


@dataclass(frozen=True)
class _Special:
    # The ticket estimated, when the policy may call it out of arrival order.
    active: bool = False
    priority: bool = False
    due_at: float | None = None
    arrived_at: float = 0.0

    def jumps(self, at: float) -> bool:
        return self.active and (self.priority or (self.due_at is not None and self.due_at <= at))


class _Queue:
    __slots__ = ("max_wait", "next", "oldest", "own", "rate", "spacing", "ticket_s", "waiting")

    def __init__(self, queue: QueueNow, *, own: bool) -> None:
        self.waiting = queue.waiting
        self.oldest = -queue.oldest_wait_s
        self.spacing = queue.oldest_wait_s / (queue.waiting - 1) if queue.waiting > 1 else 0.0
        # Later arrivals compete for shared counters; the estimated service's own come
        # after the ticket estimated, so they do not matter to it.
        self.own = own
        self.rate = 0.0 if own else queue.arrival_rate()
        self.ticket_s = queue.ticket_s
        self.max_wait = queue.max_wait_s
        self.next = 0  # how many of this queue have been called

    def arrival(self, index: int) -> float:
        # Those waiting are spread evenly from the oldest to now; later ones come at the rate.
        if index < self.waiting:
            return self.oldest + index * self.spacing
        if self.own:
            return 0.0
        if self.rate > 0:
            return (index - self.waiting + 1) / self.rate
        return math.inf


def _play(live: LiveQueues, target: str, position: int, special: _Special) -> list[float]:
    """Call times of ``target``'s tickets in arrival order, up to ``position``; with a
    special ticket, only the call time of that ticket (at ``position``)."""
    queues = {code: _Queue(queue, own=code == target) for code, queue in live.queues.items()}
    if target not in queues:
        queues[target] = _Queue(QueueNow(target, 0, 0.0, 0.0, math.inf), own=True)
    own = queues[target]
    counters = [c for c in live.counters if any(code in queues for code in c.weights)]
    heap = [(max(c.free_in_s, 0.0), i) for i, c in enumerate(counters)]
    heapq.heapify(heap)
    called: list[float] = []
    calls = 0
    while heap:
        at, index = heapq.heappop(heap)
        if calls >= MAX_CALLS:
            return _extrapolate(live, target, position, special, called, at)
        counter = counters[index]
        chosen, is_special = _choose(counter, queues, target, position, special, at)
        if chosen is None:
            wake = _next_arrival(counter, queues, target, special, at)
            if wake < math.inf:
                heapq.heappush(heap, (wake, index))
            continue
        calls += 1
        queue = queues[chosen]
        if is_special:
            return [at]
        if chosen == target:
            called.append(at)
            if own.next == position:
                return called
        queue.next += 1
        heapq.heappush(heap, (at + queue.ticket_s, index))
    return []


def _choose(
    counter: OpenCounter,
    queues: Mapping[str, _Queue],
    target: str,
    position: int,
    special: _Special,
    at: float,
) -> tuple[str | None, bool]:
    """The service whose ticket ``counter`` calls at ``at``, and whether it is the special one."""
    overdue: tuple[float, str] | None = None
    best: tuple[tuple[bool, float, float], str] | None = None
    for code, weight in counter.weights.items():
        queue = queues.get(code)
        if queue is None:
            continue
        if code == target and queue.next == position and special.active:
            arrived = special.arrived_at  # the ticket estimated is the head
        else:
            arrived = queue.arrival(queue.next)
        if arrived > at:
            continue
        waited = at - arrived
        if waited > queue.max_wait and (overdue is None or arrived < overdue[0]):
            overdue = (arrived, code)
        rank = (weight <= 0, -weight * waited, -waited)
        if best is None or rank < best[0]:
            best = (rank, code)
    if overdue is not None:
        code = overdue[1]
        return code, special.active and code == target and queues[code].next == position
    if target in counter.weights and special.jumps(at):
        return target, True
    if best is None:
        return None, False
    code = best[1]
    return code, special.active and code == target and queues[code].next == position


def _next_arrival(
    counter: OpenCounter,
    queues: Mapping[str, _Queue],
    target: str,
    special: _Special,
    at: float,
) -> float:
    wake = math.inf
    for code in counter.weights:
        queue = queues.get(code)
        if queue is None:
            continue
        arrival = queue.arrival(queue.next)
        if arrival > at:
            wake = min(wake, arrival)
    due = special.due_at
    if special.active and target in counter.weights and due is not None and due > at:
        wake = min(wake, due)
    return wake


def _extrapolate(
    live: LiveQueues,
    target: str,
    position: int,
    special: _Special,
    called: list[float],
    at: float,
) -> list[float]:
    # Past MAX_CALLS the target's queue keeps the pace it had in the calls played.
    if special.active and special.due_at is not None:
        return [max(special.due_at, at)]
    done = len(called)
    if done > 0 and at > 0:
        pace = at / done
    else:
        queue = live.queues.get(target)
        capacity = 0.0
        for counter in live.counters:
            total = sum(counter.weights.values())
            if total > 0:
                capacity += counter.weights.get(target, 0.0) / total
        if queue is None or capacity <= 0:
            return []
        pace = queue.ticket_s / capacity
    if special.active:
        return [at + pace * (position - done + 1)]
    return [*called, *(at + pace * step for step in range(1, position - done + 2))]


def _weighted_median(values: Sequence[float], weights: Sequence[float]) -> float:
    ordered = sorted(zip(values, weights, strict=True))
    half = sum(weights) / 2
    running = 0.0
    for value, weight in ordered:
        running += weight
        if running >= half:
            return value
    return ordered[-1][0]
