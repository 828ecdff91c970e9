"""Sync use cases on the store: the central's appointments in, the event log out, the link's state.

The sync agent (:mod:`sync.agent`) does the HTTP; these functions do the
store's side, each in one transaction, so a crash between two of them loses
nothing: a page of appointments commits together with its cursor, and the
acknowledged ``seq`` moves only after the central has the events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from centre.clock import Clock
from centre.config import CentreConfig
from centre.domain import Appointment, AppointmentStatus, Event, EventType, Ticket
from centre.rules.link import AUTH_FAILED, LINK_STATES, OFFLINE, ONLINE
from centre.store.repository import Repository
from centre.store.unit_of_work import Store

MAX_BATCH = 500
MAX_ERROR_TEXT = 200


@dataclass(frozen=True)
class SyncState:
    """The sync agent's state as the store keeps it."""

    link: str
    acked_seq: int
    cursor: str | None
    cursor_day: date | None
    last_ok: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class PageOutcome:
    """What storing one page of the central's appointments did."""

    stored: int
    skipped: tuple[str, ...] = ()
    stale: int = 0
    reconciled: int = 0
    cancelled_after_check_in: int = 0


@dataclass(frozen=True)
class OutgoingBatch:
    """Events to send after ``after_seq``; acknowledging it moves ``acked_seq`` to ``last_seq``.

    ``events`` leaves out the events already set aside in that range.
    """

    events: list[Event]
    after_seq: int
    last_seq: int


@dataclass(frozen=True)
class RejectedEventRecord:
    """An event the central refused, set aside for the supervisor."""

    event_id: str
    seq: int
    reason: str
    at: datetime


def sync_state(store: Store) -> SyncState:
    """The sync agent's state row."""
    with store.read() as repo:
        row = repo.sync_state()
    return SyncState(
        link=row.link,
        acked_seq=int(row.acked_seq),
        cursor=row.cursor,
        cursor_day=row.cursor_day,
        last_ok=row.last_ok,
        last_error=row.last_error,
    )


def pending_events(store: Store) -> int:
    """How many events of the log the central has not acknowledged."""
    with store.read() as repo:
        return max(repo.last_seq() - int(repo.sync_state().acked_seq), 0)


def record_link(store: Store, clock: Clock, link: str, error: str | None = None) -> None:
    """Record the link's state; ``online`` without ``error`` is a success (``last_ok`` now).

    ``error`` is a short line that never holds a token, a CPR or a name.
    """
    if link not in LINK_STATES:
        raise ValueError(f"unknown link state {link!r}")
    values: dict[str, object] = {"link": link}
    if error is None:
        values["last_error"] = None
        if link == ONLINE:
            values["last_ok"] = clock.now()
    else:
        values["last_error"] = error[:MAX_ERROR_TEXT]
    with store.write() as repo:
        repo.update_sync_state(**values)


def apply_appointments(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    appointments: Sequence[Appointment],
    *,
    day: date,
    cursor: str | None,
) -> PageOutcome:
    """Store one page of the central's appointments of ``day`` and its cursor, in one transaction.

    - An appointment for another day, or whose reference another appointment
      of the same page also uses, is skipped (the reason says which, never who).
    - A change older than the stored copy (by ``updated_at``) is skipped as stale.
    - The same reference under another id (a booking first known from its
      signed QR, ``qr:<ref>``) takes the central's id; its ticket follows it.
    - A booking cancelled centrally after it was checked in here keeps its
      ticket, and a ``booking_cancelled_after_check_in`` event tells the supervisor.

    ``cursor`` ``None`` leaves the stored cursor as it is.
    """
    now = clock.now()
    incoming, skipped = _one_per_id_and_reference(appointments, day)
    incoming_ids = {a.id for a in incoming}
    with store.write() as repo:
        stored_by_id = repo.appointments_by_ids(incoming_ids)
        stored_by_reference = repo.appointments_by_references(a.reference for a in incoming)
        to_save: list[tuple[Appointment, Appointment | None]] = []
        rekeyed: list[tuple[str, Appointment]] = []
        stale = 0
        for appointment in incoming:
            current = stored_by_id.get(appointment.id)
            holder = stored_by_reference.get(appointment.reference)
            if holder is not None and holder.id != appointment.id:
                if current is not None or holder.id in incoming_ids:
                    skipped.append(
                        f"appointment {appointment.id}: its reference belongs to {holder.id}"
                    )
                    continue
                repo.rekey_appointment(holder.id, appointment.id)
                rekeyed.append((holder.id, appointment))
                current = holder
            if current is not None and _is_stale(current, appointment):
                stale += 1
                continue
            to_save.append((appointment, current))
        tickets = repo.tickets_for_appointments(a.id for a, _ in to_save)
        events = [
            _ticket_event(EventType.APPOINTMENT_RECONCILED, now, ticket, appointment, was=old_id)
            for old_id, appointment in rekeyed
            if (ticket := tickets.get(appointment.id)) is not None
        ]
        cancelled = [
            _ticket_event(
                EventType.BOOKING_CANCELLED_AFTER_CHECK_IN,
                now,
                ticket,
                appointment,
                ticket_state=ticket.state.value,
            )
            for appointment, current in to_save
            if (ticket := tickets.get(appointment.id)) is not None
            and _newly_cancelled(current, appointment)
        ]
        repo.save_appointments([a for a, _ in to_save])
        matched = _match_unverified(repo, now, day, [a for a, _ in to_save], tickets)
        repo.append([*events, *cancelled, *matched])
        if cursor is not None:
            repo.update_sync_state(cursor=cursor, cursor_day=day)
    return PageOutcome(
        stored=len(to_save),
        skipped=tuple(skipped),
        stale=stale,
        reconciled=len(rekeyed) + sum(e.type is EventType.APPOINTMENT_RECONCILED for e in matched),
        cancelled_after_check_in=len(cancelled),
    )


