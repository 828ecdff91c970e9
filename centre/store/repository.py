"""The repository: reads and writes domain objects on one open transaction."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    Row,
    Select,
    bindparam,
    delete,
    func,
    insert,
    select,
    union_all,
    update,
)
from sqlalchemy.engine import Connection

from centre.actor import BY_DEVICE, acting_device
from centre.domain import (
    ACTIVE_STATES,
    FINAL_STATES,
    Appointment,
    AppointmentStatus,
    CounterStatus,
    Event,
    EventType,
    Priority,
    Source,
    Ticket,
    TicketState,
)
from centre.store import schema

_T = schema.tickets
_A = schema.appointments
_E = schema.events
_HEAD = schema.event_head
_COUNTERS = schema.counters
# The meta key counting webhook ids, so that none is given twice.
_WEBHOOK_IDS = "webhook_last_id"
_WAITING = TicketState.WAITING.value
_ACTIVE = sorted(s.value for s in ACTIVE_STATES)
# Ticket columns that change after issue; save_ticket writes these.
_MUTABLE = (
    "service",
    "state",
    "due_at",
    "counter",
    "called_at",
    "started_at",
    "finished_at",
    "recalls",
    "transfers",
    "arrived_at",
    "arrival_seq",
    "deferrals",
    "left_queue",
)

# The hot statements are built once: building a construct and its cache key
# costs as much as running it on SQLite.
_HEAD_SEQ = select(_HEAD.c.last_seq).where(_HEAD.c.id == 1)
_HEAD_SEQ_LOCKED = _HEAD_SEQ.with_for_update()
_HEAD_UPDATE = update(_HEAD).where(_HEAD.c.id == 1).values(last_seq=bindparam("b_last_seq"))
_INSERT_EVENTS = insert(_E)
_INSERT_TICKET = insert(_T)
_UPDATE_TICKET = (
    update(_T)
    .where(_T.c.id == bindparam("b_id"))
    .values({column: bindparam(f"b_{column}") for column in _MUTABLE})
)
_CURRENT = (
    select(_T)
    .where(_T.c.counter == bindparam("counter"), _T.c.state.in_(_ACTIVE))
    .order_by(_T.c.called_at.desc())
)
_PAUSED = select(schema.service_states.c.service, schema.service_states.c.reason).where(
    schema.service_states.c.paused.is_(True)
)
_ALL_COUNTERS = select(_COUNTERS)
_ONE_COUNTER = select(_COUNTERS).where(_COUNTERS.c.id == bindparam("counter"))
_IN_QUEUE = (
    (_T.c.business_day == bindparam("day"))
    & (_T.c.state == _WAITING)
    & (_T.c.service == bindparam("service"))
)
_COUNT_WAITING = select(func.count()).where(_IN_QUEUE)
# Every service's queue in one read: waiting count and oldest arrival.
_QUEUE_LOADS = (
    select(_T.c.service, func.count(), func.min(_T.c.arrived_at))
    .where((_T.c.business_day == bindparam("day")) & (_T.c.state == _WAITING))
    .group_by(_T.c.service)
)
# The day's called and serving tickets (the queue index's prefix finds them).
_ACTIVE_OF_DAY = (
    select(_T)
    .where((_T.c.business_day == bindparam("day")) & _T.c.state.in_(_ACTIVE))
    .order_by(_T.c.called_at)
)
_COUNT_AHEAD = select(func.count()).where(
    _IN_QUEUE,
    (_T.c.arrived_at < bindparam("arrived_at"))
    | (
        (_T.c.arrived_at == bindparam("arrived_at")) & (_T.c.arrival_seq < bindparam("arrival_seq"))
    ),
)
_RECENT_SERVICE = (
    select(_T.c.started_at, _T.c.finished_at)
    .where(
        _T.c.service == bindparam("service"),
        _T.c.finished_at >= bindparam("since"),
        _T.c.state == TicketState.SERVED.value,
    )
    .order_by(_T.c.finished_at.desc())
    .limit(bindparam("limit", type_=Integer))
)


class Repository:
    """Domain objects in and out of the store, on one transaction.

    Write transactions hold the centre's write lock from their first statement
    (``BEGIN IMMEDIATE`` on SQLite, the event head row on PostgreSQL), so
    numbers, queue heads and event ``seq`` are decided by one writer at a time
    and commit in order: a reader tailing ``seq`` never sees a gap fill later.
    """

    def __init__(self, connection: Connection, *, writable: bool) -> None:
        self.connection = connection
        self.writable = writable
        self._last_seq: int | None = None
        self.appended: list[Event] = []
        if writable:
            self._last_seq = self._lock_event_head()

    # -- events -----------------------------------------------------------

    def _lock_event_head(self) -> int:
        postgres = self.connection.dialect.name == "postgresql"
        query = _HEAD_SEQ_LOCKED if postgres else _HEAD_SEQ
        return int(self.connection.execute(query).scalar_one())

    def append(self, events: Iterable[Event]) -> list[Event]:
        """Append events to the log, giving each the next ``seq``; returns them with it.

        Inside :func:`centre.actor.acting_as`, each event's data names the acting device.
        """
        if self._last_seq is None:
            raise RuntimeError("events are appended only in a write transaction")
        stored: list[Event] = []
        rows: list[dict[str, Any]] = []
        device = acting_device()
        for given in events:
            event = given
            if device is not None and BY_DEVICE not in event.data:
                event = replace(event, data={**event.data, BY_DEVICE: device})
            self._last_seq += 1
            stored.append(replace(event, seq=self._last_seq))
            rows.append(
                {
                    "seq": self._last_seq,
                    "id": event.id,
                    "type": event.type.value,
                    "at": event.at,
                    "ticket_id": event.ticket_id,
                    "ticket_number": event.ticket_number,
                    "service": event.service,
                    "appointment_id": event.appointment_id,
                    "counter": event.counter,
                    "data": json.dumps(event.data, ensure_ascii=False, separators=(",", ":")),
                }
            )
        if rows:
            self.connection.execute(_INSERT_EVENTS, rows)
        self.appended.extend(stored)
        return stored

    def seal(self) -> None:
        """Move the event head past what this write appended; the last statement before commit.

        Once per write rather than per append. On PostgreSQL the head's
        trigger (migration 0005) notifies the screens that LISTEN, delivered
        when the write commits.
        """
        if self.appended:
            self.connection.execute(_HEAD_UPDATE, {"b_last_seq": self._last_seq})

    def last_seq(self) -> int:
        """The ``seq`` of the newest event in the log (0 when empty)."""
        if self._last_seq is not None:
            return self._last_seq
        return int(self.connection.execute(_HEAD_SEQ).scalar_one())

    def events_since(self, seq: int, limit: int | None = None) -> list[Event]:
        """Events with ``seq`` greater than ``seq``, oldest first."""
        query = select(_E).where(_E.c.seq > seq).order_by(_E.c.seq)
        if limit is not None:
            query = query.limit(limit)
        return [_event_from_row(row) for row in self.connection.execute(query)]

    # -- numbering and quotas ---------------------------------------------

    def next_number(self, day: date, prefix: str) -> int:
        """The next ticket number for this prefix and day, never handed out twice."""
        return self._increment(
            schema.number_counters,
            {"business_day": day, "prefix": prefix},
            "last",
        )

    def count_walk_in(self, day: date, service: str) -> int:
        """Count one more walk-in ticket of ``service`` today; returns the new count."""
        return self._increment(
            schema.service_days,
            {"business_day": day, "service": service},
            "walk_ins",
        )

    def _increment(self, table: Any, key: dict[str, Any], column: str) -> int:
        statement = _increment_statement(self.connection.dialect.name, table, tuple(key), column)
        return int(self.connection.execute(statement, key).scalar_one())

    def _upsert(
        self, table: Any, values: dict[str, Any], keys: list[str], changes: dict[str, Any]
    ) -> Any:
        statement = _dialect_insert(self.connection.dialect.name, table).values(**values)
        return statement.on_conflict_do_update(index_elements=keys, set_=changes)

    # -- tickets ----------------------------------------------------------

    def add_ticket(self, ticket: Ticket) -> None:
        """Store a new ticket."""
        self.connection.execute(_INSERT_TICKET, _ticket_row(ticket))

    def save_ticket(self, ticket: Ticket) -> None:
        """Store a ticket's changed fields and append the events it recorded."""
        row = _ticket_row(ticket)
        values = {f"b_{column}": row[column] for column in _MUTABLE}
        self.connection.execute(_UPDATE_TICKET, {"b_id": ticket.id, **values})
        if ticket.state in FINAL_STATES:
            # A visitor's number is kept only while the ticket is open.
            contacts = schema.ticket_contacts
            self.connection.execute(delete(contacts).where(contacts.c.ticket_id == ticket.id))
        self.append(ticket.events)
        ticket.events.clear()

    def ticket(self, ticket_id: str) -> Ticket | None:
        """The ticket with this id."""
        row = self.connection.execute(select(_T).where(_T.c.id == ticket_id)).first()
        return _ticket_from_row(row) if row else None

    def ticket_by_number(self, day: date, number: str) -> Ticket | None:
        """The ticket with this number on ``day``."""
        query = select(_T).where(_T.c.business_day == day, _T.c.number == number)
        row = self.connection.execute(query).first()
        return _ticket_from_row(row) if row else None

    def ticket_for_appointment(self, appointment_id: str) -> Ticket | None:
        """The ticket an appointment was checked in with, if any."""
        row = self.connection.execute(
            select(_T).where(_T.c.appointment_id == appointment_id)
        ).first()
        return _ticket_from_row(row) if row else None

    def current_ticket(self, counter: str) -> Ticket | None:
        """The ticket called to or being served at ``counter``."""
        row = self.connection.execute(_CURRENT, {"counter": counter}).first()
        return _ticket_from_row(row) if row else None

    def queue_heads(self, day: date, services: Sequence[str], now: datetime) -> list[Ticket]:
        """The tickets the calling policy needs: per service the oldest waiting, the
        oldest due appointment, the oldest priority and the oldest normal ticket."""
        if not services:
            return []
        params: dict[str, Any] = {"day": day, "now": now}
        params.update({f"s{i}": service for i, service in enumerate(services)})
        found: dict[str, Ticket] = {}
        for row in self.connection.execute(_queue_heads_statement(len(services)), params):
            if row.id not in found:
                found[row.id] = _ticket_from_row(row)
        return list(found.values())

    def count_waiting(self, day: date, service: str, before: Ticket | None = None) -> int:
        """Waiting tickets of ``service`` on ``day`` (that arrived before ticket ``before``)."""
        params: dict[str, Any] = {"day": day, "service": service}
        if before is None:
            return int(self.connection.execute(_COUNT_WAITING, params).scalar_one())
        params.update(arrived_at=before.arrived_at, arrival_seq=before.arrival_seq)
        return int(self.connection.execute(_COUNT_AHEAD, params).scalar_one())

    def places_behind(self, ticket: Ticket, count: int) -> list[tuple[datetime, int]]:
        """The queue places (arrival, arrival seq) of up to ``count`` tickets waiting
        behind ``ticket`` in its service, nearest first."""
        query = (
            select(_T.c.arrived_at, _T.c.arrival_seq)
            .where(
                _T.c.business_day == ticket.business_day,
                _T.c.state == _WAITING,
                _T.c.service == ticket.service,
                (_T.c.arrived_at > ticket.arrived_at)
                | (
                    (_T.c.arrived_at == ticket.arrived_at) & (_T.c.arrival_seq > ticket.arrival_seq)
                ),
            )
            .order_by(_T.c.arrived_at, _T.c.arrival_seq)
            .limit(count)
        )
        return [(row.arrived_at, row.arrival_seq) for row in self.connection.execute(query)]

    def waiting_tickets(self, day: date) -> list[Ticket]:
        """Every ticket waiting on ``day``, in queue order within each service."""
        query = (
            select(_T)
            .where(_T.c.business_day == day, _T.c.state == _WAITING)
            .order_by(_T.c.service, _T.c.arrived_at, _T.c.arrival_seq)
        )
        return [_ticket_from_row(row) for row in self.connection.execute(query)]

    def tickets_by_id(self, ids: Collection[str]) -> dict[str, Ticket]:
        """The tickets with these ids (unknown ids are left out)."""
        found: dict[str, Ticket] = {}
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            query = select(_T).where(_T.c.id.in_(wanted[start : start + 500]))
            for row in self.connection.execute(query):
                found[row.id] = _ticket_from_row(row)
        return found

    def ratings_of(self, ids: Collection[str]) -> dict[str, int]:
        """The visitors' ratings of these tickets, by ticket id (unrated ones left out)."""
        table = schema.feedback
        ratings: dict[str, int] = {}
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            query = select(table.c.ticket_id, table.c.rating).where(
                table.c.ticket_id.in_(wanted[start : start + 500])
            )
            ratings.update({row.ticket_id: row.rating for row in self.connection.execute(query)})
        return ratings

    def contact_ids(self, ids: Collection[str]) -> set[str]:
        """Which of these tickets have a mobile number kept."""
        table = schema.ticket_contacts
        found: set[str] = set()
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            query = select(table.c.ticket_id).where(
                table.c.ticket_id.in_(wanted[start : start + 500])
            )
            found.update(row.ticket_id for row in self.connection.execute(query))
        return found

    def open_ticket_of_phone(self, day: date, phone_key: str, service: str) -> Ticket | None:
        """The phone's ticket of ``service`` on ``day`` that has not ended, if any."""
        query = select(_T).where(
            _T.c.phone_key == phone_key,
            _T.c.service == service,
            _T.c.business_day == day,
            _T.c.state.in_([_WAITING, *_ACTIVE]),
        )
        row = self.connection.execute(query).first()
        return _ticket_from_row(row) if row else None

    # -- visitors' mobile numbers (kept until the ticket ends) ---------------

    def set_contact(self, ticket_id: str, phone: str, lang: str, at: datetime) -> None:
        """Keep a mobile number for texts about ``ticket_id`` (replacing one kept)."""
        table = schema.ticket_contacts
        values = {
            "ticket_id": ticket_id,
            "phone": phone,
            "lang": lang,
            "near_sent": False,
            "called_sent": 0,
            "at": at,
        }
        self.connection.execute(
            self._upsert(
                table,
                values,
                ["ticket_id"],
                {"phone": phone, "lang": lang, "near_sent": False, "called_sent": 0, "at": at},
            )
        )

    def clear_contact(self, ticket_id: str) -> None:
        """Forget the mobile number kept for ``ticket_id``."""
        table = schema.ticket_contacts
        self.connection.execute(delete(table).where(table.c.ticket_id == ticket_id))

    def contacts(self) -> list[Row[Any]]:
        """Every kept number: ticket_id, phone, lang, near_sent, called_sent."""
        return list(self.connection.execute(select(schema.ticket_contacts)))

    def mark_contact(self, ticket_id: str, **values: Any) -> None:
        """Note which texts were sent for ``ticket_id`` (near_sent, called_sent)."""
        table = schema.ticket_contacts
        self.connection.execute(
            update(table).where(table.c.ticket_id == ticket_id).values(**values)
        )

    def recent_service_seconds(self, service: str, since: datetime, limit: int = 20) -> list[float]:
        """How long the latest served tickets of ``service`` took at the counter."""
        params = {"service": service, "since": since, "limit": limit}
        return [
            (row.finished_at - row.started_at).total_seconds()
            for row in self.connection.execute(_RECENT_SERVICE, params)
            if row.started_at is not None
        ]

    def tickets_of_day(self, day: date) -> list[Ticket]:
        """Every ticket of ``day``, by number order of issue."""
        query = select(_T).where(_T.c.business_day == day).order_by(_T.c.issued_at, _T.c.number)
        return [_ticket_from_row(row) for row in self.connection.execute(query)]

    def open_tickets_before(self, day: date) -> list[Ticket]:
        """Tickets of days before ``day`` still waiting, called or serving."""
        open_states = [_WAITING, *_ACTIVE]
        query = select(_T).where(_T.c.business_day < day, _T.c.state.in_(open_states))
        return [_ticket_from_row(row) for row in self.connection.execute(query)]

    # -- services and counters --------------------------------------------

    def paused_services(self) -> dict[str, str]:
        """Paused services and the reason given."""
        return {row.service: row.reason or "" for row in self.connection.execute(_PAUSED)}

    def set_paused(self, service: str, paused: bool, reason: str, at: datetime) -> None:
        """Pause or resume a service."""
        values = {"service": service, "paused": paused, "reason": reason, "updated_at": at}
        self.connection.execute(self._upsert(schema.service_states, values, ["service"], values))

    def counter_status(self, counter_id: str) -> CounterStatus:
        """The stored state of a counter (closed if never opened)."""
        row = self.connection.execute(_ONE_COUNTER, {"counter": counter_id}).first()
        return _counter_from_row(row) if row else CounterStatus(id=counter_id)

    def counter_statuses(self) -> dict[str, CounterStatus]:
        """Stored state of every counter that was ever opened."""
        rows = self.connection.execute(_ALL_COUNTERS)
        return {row.id: _counter_from_row(row) for row in rows}

    def active_tickets(self, day: date) -> dict[str, Ticket]:
        """The day's tickets called or being served, by counter."""
        return {
            row.counter: _ticket_from_row(row)
            for row in self.connection.execute(_ACTIVE_OF_DAY, {"day": day})
        }

    def queue_loads(self, day: date) -> dict[str, tuple[int, datetime]]:
        """Each service with tickets waiting on ``day``: how many, and the oldest arrival."""
        return {
            service: (int(count), oldest)
            for service, count, oldest in self.connection.execute(_QUEUE_LOADS, {"day": day})
        }

    def save_counter(self, status: CounterStatus, at: datetime) -> None:
        """Store a counter's state."""
        values = {
            "id": status.id,
            "is_open": status.is_open,
            "business_day": status.business_day,
            "contested_calls": status.contested_calls,
            "contested_priority": status.contested_priority,
            "updated_at": at,
            "staff_id": status.staff_id,
            "on_break": status.on_break,
            "break_since": status.break_since,
            "services": None if status.services is None else json.dumps(list(status.services)),
        }
        self.connection.execute(self._upsert(schema.counters, values, ["id"], values))

    def counter_of_staff(self, staff_id: str) -> str | None:
        """The counter where this staff member is signed in, if any."""
        query = select(_COUNTERS.c.id).where(_COUNTERS.c.staff_id == staff_id)
        return self.connection.execute(query).scalar()

    # -- staff ------------------------------------------------------------

    def staff_member(self, staff_id: str) -> Row[Any] | None:
        """A staff member's row, PIN hash included."""
        query = select(schema.staff).where(schema.staff.c.id == staff_id)
        return self.connection.execute(query).first()

    def staff_members(self) -> list[Row[Any]]:
        """Every staff member, by id."""
        query = select(schema.staff).order_by(schema.staff.c.id)
        return list(self.connection.execute(query))

    def save_staff_member(self, values: dict[str, Any]) -> None:
        """Create or replace a staff member's row."""
        table = schema.staff
        self.connection.execute(self._upsert(table, values, ["id"], values))

    def update_staff_member(self, staff_id: str, **values: Any) -> None:
        """Change some of a staff member's columns."""
        table = schema.staff
        self.connection.execute(update(table).where(table.c.id == staff_id).values(**values))

    def events_of_types(self, types: Iterable[EventType], since: datetime) -> list[Event]:
        """Events of these kinds at or after ``since``, oldest first."""
        query = (
            select(_E)
            .where(_E.c.type.in_([t.value for t in types]), _E.c.at >= since)
            .order_by(_E.c.seq)
        )
        return [_event_from_row(row) for row in self.connection.execute(query)]

    # -- feedback and devices ---------------------------------------------

    def add_feedback(self, values: dict[str, Any]) -> bool:
        """Store a rating; ``False`` when the ticket was already rated."""
        table = schema.feedback
        exists = select(table.c.ticket_id).where(table.c.ticket_id == values["ticket_id"])
        if self.connection.execute(exists).first() is not None:
            return False
        self.connection.execute(insert(table).values(**values))
        return True

    def feedback_of_day(self, day: date) -> list[Row[Any]]:
        """Every rating of a business day."""
        table = schema.feedback
        return list(self.connection.execute(select(table).where(table.c.business_day == day)))

    def device(self, device_id: str) -> Row[Any] | None:
        """A device's last reported state."""
        table = schema.devices
        return self.connection.execute(select(table).where(table.c.id == device_id)).first()

    def devices(self) -> list[Row[Any]]:
        """Every device's last reported state, by id."""
        table = schema.devices
        return list(self.connection.execute(select(table).order_by(table.c.id)))

    def save_device(self, values: dict[str, Any]) -> None:
        """Store a device's state."""
        self.connection.execute(self._upsert(schema.devices, values, ["id"], values))

    # -- appointments -----------------------------------------------------

    # -- enrolled devices and webhooks ----------------------------------------

    def enrolled_device(self, name: str) -> Row[Any] | None:
        """An enrolled device by name."""
        table = schema.enrolled_devices
        return self.connection.execute(select(table).where(table.c.name == name)).first()

    def enrolled_device_by_token(self, digest: str) -> Row[Any] | None:
        """The enrolled device whose token has this digest."""
        table = schema.enrolled_devices
        return self.connection.execute(select(table).where(table.c.token_hash == digest)).first()

    def enrolled_device_by_pairing(self, digest: str) -> Row[Any] | None:
        """The enrolled device whose pairing code has this digest."""
        table = schema.enrolled_devices
        query = select(table).where(table.c.pairing_hash == digest)
        return self.connection.execute(query).first()

    def enrolled_devices(self) -> list[Row[Any]]:
        """Every enrolled device, by name."""
        table = schema.enrolled_devices
        return list(self.connection.execute(select(table).order_by(table.c.name)))

    def save_enrolled_device(self, values: dict[str, Any]) -> None:
        """Create or replace an enrolled device."""
        table = schema.enrolled_devices
        self.connection.execute(self._upsert(table, values, ["name"], values))

    def update_enrolled_device(self, name: str, **values: Any) -> None:
        """Change some columns of an enrolled device."""
        table = schema.enrolled_devices
        self.connection.execute(update(table).where(table.c.name == name).values(**values))

    def webhooks(self) -> list[Row[Any]]:
        """Every webhook endpoint, by id."""
        table = schema.webhooks
        return list(self.connection.execute(select(table).order_by(table.c.id)))

    def webhook(self, webhook_id: int) -> Row[Any] | None:
        """One webhook endpoint."""
        table = schema.webhooks
        return self.connection.execute(select(table).where(table.c.id == webhook_id)).first()

    def add_webhook(self, values: dict[str, Any]) -> int:
        """Store a new webhook endpoint; returns its id, one never given before.

        SQLite hands the highest rowid out again once its row is deleted, so
        the ids are counted in the meta table: an id a receiver, a log or a
        script knows never comes to mean another endpoint.
        """
        table = schema.webhooks
        highest = self.connection.execute(select(func.max(table.c.id))).scalar()
        webhook_id = max(int(self.meta(_WEBHOOK_IDS) or 0), int(highest or 0)) + 1
        self.connection.execute(insert(table).values(**values, id=webhook_id))
        self.set_meta(_WEBHOOK_IDS, str(webhook_id))
        return webhook_id

    def update_webhook(self, webhook_id: int, **values: Any) -> None:
        """Change some columns of a webhook endpoint."""
        table = schema.webhooks
        self.connection.execute(update(table).where(table.c.id == webhook_id).values(**values))

    def remove_webhook(self, webhook_id: int) -> bool:
        """Delete a webhook endpoint; whether it existed."""
        table = schema.webhooks
        result = self.connection.execute(delete(table).where(table.c.id == webhook_id))
        return bool(result.rowcount)

    def count_events_after(self, seq: int, types: Sequence[str] | None = None) -> int:
        """How many events after ``seq`` (of ``types``, when given)."""
        query = select(func.count()).select_from(_E).where(_E.c.seq > seq)
        if types is not None:
            query = query.where(_E.c.type.in_(list(types)))
        return int(self.connection.execute(query).scalar_one())

    def events_between(
        self, after: int, up_to: int, types: Sequence[str] | None = None, limit: int = 100
    ) -> list[Event]:
        """Events with ``after < seq <= up_to`` (of ``types``, when given), oldest first."""
        query = select(_E).where(_E.c.seq > after, _E.c.seq <= up_to)
        if types is not None:
            query = query.where(_E.c.type.in_(list(types)))
        query = query.order_by(_E.c.seq).limit(limit)
        return [_event_from_row(row) for row in self.connection.execute(query)]

    def appointments_by_cpr(self, digest: str) -> list[Appointment]:
        """Every stored appointment of the CPR with this digest, by slot."""
        query = select(_A).where(_A.c.cpr_digest == digest).order_by(_A.c.slot_start)
        return [_appointment_from_row(row) for row in self.connection.execute(query)]

    def appointment_by_reference(self, reference: str) -> Appointment | None:
        """The appointment with this booking reference."""
        row = self.connection.execute(select(_A).where(_A.c.reference == reference)).first()
        return _appointment_from_row(row) if row else None

    def appointment(self, appointment_id: str) -> Appointment | None:
        """The appointment with this id."""
        row = self.connection.execute(select(_A).where(_A.c.id == appointment_id)).first()
        return _appointment_from_row(row) if row else None

    def appointments_of_day(self, day: date) -> list[Appointment]:
        """Every appointment of ``day``, by slot."""
        query = select(_A).where(_A.c.business_day == day).order_by(_A.c.slot_start)
        return [_appointment_from_row(row) for row in self.connection.execute(query)]

    def upsert_appointment(self, appointment: Appointment) -> None:
        """Store an appointment, replacing the stored one with the same id."""
        values = _appointment_row(appointment)
        self.connection.execute(self._upsert(_A, values, ["id"], values))

    def purge_personal_data(self, before: date) -> int:
        """Erase names and CPR digests of appointments of days before ``before``."""
        result = self.connection.execute(
            update(_A)
            .where(
                _A.c.business_day < before,
                _A.c.cpr_digest.is_not(None)
                | _A.c.name_en.is_not(None)
                | _A.c.name_ar.is_not(None),
            )
            .values(cpr_digest=None, cpr_last4=None, name_ar=None, name_en=None)
        )
        return int(result.rowcount or 0)

    # -- meta and sync state ----------------------------------------------

    def meta(self, key: str) -> str | None:
        """A value of the meta table."""
        query = select(schema.meta.c.value).where(schema.meta.c.key == key)
        value = self.connection.execute(query).scalar()
        return str(value) if value is not None else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the meta table."""
        values = {"key": key, "value": value}
        self.connection.execute(self._upsert(schema.meta, values, ["key"], {"value": value}))

    def sync_state(self) -> Row[Any]:
        """The sync agent's state row (link, acknowledged seq, cursor, last success)."""
        return self.connection.execute(select(schema.sync_state)).one()

    # -- sync -------------------------------------------------------------

    def update_sync_state(self, **values: Any) -> None:
        """Set columns of the sync agent's state row: link, cursor, cursor_day, last_ok, last_error.

        ``acked_seq`` moves only through :meth:`advance_acked_seq`.
        """
        allowed = {"link", "cursor", "cursor_day", "last_ok", "last_error"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"not sync state columns: {sorted(unknown)}")
        if values:
            table = schema.sync_state
            self.connection.execute(table.update().where(table.c.id == 1).values(**values))

    def advance_acked_seq(self, seq: int) -> None:
        """Record that the central has every event up to ``seq`` (never moves back)."""
        table = schema.sync_state
        self.connection.execute(
            table.update().where(table.c.id == 1, table.c.acked_seq < seq).values(acked_seq=seq)
        )

    def appointments_by_ids(self, ids: Iterable[str]) -> dict[str, Appointment]:
        """The stored appointments with these ids, by id."""
        wanted = sorted(set(ids))
        found: dict[str, Appointment] = {}
        for chunk in _chunks(wanted):
            for row in self.connection.execute(select(_A).where(_A.c.id.in_(chunk))):
                found[row.id] = _appointment_from_row(row)
        return found

    def appointments_by_references(self, references: Iterable[str]) -> dict[str, Appointment]:
        """The stored appointments with these booking references, by reference."""
        wanted = sorted(set(references))
        found: dict[str, Appointment] = {}
        for chunk in _chunks(wanted):
            for row in self.connection.execute(select(_A).where(_A.c.reference.in_(chunk))):
                found[row.reference] = _appointment_from_row(row)
        return found

    def save_appointments(self, appointments: Sequence[Appointment]) -> None:
        """Store many appointments in one statement, replacing those with the same ids."""
        if not appointments:
            return
        statement = _dialect_insert(self.connection.dialect.name, _A)
        changed = {c.name: statement.excluded[c.name] for c in _A.c if c.name != "id"}
        statement = statement.on_conflict_do_update(index_elements=["id"], set_=changed)
        self.connection.execute(statement, [_appointment_row(a) for a in appointments])

    def rekey_appointment(self, old_id: str, new_id: str) -> None:
        """Give a stored appointment another id; its ticket follows it."""
        self.connection.execute(_A.update().where(_A.c.id == old_id).values(id=new_id))
        self.connection.execute(
            _T.update().where(_T.c.appointment_id == old_id).values(appointment_id=new_id)
        )

    def tickets_for_appointments(self, ids: Iterable[str]) -> dict[str, Ticket]:
        """The tickets these appointments were checked in with, by appointment id."""
        wanted = sorted(set(ids))
        found: dict[str, Ticket] = {}
        for chunk in _chunks(wanted):
            for row in self.connection.execute(select(_T).where(_T.c.appointment_id.in_(chunk))):
                found[row.appointment_id] = _ticket_from_row(row)
        return found

    def event_seqs(self, ids: Iterable[str]) -> dict[str, int]:
        """The ``seq`` of each of these event ids that is in the log."""
        wanted = sorted(set(ids))
        found: dict[str, int] = {}
        for chunk in _chunks(wanted):
            query = select(_E.c.id, _E.c.seq).where(_E.c.id.in_(chunk))
            found.update({row.id: int(row.seq) for row in self.connection.execute(query)})
        return found

    def set_events_aside(self, records: Sequence[tuple[str, int, str]], at: datetime) -> None:
        """Keep ``(event id, seq, reason)`` of events the central refused (again: no change)."""
        if not records:
            return
        table = schema.rejected_events
        statement = _dialect_insert(self.connection.dialect.name, table)
        statement = statement.on_conflict_do_nothing(index_elements=["event_id"])
        rows = [
            {"event_id": event_id, "seq": seq, "reason": reason[:1000], "at": at}
            for event_id, seq, reason in records
        ]
        self.connection.execute(statement, rows)

    def set_aside_ids(self, after_seq: int, up_to_seq: int) -> set[str]:
        """Ids of set-aside events with ``after_seq < seq <= up_to_seq``."""
        table = schema.rejected_events
        query = select(table.c.event_id).where(table.c.seq > after_seq, table.c.seq <= up_to_seq)
        return {row.event_id for row in self.connection.execute(query)}

    def rejected_events(self, limit: int = 1000) -> list[Row[Any]]:
        """The events the central refused, newest first (event_id, seq, reason, at)."""
        table = schema.rejected_events
        query = select(table).order_by(table.c.seq.desc()).limit(limit)
        return list(self.connection.execute(query))

    def rejected_count(self) -> int:
        """How many events the central refused, in all."""
        query = select(func.count()).select_from(schema.rejected_events)
        return int(self.connection.execute(query).scalar_one())

    def events_by_ids(self, ids: Iterable[str]) -> list[Event]:
        """The events with these ids."""
        wanted = list(ids)
        found: list[Event] = []
        for chunk in _chunks(wanted):
            query = select(_E).where(_E.c.id.in_(chunk))
            found.extend(_event_from_row(row) for row in self.connection.execute(query))
        return found

    def add_unverified_checkin(
        self, ticket_id: str, day: date, service: str, digest: str, at: datetime
    ) -> None:
        """Mark a ticket as given without a known booking: the counter verifies it."""
        self.connection.execute(
            schema.unverified_checkins.insert().values(
                ticket_id=ticket_id, business_day=day, service=service, cpr_digest=digest, at=at
            )
        )

    def remove_unverified_checkin(self, ticket_id: str) -> None:
        """The ticket's booking is known now: the counter need not verify it."""
        table = schema.unverified_checkins
        self.connection.execute(table.delete().where(table.c.ticket_id == ticket_id))

    def link_ticket(self, ticket_id: str, appointment_id: str) -> None:
        """Tie a ticket given without a known booking to the booking found since."""
        self.connection.execute(
            update(_T).where(_T.c.id == ticket_id).values(appointment_id=appointment_id)
        )

    def unverified_checkin(self, ticket_id: str) -> Row[Any] | None:
        """The unverified mark of a ticket, if it has one."""
        table = schema.unverified_checkins
        return self.connection.execute(select(table).where(table.c.ticket_id == ticket_id)).first()

    def unverified_ticket_for_cpr(self, digest: str, day: date) -> str | None:
        """The ticket already given unverified to this CPR digest on ``day``."""
        table = schema.unverified_checkins
        query = select(table.c.ticket_id).where(
            table.c.cpr_digest == digest, table.c.business_day == day
        )
        value = self.connection.execute(query).scalar()
        return str(value) if value is not None else None

    def unverified_tickets_of_day(self, day: date) -> list[str]:
        """Ids of the tickets of ``day`` the counter must verify, in order of issue."""
        table = schema.unverified_checkins
        query = select(table.c.ticket_id).where(table.c.business_day == day).order_by(table.c.at)
        return [row.ticket_id for row in self.connection.execute(query)]

    def purge_unverified_digests(self, before: date) -> int:
        """Erase the CPR digests of unverified check-ins of days before ``before``."""
        table = schema.unverified_checkins
        result = self.connection.execute(
            table.update()
            .where(table.c.business_day < before, table.c.cpr_digest.is_not(None))
            .values(cpr_digest=None)
        )
        return int(result.rowcount or 0)


