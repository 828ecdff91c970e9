"""The JSON shapes of CONTRACTS.md that the centre prints and sends: tickets, events, status,
devices."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from centre.devices import EnrolledDevice
from centre.domain import Event
from centre.usecases import QueueStatus, TicketView

JsonDict = dict[str, Any]


def iso(at: datetime | None, zone: ZoneInfo) -> str | None:
    """ISO-8601 with the centre's offset (``2026-11-22T09:15:00+03:00``)."""
    return at.astimezone(zone).isoformat(timespec="seconds") if at is not None else None


def ticket_json(view: TicketView, zone: ZoneInfo) -> JsonDict:
    """A ticket with its people ahead and estimate, as the contract's ticket JSON."""
    ticket = view.ticket
    return {
        "id": ticket.id,
        "number": ticket.number,
        "service": ticket.service,
        "state": ticket.state.value,
        "source": ticket.source.value,
        "priority": ticket.priority.value,
        "issued_at": iso(ticket.issued_at, zone),
        "counter": ticket.counter,
        "appointment_id": ticket.appointment_id,
        "ahead": view.ahead,
        "eta_minutes": view.eta_minutes,
    }


def event_json(event: Event, zone: ZoneInfo) -> JsonDict:
    """An event as the central API's ``Event`` (CONTRACTS.md section 2)."""
    ticket = None
    if event.ticket_id is not None:
        ticket = {"id": event.ticket_id, "number": event.ticket_number, "service": event.service}
    data = dict(event.data)
    if ticket is None and event.service is not None:
        data.setdefault("service", event.service)
    return {
        "id": event.id,
        "seq": event.seq,
        "type": event.type.value,
        "at": iso(event.at, zone),
        "ticket": ticket,
        "appointment_id": event.appointment_id,
        "counter": event.counter,
        "data": data,
    }


def status_json(status: QueueStatus, centre_id: str, zone: ZoneInfo) -> JsonDict:
    """The queue at a glance, as ``status --json`` prints it."""
    return {
        "centre": centre_id,
        "services": [
            {
                "service": s.service.code,
                "name": {"ar": s.service.name.ar, "en": s.service.name.en},
                "waiting": s.waiting,
                "eta_minutes": s.eta_minutes,
                "longest_wait_s": s.longest_wait_s,
                "paused": s.paused,
            }
            for s in status.services
        ],
        "counters": [
            {
                "counter": c.counter.id,
                "state": c.state.value,
                "ticket": c.ticket.number if c.ticket else None,
            }
            for c in status.counters
        ],
        "sync": {
            "link": status.sync.link,
            "pending": status.sync.pending,
            "last_ok": iso(status.sync.last_ok, zone),
        },
    }


def device_json(device: EnrolledDevice, zone: ZoneInfo) -> JsonDict:
    """A device of the centre server as ``device list --json`` prints it (never its token)."""
    return {
        "device": device.name,
        "role": device.role,
        "counter": device.counter,
        "paired": device.paired,
        "created_at": iso(device.created_at, zone),
        "revoked_at": iso(device.revoked_at, zone),
        "last_seen": iso(device.last_seen, zone),
    }
