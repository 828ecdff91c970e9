"""What the supervisor sees and what visitors and devices report to them.

- ``record_feedback``: a visitor's rating (1 to 5) of a served ticket, once.
- ``report_device``: a device's state (a kiosk's printer); logged only when it changes.
- ``day_report``: the whole centre for the supervisor's screen: queues with
  their service-level breaches, counters with their clerk and time, the day's
  totals per hour, satisfaction per service and counter, the central link,
  refused events, devices, integrators' webhooks and their backlogs, and what
  needs the supervisor's attention.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from centre.clock import Clock
from centre.config import CentreConfig
from centre.devices import EnrolledDevice, enrolled_device
from centre.domain import CounterState, Event, EventType, Ticket, TicketState
from centre.errors import AlreadyRated, BadInput, NotServed
from centre.reports.rollups import unroll
from centre.rules.cpr import mask_cprs_in
from centre.store.unit_of_work import Store
from centre.usecases import (
    CounterSnapshot,
    QueueStatus,
    ServiceStatus,
    business_day,
    find_ticket,
    queue_status,
)
from centre.webhooks import Webhook, webhooks_in

RATINGS = range(1, 6)
# A queue whose longest wait passes this share of its maximum is shown amber.
NEAR_BREACH = 0.8
# Device states; anything but OK is shown to the supervisor.
DEVICE_OK = "ok"
DEVICE_STATES = (DEVICE_OK, "paper_low", "paper_out", "cover_open", "offline", "error")
# Kinds of event the supervisor must look at.
ALERTS = (
    EventType.BOOKING_CANCELLED_AFTER_CHECK_IN,
    EventType.PRINT_FAILED,
)
REJECTED_SHOWN = 20


@dataclass(frozen=True)
class Satisfaction:
    """Ratings of one service, one counter or the whole centre."""

    ratings: int = 0
    total: int = 0
    counts: tuple[int, ...] = (0, 0, 0, 0, 0)

    @property
    def average(self) -> float | None:
        """The mean rating, 1 to 5 (``None`` before any)."""
        return self.total / self.ratings if self.ratings else None

    def add(self, rating: int) -> Satisfaction:
        """These ratings and one more."""
        counts = list(self.counts)
        counts[rating - 1] += 1
        return Satisfaction(self.ratings + 1, self.total + rating, tuple(counts))


@dataclass(frozen=True)
class ServiceLine:
    """A queue as the supervisor sees it."""

    status: ServiceStatus
    breach: bool
    near_breach: bool
    served: int
    no_shows: int


@dataclass(frozen=True)
class CounterLine:
    """A counter as the supervisor sees it."""

    snapshot: CounterSnapshot
    staff_name: tuple[str, str] | None
    # Since when the counter has been doing what it does (serving, calling, on a break).
    since: datetime | None
    served: int


@dataclass(frozen=True)
class HourLine:
    """One hour of the day (centre time)."""

    hour: int
    issued: int = 0
    served: int = 0
    no_shows: int = 0


@dataclass(frozen=True)
class Device:
    """A device's last reported state."""

    id: str
    kind: str
    state: str
    detail: str
    at: datetime

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong with it."""
        return self.state == DEVICE_OK


@dataclass(frozen=True)
class RejectedEvent:
    """An event the central refused, with what it was about."""

    seq: int
    reason: str
    at: datetime
    event: Event | None


@dataclass(frozen=True)
class DayReport:
    """The supervisor's screen, in one read."""

    at: datetime
    status: QueueStatus
    services: list[ServiceLine]
    counters: list[CounterLine]
    issued: int
    served: int
    no_shows: int
    cancelled: int
    waiting: int
    hours: list[HourLine]
    satisfaction: Satisfaction
    by_service: dict[str, Satisfaction]
    by_counter: dict[str, Satisfaction]
    rejected_count: int
    rejected: list[RejectedEvent]
    devices: list[Device]
    alerts: list[Event] = field(default_factory=list)
    unverified: int = 0
    # The devices enrolled with the centre server (not revoked), with when each was last heard.
    enrolled: list[EnrolledDevice] = field(default_factory=list)
    # Integrators' webhook endpoints with their backlogs; each URL cut to its origin.
    webhooks: list[Webhook] = field(default_factory=list)
    # Of the cancelled, those whose visitors left the queue from their phones (not no-shows).
    left: int = 0
    # Tickets whose visitors asked for more time from their phones.
    more_time: int = 0