@cache
def _queue_heads_statement(services: int) -> Any:
    # One round trip for every head of every queue the counter serves; each
    # arm is an index seek ending in LIMIT 1.
    order = (_T.c.arrived_at, _T.c.arrival_seq)
    arms: list[Select[Any]] = []
    for i in range(services):
        base = (
            (_T.c.business_day == bindparam("day"))
            & (_T.c.state == _WAITING)
            & (_T.c.service == bindparam(f"s{i}"))
        )
        for query in (
            select(_T).where(base).order_by(*order),
            select(_T).where(base, _T.c.is_priority.is_(True)).order_by(*order),
            select(_T).where(base, _T.c.is_priority.is_(False)).order_by(*order),
            select(_T)
            .where(base, _T.c.due_at.is_not(None), _T.c.due_at <= bindparam("now"))
            .order_by(_T.c.due_at, *order),
        ):
            head = query.limit(1).subquery()
            arms.append(select(*head.c))
    return union_all(*arms)


@cache
def _dialect_insert(dialect: str, table: Any) -> Any:
    # INSERT .. ON CONFLICT DO UPDATE: the same statement on both databases.
    # Only the dialect in use is imported (PostgreSQL's costs 70 ms at start).
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert  # noqa: PLC0415

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert  # noqa: PLC0415

    return sqlite_insert(table)


