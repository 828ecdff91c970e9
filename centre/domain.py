"""The domain: tickets and their state machine, appointments, counters and events.

Nothing here does I/O. A ticket changes state only through its methods,
which refuse illegal moves and record one :class:`Event` per change; the
store writes the change and its events in one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from centre.errors import IllegalTransition


class TicketState(StrEnum):
    """Where a ticket is in its life."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    SERVED = "served"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class Source(StrEnum):
    """How a ticket came to be."""

    WALK_IN = "walk_in"
    APPOINTMENT = "appointment"


class Priority(StrEnum):
    """Priority class of a visitor; everything but ``normal`` is served by the priority share."""

    NORMAL = "normal"
    ELDERLY = "elderly"
    DISABLED = "disabled"
    PREGNANT = "pregnant"
    URGENT = "urgent"


class EventType(StrEnum):
    """Kinds of event in the log."""

    TICKET_ISSUED = "ticket_issued"
    CHECKED_IN = "checked_in"
    CALLED = "called"
    RECALLED = "recalled"
    SERVING = "serving"
    SERVED = "served"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    SERVICE_PAUSED = "service_paused"
    SERVICE_RESUMED = "service_resumed"
    COUNTER_OPENED = "counter_opened"
    COUNTER_CLOSED = "counter_closed"
    PERSONAL_DATA_PURGED = "personal_data_purged"
    PRINT_FAILED = "print_failed"
    # The central cancelled a booking that was already checked in here: the
    # ticket stays; the supervisor decides.
    BOOKING_CANCELLED_AFTER_CHECK_IN = "booking_cancelled_after_check_in"
    # A booking first known from its signed QR now has the central's id.
    APPOINTMENT_RECONCILED = "appointment_reconciled"
    # The supervisor set (or cleared) the hall screen's message line.
    HALL_MESSAGE_SET = "hall_message_set"
    STAFF_SIGNED_IN = "staff_signed_in"
    STAFF_SIGNED_OUT = "staff_signed_out"
    BREAK_STARTED = "break_started"
    BREAK_ENDED = "break_ended"
    # The supervisor changed which services a counter calls.
    COUNTER_SERVICES_CHANGED = "counter_services_changed"
    # A visitor rated the service of a ticket (1 to 5).
    FEEDBACK = "feedback"
    # A visitor asked for more time from the phone: the ticket moved back a few places.
    MORE_TIME = "more_time"
    # A device (a kiosk's printer) changed state: ok, paper low, paper out, offline.
    DEVICE_STATUS = "device_status"
    # A device was enrolled with the centre server, paired its browser, or was revoked.
    DEVICE_ADDED = "device_added"
    DEVICE_PAIRED = "device_paired"
    DEVICE_REVOKED = "device_revoked"
    # A supervisor signed in or out on a device.
    SUPERVISOR_SIGNED_IN = "supervisor_signed_in"
    SUPERVISOR_SIGNED_OUT = "supervisor_signed_out"
    # An integrator's webhook endpoint was added or removed (data: its id and origin).
    WEBHOOK_ADDED = "webhook_added"
    WEBHOOK_REMOVED = "webhook_removed"


ACTIVE_STATES = frozenset({TicketState.CALLED, TicketState.SERVING})
FINAL_STATES = frozenset({TicketState.SERVED, TicketState.NO_SHOW, TicketState.CANCELLED})

# The only moves a ticket may make; everything else is refused.
TRANSITIONS: dict[TicketState, frozenset[TicketState]] = {
    TicketState.WAITING: frozenset({TicketState.CALLED, TicketState.CANCELLED}),
    TicketState.CALLED: frozenset(
        {TicketState.CALLED, TicketState.SERVING, TicketState.NO_SHOW, TicketState.WAITING}
    ),
    TicketState.SERVING: frozenset({TicketState.SERVED, TicketState.WAITING}),
    TicketState.SERVED: frozenset(),
    TicketState.NO_SHOW: frozenset(),
    TicketState.CANCELLED: frozenset(),
}


