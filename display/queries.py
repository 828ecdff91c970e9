"""Reads the screens need that the core has no use case for yet, through the store's repository.

Each is one short read transaction. When the core grows the matching use
cases (see the display README section), these become one-line calls to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from centre import usecases as uc
from centre.clock import Clock
from centre.config import CentreConfig, CounterConfig
from centre.domain import Appointment, Event, EventType, Ticket
from centre.store.unit_of_work import Store

#: The kinds of event that put a number on the hall screen.
CALL_EVENTS = frozenset({EventType.CALLED, EventType.RECALLED})
_CHUNK = 500


@dataclass(frozen=True)
class Desk:
    """A counter as its terminal shows it: open or not, its ticket and that ticket's booking."""

    counter: CounterConfig
    is_open: bool
    ticket: Ticket | None
    appointment: Appointment | None


def read_desk(store: Store, clock: Clock, config: CentreConfig, counter_id: str) -> Desk:
    """The counter's state now, as the store has it."""
    counter = uc.resolve_counter(config, counter_id)
    today = uc.business_day(config, clock.now())
    with store.read() as repo:
        status = repo.counter_status(counter.id)
        ticket = repo.current_ticket(counter.id)
        appointment = None
        if ticket is not None and ticket.appointment_id is not None:
            appointment = repo.appointment(ticket.appointment_id)
    is_open = status.is_open and status.business_day == today
    return Desk(counter=counter, is_open=is_open, ticket=ticket, appointment=appointment)


def log_head(store: Store) -> int:
    """The seq of the newest event in the log."""
    with store.read() as repo:
        return repo.last_seq()


def recent_calls(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    head: int,
    count: int,
    scan_limit: int = 5000,
) -> list[Event]:
    """Today's latest calls up to ``head``, newest first, one per ticket (its latest call).

    Read backwards through the log in chunks, so a hall restarted mid-day
    shows exactly what it showed before, however long the day's log.
    """
    today = uc.business_day(config, clock.now())
    found: dict[str, Event] = {}
    upper = head
    while upper > 0 and len(found) < count and head - upper < scan_limit:
        lower = max(0, upper - _CHUNK)
        chunk = uc.events_since(store, lower, upper - lower)
        before_today = False
        for event in reversed(chunk):
            if uc.business_day(config, event.at) < today:
                before_today = True
                break
            if event.type in CALL_EVENTS and event.ticket_id and event.ticket_id not in found:
                found[event.ticket_id] = event
                if len(found) == count:
                    break
        if before_today:
            break
        upper = lower
    return list(found.values())


__all__ = ["CALL_EVENTS", "Desk", "log_head", "read_desk", "recent_calls"]