def record_feedback(
    store: Store, clock: Clock, config: CentreConfig, ticket_ref: str, rating: int
) -> None:
    """A visitor's rating of a served ticket's service: once per ticket, 1 (bad) to 5 (good)."""
    if rating not in RATINGS:
        raise BadInput(f"a rating is 1 to 5, not {rating}")
    found = find_ticket(store, clock, config, ticket_ref)
    now = clock.now()
    with store.write() as repo:
        ticket = repo.ticket(found.id)
        assert ticket is not None  # tickets are never deleted
        if ticket.state is not TicketState.SERVED:
            raise NotServed(
                f"ticket {ticket.number} is {ticket.state.value}: only a served ticket is rated",
                number=ticket.number,
            )
        staff_id = repo.counter_status(ticket.counter).staff_id if ticket.counter else None
        values = {
            "ticket_id": ticket.id,
            "business_day": ticket.business_day,
            "service": ticket.service,
            "counter": ticket.counter,
            "staff_id": staff_id,
            "rating": rating,
            "at": now,
        }
        if not repo.add_feedback(values):
            raise AlreadyRated(f"ticket {ticket.number} was already rated", number=ticket.number)
        if ticket.business_day < business_day(config, now):
            # Rated after its day closed: that day's roll-up no longer holds every rating.
            unroll(repo, ticket.business_day)
        repo.append(
            [
                Event.new(
                    EventType.FEEDBACK,
                    now,
                    ticket_id=ticket.id,
                    ticket_number=ticket.number,
                    service=ticket.service,
                    appointment_id=ticket.appointment_id,
                    counter=ticket.counter,
                    data={"rating": rating, "staff": staff_id},
                )
            ]
        )


def report_device(
    store: Store, clock: Clock, device_id: str, kind: str, state: str, detail: str = ""
) -> bool:
    """Record a device's state; an event only when it changed. Returns whether it changed."""
    if state not in DEVICE_STATES:
        raise BadInput(f"no device state {state!r} (states: {', '.join(DEVICE_STATES)})")
    device_id, detail = device_id.strip()[:64], mask_cprs_in(" ".join(detail.split()))[:200]
    if not device_id:
        raise BadInput("a device needs an id")
    now = clock.now()
    with store.write() as repo:
        row = repo.device(device_id)
        if row is not None and row.state == state and (row.detail or "") == detail:
            return False
        repo.save_device(
            {"id": device_id, "kind": kind, "state": state, "detail": detail, "at": now}
        )
        repo.append(
            [
                Event.new(
                    EventType.DEVICE_STATUS,
                    now,
                    data={"device": device_id, "kind": kind, "state": state, "detail": detail},
                )
            ]
        )
    return True


def day_report(store: Store, clock: Clock, config: CentreConfig) -> DayReport:
    """Everything the supervisor's screen shows, as of now."""
    status = queue_status(store, clock, config)
    now = status.at
    day = business_day(config, now)
    zone = ZoneInfo(config.centre.timezone)
    day_start = datetime.combine(day, time(0), zone)
    with store.read() as repo:
        tickets = repo.tickets_of_day(day)
        ratings = repo.feedback_of_day(day)
        names = {row.id: (row.name_ar, row.name_en) for row in repo.staff_members()}
        devices = [
            Device(row.id, row.kind, row.state, row.detail or "", row.at) for row in repo.devices()
        ]
        alerts = repo.events_of_types(ALERTS, day_start)
        rejected_rows = repo.rejected_events(REJECTED_SHOWN)
        rejected_count = repo.rejected_count()
        unverified = len(repo.unverified_tickets_of_day(day))
        webhooks = webhooks_in(repo, origins_only=True)
        rejected_events = {
            event.id: event for event in repo.events_by_ids(r.event_id for r in rejected_rows)
        }
        enrolled = [
            enrolled_device(row._mapping)
            for row in repo.enrolled_devices()
            if row.revoked_at is None
        ]
    states = Counter(t.state for t in tickets)
    by_service, by_counter, overall = _satisfaction(ratings)
    return DayReport(
        at=now,
        status=status,
        services=_service_lines(status, tickets),
        counters=_counter_lines(status, tickets, names, now),
        issued=len(tickets),
        served=states[TicketState.SERVED],
        no_shows=states[TicketState.NO_SHOW],
        cancelled=states[TicketState.CANCELLED],
        waiting=states[TicketState.WAITING],
        hours=_hours(tickets, zone),
        satisfaction=overall,
        by_service=by_service,
        by_counter=by_counter,
        rejected_count=rejected_count,
        rejected=[
            RejectedEvent(int(r.seq), r.reason, r.at, rejected_events.get(r.event_id))
            for r in rejected_rows
        ],
        devices=devices,
        alerts=alerts,
        unverified=unverified,
        enrolled=enrolled,
        webhooks=webhooks,
        left=sum(1 for t in tickets if t.left_queue),
        more_time=sum(1 for t in tickets if t.deferrals),
    )


