"""A centre's live figures in one cheap read: what head office watches every few seconds.

``centre_summary`` answers, as of now: how many wait and the longest wait
(the queue status's own figures), the counters open, the service-level
breaches (tickets waiting longer than their service's maximum wait, counted
as the supervisor's screen flags a queue: from the ticket's place in the
queue, ``arrived_at``), today's visitors by how their tickets ended, today's
satisfaction (mean, count and distribution of the ratings), and the central
link. It reads the queue status, then three aggregates over today's rows by
the queue and feedback indexes: its cost does not grow with history.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from centre.clock import Clock
from centre.config import CentreConfig
from centre.contract import iso
from centre.domain import CounterState, TicketState
from centre.store import schema
from centre.store.unit_of_work import Store
from centre.supervision import RATINGS, Satisfaction
from centre.usecases import QueueStatus, business_day, queue_status


@dataclass(frozen=True)
class ServiceSummary:
    """One queue: its waiting tickets, the longest wait and how many passed the maximum."""

    service: str
    name: dict[str, str]
    waiting: int
    longest_wait_s: int
    max_wait_s: int
    breaches: int
    paused: bool


@dataclass(frozen=True)
class TodaySummary:
    """The business day so far: visitors by how their tickets ended, and their ratings."""

    visitors: int
    served: int
    no_shows: int
    cancelled: int
    satisfaction: float | None
    ratings: int
    # How many rated 1, 2, 3, 4 and 5.
    rating_counts: list[int]


@dataclass(frozen=True)
class LinkSummary:
    """The central link as the sync agent last left it (as in the status JSON)."""

    link: str
    pending: int
    last_ok: str | None


@dataclass(frozen=True)
class Summary:
    """The whole centre in a few figures (``GET /api/v1/summary``)."""

    centre: str
    name: dict[str, str]
    at: str
    day: str
    waiting: int
    longest_wait_s: int
    breaches: int
    counters_open: int
    counters: int
    services: list[ServiceSummary]
    today: TodaySummary
    sync: LinkSummary

    def as_json(self) -> dict[str, Any]:
        """The summary as the centre server answers it."""
        return asdict(self)


def centre_summary(store: Store, clock: Clock, config: CentreConfig) -> Summary:
    """The centre's figures as of now (see the module)."""
    status = queue_status(store, clock, config)
    day = business_day(config, status.at)
    t, f = schema.tickets, schema.feedback
    with store.read() as repo:
        waiting = repo.connection.execute(
            select(t.c.service, t.c.arrived_at).where(
                t.c.business_day == day, t.c.state == TicketState.WAITING.value
            )
        ).all()
        states: dict[str, int] = {
            state: int(count)
            for state, count in repo.connection.execute(
                select(t.c.state, func.count()).where(t.c.business_day == day).group_by(t.c.state)
            )
        }
        rated: dict[int, int] = {
            int(rating): int(count)
            for rating, count in repo.connection.execute(
                select(f.c.rating, func.count()).where(f.c.business_day == day).group_by(f.c.rating)
            )
        }
    breaches = _breaches(config, status.at, waiting)
    services = [
        ServiceSummary(
            service=s.service.code,
            name={"ar": s.service.name.ar, "en": s.service.name.en},
            waiting=s.waiting,
            longest_wait_s=s.longest_wait_s,
            max_wait_s=s.service.max_wait_minutes * 60,
            breaches=breaches[s.service.code],
            paused=s.paused,
        )
        for s in status.services
    ]
    return Summary(
        centre=config.centre.id,
        name={"ar": config.centre.name.ar, "en": config.centre.name.en},
        at=iso(status.at, config.centre.zone) or "",
        day=day.isoformat(),
        waiting=sum(s.waiting for s in services),
        longest_wait_s=max((s.longest_wait_s for s in services), default=0),
        breaches=sum(s.breaches for s in services),
        counters_open=counters_open(status),
        counters=len(status.counters),
        services=services,
        today=_today(states, rated),
        sync=LinkSummary(
            link=status.sync.link,
            pending=status.sync.pending,
            last_ok=iso(status.sync.last_ok, config.centre.zone),
        ),
    )


def counters_open(status: QueueStatus) -> int:
    """Counters not closed: serving, calling, open or on a short break."""
    return sum(1 for c in status.counters if c.state is not CounterState.CLOSED)


def _breaches(config: CentreConfig, now: datetime, waiting: Any) -> Counter[str]:
    limits = {s.code: s.max_wait_minutes * 60 for s in config.services}
    found: Counter[str] = Counter()
    for service, arrived_at in waiting:
        limit = limits.get(service)
        if limit is not None and (now - arrived_at).total_seconds() > limit:
            found[service] += 1
    return found


def _today(states: dict[str, int], rated: dict[int, int]) -> TodaySummary:
    counts = tuple(rated.get(rating, 0) for rating in RATINGS)
    ratings = Satisfaction(sum(counts), sum(r * n for r, n in zip(RATINGS, counts, strict=True)))
    average = ratings.average
    return TodaySummary(
        visitors=sum(states.values()),
        served=states.get(TicketState.SERVED.value, 0),
        no_shows=states.get(TicketState.NO_SHOW.value, 0),
        cancelled=states.get(TicketState.CANCELLED.value, 0),
        satisfaction=None if average is None else round(average, 2),
        ratings=ratings.ratings,
        rating_counts=list(counts),
    )


__all__ = [
    "LinkSummary",
    "ServiceSummary",
    "Summary",
    "TodaySummary",
    "centre_summary",
    "counters_open",
]