@cache
def _increment_statement(dialect: str, table: Any, keys: tuple[str, ...], column: str) -> Any:
    counted = getattr(table.c, column)
    values: dict[str, Any] = {key: bindparam(key) for key in keys}
    statement = _dialect_insert(dialect, table).values(**values, **{column: 1})
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={column: counted + 1}
    )
    return statement.returning(counted)


def _event_from_row(row: Row[Any]) -> Event:
    return Event(
        id=row.id,
        type=EventType(row.type),
        at=row.at,
        ticket_id=row.ticket_id,
        ticket_number=row.ticket_number,
        service=row.service,
        appointment_id=row.appointment_id,
        counter=row.counter,
        data=json.loads(row.data),
        seq=row.seq,
    )


def _ticket_row(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "business_day": ticket.business_day,
        "number": ticket.number,
        "service": ticket.service,
        "source": ticket.source.value,
        "priority": ticket.priority.value,
        "is_priority": ticket.is_priority,
        "state": ticket.state.value,
        "lang": ticket.lang,
        "appointment_id": ticket.appointment_id,
        "issued_at": ticket.issued_at,
        "arrived_at": ticket.arrived_at,
        "due_at": ticket.due_at,
        "counter": ticket.counter,
        "called_at": ticket.called_at,
        "started_at": ticket.started_at,
        "finished_at": ticket.finished_at,
        "recalls": ticket.recalls,
        "transfers": ticket.transfers,
        "arrival_seq": ticket.arrival_seq,
        "deferrals": ticket.deferrals,
        "left_queue": ticket.left_queue,
        "phone_key": ticket.phone_key,
    }


