"""The calling policy: which waiting ticket a counter calls next.

Order, per counter, over the services it serves:

1. a ticket that has waited longer than its service's maximum jumps ahead
   (the longest-waiting of those first), so nothing is starved;
2. appointments due now (slot start reached), earliest slot first;
3. priority visitors get up to ``priority_share`` of the calls made while
   normal visitors also wait, and every call when nobody else waits;
4. otherwise by arrival, weighted per service: a counter picks the service
   whose head has the largest ``wait x weight`` (weight 0: only when no
   other service waits). A transferred ticket keeps its original arrival.

:func:`choose_next` needs only the heads of each queue (oldest, oldest due,
oldest priority, oldest normal per service) but gives the same answer for any
superset of them, which is how the tests check it against the whole queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar


class Candidate(Protocol):
    """What the policy needs to know of a waiting ticket."""

    @property
    def id(self) -> str: ...
    @property
    def service(self) -> str: ...
    @property
    def arrived_at(self) -> datetime: ...
    @property
    def arrival_seq(self) -> int: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def is_priority(self) -> bool: ...


T = TypeVar("T", bound=Candidate)


@dataclass(frozen=True)
class CounterView:
    """What the policy needs to know of the calling counter."""

    weights: Mapping[str, float]
    max_wait: Mapping[str, timedelta]
    priority_share: float
    contested_calls: int
    contested_priority: int


@dataclass(frozen=True)
class Choice:
    """The policy's answer: the ticket, why, and whether it was a contested priority decision."""

    ticket_id: str
    reason: str
    contested: bool
    priority: bool


def choose_next(
    candidates: Iterable[T], counter: CounterView, now: datetime
) -> tuple[T, Choice] | None:
    """The ticket ``counter`` calls next among ``candidates`` (waiting, in its services)."""
    tickets = [t for t in candidates if t.service in counter.weights]
    if not tickets:
        return None

    overdue = [t for t in tickets if now - t.arrived_at > counter.max_wait[t.service]]
    if overdue:
        chosen = min(overdue, key=_by_arrival)
        return chosen, Choice(chosen.id, "overdue", False, chosen.is_priority)

    due = [t for t in tickets if t.due_at is not None and t.due_at <= now]
    if due:
        chosen = min(due, key=lambda t: (t.due_at, t.arrived_at, t.arrival_seq))
        return chosen, Choice(chosen.id, "appointment_due", False, chosen.is_priority)

    priority = [t for t in tickets if t.is_priority]
    normal = [t for t in tickets if not t.is_priority]
    if priority and normal:
        # Priority gets its share of contested calls; the running tally makes
        # the share exact over a day and never lets either side starve.
        take_priority = counter.contested_priority < counter.priority_share * (
            counter.contested_calls + 1
        )
        pool = priority if take_priority else normal
        chosen = _weighted_oldest(pool, counter, now)
        reason = "priority_share" if take_priority else "arrival"
        return chosen, Choice(chosen.id, reason, True, take_priority)
    chosen = _weighted_oldest(priority or normal, counter, now)
    return chosen, Choice(chosen.id, "arrival", False, chosen.is_priority)


def _by_arrival(ticket: Candidate) -> tuple[datetime, int]:
    return (ticket.arrived_at, ticket.arrival_seq)


def _weighted_oldest(pool: list[T], counter: CounterView, now: datetime) -> T:
    def rank(ticket: T) -> tuple[bool, float, float, int]:
        weight = counter.weights[ticket.service]
        waited = (now - ticket.arrived_at).total_seconds()
        # Lowest rank wins: positive weight, then largest weighted wait,
        # then longest wait, then first issued.
        return (weight <= 0, -weight * waited, -waited, ticket.arrival_seq)

    return min(pool, key=rank)