def next_batch(store: Store, after_seq: int, limit: int = MAX_BATCH) -> OutgoingBatch | None:
    """The next events to send after ``after_seq`` (at most ``limit``), or ``None`` when none."""
    with store.read() as repo:
        events = repo.events_since(after_seq, limit)
        if not events:
            return None
        last_seq = events[-1].seq
        assert last_seq is not None
        aside = repo.set_aside_ids(after_seq, last_seq)
    return OutgoingBatch([e for e in events if e.id not in aside], after_seq, last_seq)


def acknowledge(store: Store, clock: Clock, batch: OutgoingBatch) -> None:
    """The central has every event of ``batch``: move ``acked_seq`` past it; the link works."""
    with store.write() as repo:
        repo.advance_acked_seq(batch.last_seq)
        repo.update_sync_state(link=ONLINE, last_ok=clock.now(), last_error=None)


def set_events_aside(store: Store, clock: Clock, rejected: Sequence[tuple[str, str]]) -> int:
    """Keep ``(event id, reason)`` of events the central refused; returns how many were new.

    They are never sent again; :func:`next_batch` leaves them out and the
    acknowledged ``seq`` moves past them with the rest of their batch.
    """
    with store.write() as repo:
        seqs = repo.event_seqs(event_id for event_id, _ in rejected)
        if not seqs:
            return 0
        known = repo.set_aside_ids(min(seqs.values()) - 1, max(seqs.values()))
        records = [
            (event_id, seqs[event_id], reason)
            for event_id, reason in rejected
            if event_id in seqs and event_id not in known
        ]
        repo.set_events_aside(records, clock.now())
    return len(records)


def rejected_events(store: Store, limit: int = 1000) -> list[RejectedEventRecord]:
    """The events the central refused, newest first (for the supervisor)."""
    with store.read() as repo:
        rows = repo.rejected_events(limit)
    return [RejectedEventRecord(r.event_id, int(r.seq), r.reason, r.at) for r in rows]


def _one_per_id_and_reference(
    appointments: Sequence[Appointment], day: date
) -> tuple[list[Appointment], list[str]]:
    """The page's appointments of ``day``, one per id (the last copy) and per reference."""
    skipped: list[str] = []
    by_id: dict[str, Appointment] = {}
    for appointment in appointments:
        if appointment.business_day != day:
            skipped.append(f"appointment {appointment.id}: not on {day.isoformat()}")
            continue
        by_id[appointment.id] = appointment
    incoming: list[Appointment] = []
    reference_owner: dict[str, str] = {}
    for appointment in by_id.values():
        owner = reference_owner.setdefault(appointment.reference, appointment.id)
        if owner != appointment.id:
            skipped.append(f"appointment {appointment.id}: its reference is also {owner}'s")
            continue
        incoming.append(appointment)
    return incoming, skipped


def _match_unverified(
    repo: Repository,
    now: datetime,
    day: date,
    saved: Sequence[Appointment],
    tickets: dict[str, Ticket],
) -> list[Event]:
    """Tie tickets given offline to a CPR with no known booking to the booking pulled since.

    A booked match lifts the counter's "verify the booking" mark; a cancelled
    one keeps it and tells the supervisor.
    """
    events: list[Event] = []
    claimed: set[str] = set()
    for appointment in saved:
        if appointment.cpr_digest is None or appointment.id in tickets:
            continue
        ticket_id = repo.unverified_ticket_for_cpr(appointment.cpr_digest, day)
        if ticket_id is None or ticket_id in claimed:
            continue
        ticket = repo.ticket(ticket_id)
        if ticket is None or ticket.appointment_id is not None:
            continue
        claimed.add(ticket_id)
        repo.link_ticket(ticket.id, appointment.id)
        ticket.appointment_id = appointment.id
        events.append(
            _ticket_event(
                EventType.APPOINTMENT_RECONCILED, now, ticket, appointment, was="unverified"
            )
        )
        if appointment.status is AppointmentStatus.CANCELLED:
            events.append(
                _ticket_event(
                    EventType.BOOKING_CANCELLED_AFTER_CHECK_IN,
                    now,
                    ticket,
                    appointment,
                    ticket_state=ticket.state.value,
                )
            )
        else:
            repo.remove_unverified_checkin(ticket.id)
    return events


def _newly_cancelled(current: Appointment | None, incoming: Appointment) -> bool:
    return incoming.status is AppointmentStatus.CANCELLED and (
        current is None or current.status is AppointmentStatus.BOOKED
    )


def _is_stale(current: Appointment, incoming: Appointment) -> bool:
    # The central's copy always replaces one made from a QR; otherwise an
    # older change (a replayed or backward page) never overwrites a newer one.
    if current.origin == "qr" or current.updated_at is None or incoming.updated_at is None:
        return False
    return incoming.updated_at < current.updated_at


def _ticket_event(
    kind: EventType, at: datetime, ticket: Ticket, appointment: Appointment, **data: str
) -> Event:
    return Event.new(
        kind,
        at,
        ticket_id=ticket.id,
        ticket_number=ticket.number,
        service=ticket.service,
        appointment_id=appointment.id,
        counter=ticket.counter,
        data={"reference": appointment.reference, **data},
    )


__all__ = [
    "AUTH_FAILED",
    "MAX_BATCH",
    "OFFLINE",
    "ONLINE",
    "OutgoingBatch",
    "PageOutcome",
    "RejectedEventRecord",
    "SyncState",
    "acknowledge",
    "apply_appointments",
    "next_batch",
    "pending_events",
    "record_link",
    "rejected_events",
    "set_events_aside",
    "sync_state",
]