@dataclass(frozen=True)
class Event:
    """One change of state, as the log keeps it and sync pushes it.

    ``seq`` is given by the store when the event is appended.
    """

    id: str
    type: EventType
    at: datetime
    ticket_id: str | None = None
    ticket_number: str | None = None
    service: str | None = None
    appointment_id: str | None = None
    counter: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    seq: int | None = None

    @classmethod
    def new(cls, type_: EventType, at: datetime, **fields: Any) -> Event:
        """A fresh event with a random UUID."""
        return cls(id=str(uuid.uuid4()), type=type_, at=at, **fields)


@dataclass
class Ticket:
    """A visitor's place in a queue."""

    id: str
    business_day: date
    number: str
    service: str
    source: Source
    priority: Priority
    issued_at: datetime
    arrived_at: datetime
    state: TicketState = TicketState.WAITING
    lang: str = "ar"
    appointment_id: str | None = None
    due_at: datetime | None = None
    counter: str | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    recalls: int = 0
    transfers: int = 0
    # The seq of the issue event: breaks ties between equal arrival times in
    # issue order, and stays with the ticket through transfers.
    arrival_seq: int = 0
    # "I need more time" moved the ticket back this many times (from the visitor's phone).
    deferrals: int = 0
    # Cancelled because the visitor left the queue (not a no-show).
    left_queue: bool = False
    # A keyed digest of the phone that took the ticket paperless, if one did.
    phone_key: str | None = None
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @property
    def is_priority(self) -> bool:
        """Whether the ticket is served by the priority share."""
        return self.priority is not Priority.NORMAL

    def _record(self, type_: EventType, at: datetime, **data: Any) -> None:
        self.events.append(
            Event.new(
                type_,
                at,
                ticket_id=self.id,
                ticket_number=self.number,
                service=self.service,
                appointment_id=self.appointment_id,
                counter=self.counter,
                data=data,
            )
        )

    def _move(self, to: TicketState, action: str) -> None:
        if to not in TRANSITIONS[self.state]:
            raise IllegalTransition(
                f"ticket {self.number} is {self.state.value}: it cannot be {action}",
                number=self.number,
                state=self.state.value,
                action=action,
            )
        self.state = to

    def record_issued(self) -> None:
        """Record that the ticket was issued (walk-in) or checked in (appointment)."""
        kind = (
            EventType.CHECKED_IN if self.source is Source.APPOINTMENT else EventType.TICKET_ISSUED
        )
        self._record(kind, self.issued_at, priority=self.priority.value, source=self.source.value)

    def require_waiting(self, action: str, why: str = "") -> None:
        """Refuse ``action`` (:class:`IllegalTransition`) unless the ticket waits."""
        if self.state is not TicketState.WAITING:
            raise IllegalTransition(
                f"ticket {self.number} is {self.state.value}: {why or f'it cannot be {action}'}",
                number=self.number,
                state=self.state.value,
                action=action,
            )

    def call(self, counter: str, at: datetime, reason: str = "arrival") -> None:
        """Call the ticket to ``counter``; ``reason`` says why the policy chose it."""
        self.require_waiting("called")
        self._move(TicketState.CALLED, "called")
        self.counter = counter
        self.called_at = at
        waited = int((at - self.arrived_at).total_seconds())
        self._record(EventType.CALLED, at, waited_s=waited, reason=reason)

    def recall(self, at: datetime) -> None:
        """Call the ticket again to the same counter."""
        if self.state is not TicketState.CALLED:
            raise IllegalTransition(
                f"ticket {self.number} is {self.state.value}: only a called ticket can be recalled",
                number=self.number,
                state=self.state.value,
                action="recalled",
            )
        self.recalls += 1
        self._record(EventType.RECALLED, at, recalls=self.recalls)

    def start(self, at: datetime) -> None:
        """The visitor reached the counter: serving starts."""
        self._move(TicketState.SERVING, "started")
        self.started_at = at
        self._record(EventType.SERVING, at)

    def finish(self, at: datetime) -> None:
        """Serving is done."""
        self._move(TicketState.SERVED, "marked done")
        self.finished_at = at
        started = self.started_at or at
        self._record(EventType.SERVED, at, service_s=int((at - started).total_seconds()))

    def no_show(self, at: datetime) -> None:
        """The called visitor did not come."""
        self._move(TicketState.NO_SHOW, "marked no-show")
        self.finished_at = at
        self._record(EventType.NO_SHOW, at, recalls=self.recalls)

    def transfer(self, to_service: str, at: datetime) -> None:
        """Send the ticket back to waiting under another service; it keeps its arrival time."""
        if to_service == self.service:
            raise IllegalTransition(
                f"ticket {self.number} is already in that service",
                number=self.number,
                state=self.state.value,
                action="transferred",
            )
        if self.state not in ACTIVE_STATES:
            raise IllegalTransition(
                f"ticket {self.number} is {self.state.value}: it cannot be transferred",
                number=self.number,
                state=self.state.value,
                action="transferred",
            )
        from_service, from_counter = self.service, self.counter
        self._move(TicketState.WAITING, "transferred")
        self.service = to_service
        self.counter = None
        self.called_at = None
        self.started_at = None
        self.recalls = 0
        self.transfers += 1
        # An appointment that was due stays due in its new queue.
        self._record(
            EventType.TRANSFERRED,
            at,
            from_service=from_service,
            to_service=to_service,
            from_counter=from_counter,
        )

    def cancel(self, at: datetime, reason: str = "") -> None:
        """Withdraw a waiting ticket."""
        self._move(TicketState.CANCELLED, "cancelled")
        self.finished_at = at
        self._record(EventType.CANCELLED, at, reason=reason)

    def leave(self, at: datetime) -> None:
        """The visitor left the queue (from the phone): cancelled, and not a no-show."""
        self._move(TicketState.CANCELLED, "cancelled")
        self.finished_at = at
        self.left_queue = True
        self._record(EventType.CANCELLED, at, reason="left", by="visitor")

    def take_more_time(self, at: datetime, behind: datetime, places: int, next_seq: int) -> None:
        """Move a waiting ticket back in its queue, ``places`` people back: to the arrival
        time ``behind`` of the last of them, after it (``next_seq``, the seq its event
        will take, is later than every ticket's arrival seq)."""
        self.require_waiting("moved back", "only a waiting ticket can move back")
        moved_from = self.arrived_at
        self.arrived_at = behind
        self.arrival_seq = next_seq
        self.deferrals += 1
        self._record(
            EventType.MORE_TIME,
            at,
            places=places,
            deferrals=self.deferrals,
            from_arrival=moved_from.isoformat(),
        )