def _ticket_from_row(row: Row[Any]) -> Ticket:
    return Ticket(
        id=row.id,
        business_day=row.business_day,
        number=row.number,
        service=row.service,
        source=Source(row.source),
        priority=Priority(row.priority),
        issued_at=row.issued_at,
        arrived_at=row.arrived_at,
        state=TicketState(row.state),
        lang=row.lang,
        appointment_id=row.appointment_id,
        due_at=row.due_at,
        counter=row.counter,
        called_at=row.called_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        recalls=row.recalls,
        transfers=row.transfers,
        arrival_seq=row.arrival_seq,
        deferrals=row.deferrals,
        left_queue=row.left_queue,
        phone_key=row.phone_key,
    )


def _appointment_row(appointment: Appointment) -> dict[str, Any]:
    return {
        "id": appointment.id,
        "reference": appointment.reference,
        "service": appointment.service,
        "slot_start": appointment.slot_start,
        "slot_end": appointment.slot_end,
        "business_day": appointment.business_day,
        "status": appointment.status.value,
        "cpr_digest": appointment.cpr_digest,
        "cpr_last4": appointment.cpr_last4,
        "name_ar": appointment.name_ar,
        "name_en": appointment.name_en,
        "updated_at": appointment.updated_at,
        "origin": appointment.origin,
    }


def _appointment_from_row(row: Row[Any]) -> Appointment:
    return Appointment(
        id=row.id,
        reference=row.reference,
        service=row.service,
        slot_start=row.slot_start,
        slot_end=row.slot_end,
        business_day=row.business_day,
        status=AppointmentStatus(row.status),
        cpr_digest=row.cpr_digest,
        cpr_last4=row.cpr_last4,
        name_ar=row.name_ar,
        name_en=row.name_en,
        updated_at=row.updated_at,
        origin=row.origin,
    )


def _counter_from_row(row: Row[Any]) -> CounterStatus:
    return CounterStatus(
        id=row.id,
        is_open=row.is_open,
        business_day=row.business_day,
        contested_calls=row.contested_calls,
        contested_priority=row.contested_priority,
        staff_id=row.staff_id,
        on_break=bool(row.on_break),
        break_since=row.break_since,
        services=None if row.services is None else tuple(json.loads(row.services)),
    )


def _chunks(values: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    # Bounded IN lists: SQLite and PostgreSQL both cap bound parameters.
    for start in range(0, len(values), size):
        yield values[start : start + size]