def _service_lines(status: QueueStatus, tickets: list[Ticket]) -> list[ServiceLine]:
    served = Counter(t.service for t in tickets if t.state is TicketState.SERVED)
    no_shows = Counter(t.service for t in tickets if t.state is TicketState.NO_SHOW)
    lines = []
    for service in status.services:
        limit = service.service.max_wait_minutes * 60
        lines.append(
            ServiceLine(
                status=service,
                breach=limit > 0 and service.longest_wait_s > limit,
                near_breach=limit > 0 and service.longest_wait_s > limit * NEAR_BREACH,
                served=served[service.service.code],
                no_shows=no_shows[service.service.code],
            )
        )
    return lines


def _counter_lines(
    status: QueueStatus,
    tickets: list[Ticket],
    names: dict[str, tuple[str, str]],
    now: datetime,
) -> list[CounterLine]:
    served = Counter(t.counter for t in tickets if t.state is TicketState.SERVED)
    lines = []
    for snapshot in status.counters:
        since: datetime | None = None
        ticket = snapshot.ticket
        if ticket is not None:
            serving = snapshot.state is CounterState.SERVING
            since = ticket.started_at if serving else ticket.called_at
        elif snapshot.state is CounterState.BREAK and snapshot.status is not None:
            since = snapshot.status.break_since
        staff_id = snapshot.status.staff_id if snapshot.status is not None else None
        lines.append(
            CounterLine(
                snapshot=snapshot,
                staff_name=names.get(staff_id) if staff_id else None,
                since=since if since is None or since <= now else now,
                served=served[snapshot.counter.id],
            )
        )
    return lines


def _hours(tickets: Iterable[Ticket], zone: ZoneInfo) -> list[HourLine]:
    issued: Counter[int] = Counter()
    served: Counter[int] = Counter()
    no_shows: Counter[int] = Counter()
    for ticket in tickets:
        issued[ticket.issued_at.astimezone(zone).hour] += 1
        if ticket.finished_at is not None:
            hour = ticket.finished_at.astimezone(zone).hour
            if ticket.state is TicketState.SERVED:
                served[hour] += 1
            elif ticket.state is TicketState.NO_SHOW:
                no_shows[hour] += 1
    hours = sorted(set(issued) | set(served) | set(no_shows))
    if not hours:
        return []
    return [
        HourLine(hour, issued[hour], served[hour], no_shows[hour])
        for hour in range(hours[0], hours[-1] + 1)
    ]


def _satisfaction(
    rows: Iterable[Any],
) -> tuple[dict[str, Satisfaction], dict[str, Satisfaction], Satisfaction]:
    by_service: dict[str, Satisfaction] = {}
    by_counter: dict[str, Satisfaction] = {}
    overall = Satisfaction()
    for row in rows:
        rating = int(row.rating)
        overall = overall.add(rating)
        by_service[row.service] = by_service.get(row.service, Satisfaction()).add(rating)
        if row.counter:
            by_counter[row.counter] = by_counter.get(row.counter, Satisfaction()).add(rating)
    return by_service, by_counter, overall


__all__ = [
    "ALERTS",
    "DEVICE_OK",
    "DEVICE_STATES",
    "CounterLine",
    "DayReport",
    "Device",
    "HourLine",
    "RejectedEvent",
    "Satisfaction",
    "ServiceLine",
    "day_report",
    "record_feedback",
    "report_device",
]