class AppointmentStatus(StrEnum):
    """Status of a booking as the central system reports it."""

    BOOKED = "booked"
    CANCELLED = "cancelled"


@dataclass
class Appointment:
    """A booking for a slot at this centre. The CPR is kept only as a keyed digest."""

    id: str
    reference: str
    service: str
    slot_start: datetime
    slot_end: datetime
    business_day: date
    status: AppointmentStatus = AppointmentStatus.BOOKED
    cpr_digest: str | None = None
    cpr_last4: str | None = None
    name_ar: str | None = None
    name_en: str | None = None
    updated_at: datetime | None = None
    origin: str = "central"


class CounterState(StrEnum):
    """What a counter is doing."""

    CLOSED = "closed"
    OPEN = "open"
    BREAK = "break"
    CALLING = "calling"
    SERVING = "serving"


@dataclass
class CounterStatus:
    """The live state of a counter as the store keeps it."""

    id: str
    is_open: bool = False
    business_day: date | None = None
    contested_calls: int = 0
    contested_priority: int = 0
    # The clerk signed in at the counter, if any.
    staff_id: str | None = None
    on_break: bool = False
    break_since: datetime | None = None
    # The services the supervisor set for today; ``None``: the configured ones.
    services: tuple[str, ...] | None = None

    def end_break(self, now: datetime) -> list[Event]:
        """End the counter's break; the event that says so (none if it was not on a break)."""
        if not self.on_break:
            return []
        took = int((now - self.break_since).total_seconds()) if self.break_since else None
        self.on_break = False
        self.break_since = None
        return [
            Event.new(
                EventType.BREAK_ENDED,
                now,
                counter=self.id,
                data={"staff": self.staff_id, "seconds": took},
            )
        ]
