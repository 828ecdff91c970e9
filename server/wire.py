"""The JSON both ends of the centre server speak: the contract's shapes, the core's values, errors.

The contract's routes (CONTRACTS.md section 6) answer with the contract's
Ticket, status and Event JSON (:mod:`centre.contract`); a Ticket also carries
``lang`` and, for a checked-in booking, ``slot_start`` (what a kiosk prints).
The screens' own reads (a counter's desk, the queues, the supervisor's day)
carry the core's dataclasses as pydantic serialises them, so the HTTP adapter
hands the view-models exactly what the in-process adapter would.

Errors are ``{"error": one line, "code": snake_case, "params": {…}}``; the
params are the few the screens need to explain a refusal, never a CPR, PIN or
token, and any nine-digit run in a message is masked.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter

from centre import errors
from centre.config import CentreConfig
from centre.contract import iso
from centre.contract import ticket_json as contract_ticket_json
from centre.domain import Event, EventType, Priority, Source, Ticket, TicketState
from centre.phones import PhoneView
from centre.rules.cpr import mask_cpr
from centre.usecases import TicketView

JsonDict = dict[str, Any]
T = TypeVar("T")

#: The params an error may carry over the wire (whatever else the core attached stays home).
SAFE_PARAMS = frozenset(
    {
        "action",
        "acted_on",
        "centre",
        "choices",
        "counter",
        "date",
        "device",
        "digits",
        "lang",
        "number",
        "opens_at",
        "quota",
        "reason",
        "references",
        "role",
        "seconds",
        "service",
        "state",
        "ticket",
        "when",
    }
)
# Nine digits or more (a CPR, or a CPR with more typed after it) in anything repeated back.
_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[ \-]?\d){8,}(?!\d)")


def ticket_json(view: TicketView, zone: ZoneInfo) -> JsonDict:
    """The contract's Ticket JSON, with the ticket's language and its booking's slot."""
    body = contract_ticket_json(view, zone)
    body["lang"] = view.ticket.lang
    body["slot_start"] = iso(view.slot_start, zone)
    body["link"] = view.link
    return body


def phone_ticket_json(view: PhoneView, config: CentreConfig) -> JsonDict:
    """A ticket as its phone page shows it (docs/phone.md ``PublicTicket``): no CPR, no name."""
    ticket = view.ticket
    zone = config.centre.zone
    counter_name = None
    if ticket.counter is not None:
        try:
            names = config.counter(ticket.counter).name
        except KeyError:
            names = None
        if names is not None:
            counter_name = {"ar": names.ar, "en": names.en}
    service = config.service(ticket.service).name
    waiting = ticket.state is TicketState.WAITING
    return {
        "number": ticket.number,
        "service": ticket.service,
        "service_name": {"ar": service.ar, "en": service.en},
        "centre_name": {"ar": config.centre.name.ar, "en": config.centre.name.en},
        "state": ticket.state.value,
        "ahead": view.ahead if waiting else 0,
        "eta_minutes": view.eta_minutes if waiting else None,
        "counter": ticket.counter if not waiting else None,
        "counter_name": counter_name if not waiting else None,
        "called_at": iso(ticket.called_at, zone),
        "recalls": ticket.recalls,
        "more_time_left": view.more_time_left,
        "alert_ahead": view.alert_ahead,
        "rating": view.rating,
        "sms": view.sms,
        "texts": config.sms.enabled,
        "left": ticket.left_queue,
        "issued_at": iso(ticket.issued_at, zone),
        "at": iso(view.at, zone),
    }


def ticket_view_of(body: JsonDict, zone: ZoneInfo) -> TicketView:
    """A :class:`TicketView` from the server's Ticket JSON (a new or called ticket's view)."""
    issued = datetime.fromisoformat(body["issued_at"])
    slot = body.get("slot_start")
    ticket = Ticket(
        id=body["id"],
        business_day=issued.astimezone(zone).date(),
        number=body["number"],
        service=body["service"],
        source=Source(body["source"]),
        priority=Priority(body["priority"]),
        issued_at=issued,
        arrived_at=issued,
        state=TicketState(body["state"]),
        lang=body.get("lang") or "ar",
        appointment_id=body.get("appointment_id"),
        counter=body.get("counter"),
    )
    return TicketView(
        ticket,
        ahead=int(body.get("ahead") or 0),
        eta_minutes=body.get("eta_minutes"),
        slot_start=datetime.fromisoformat(slot) if slot else None,
        link=body.get("link"),
    )


def event_of(body: JsonDict) -> Event | None:
    """An :class:`Event` from the contract's Event JSON (``None`` for a type this code lacks)."""
    try:
        kind = EventType(body["type"])
    except ValueError:
        return None
    ticket = body.get("ticket") or None
    data = dict(body.get("data") or {})
    return Event(
        id=body["id"],
        type=kind,
        at=datetime.fromisoformat(body["at"]),
        ticket_id=ticket["id"] if ticket else None,
        ticket_number=ticket["number"] if ticket else None,
        service=ticket["service"] if ticket else data.get("service"),
        appointment_id=body.get("appointment_id"),
        counter=body.get("counter"),
        data=data,
        seq=int(body["seq"]),
    )


@cache
def adapter(kind: Any) -> TypeAdapter[Any]:
    """The pydantic adapter of one of the core's value types (built once)."""
    return TypeAdapter(kind)


def dump(kind: Any, value: Any) -> Any:
    """``value`` (of type ``kind``) as plain JSON values."""
    return adapter(kind).dump_python(value, mode="json")


def load(kind: type[T], body: Any) -> T:
    """A ``kind`` from plain JSON values."""
    kind_key: Any = kind
    result: T = adapter(kind_key).validate_python(body)
    return result


# -- errors --------------------------------------------------------------------


def masked(text: str) -> str:
    """``text`` with every run of nine digits or more masked as a CPR is (``*****1234``)."""
    return _LONG_NUMBER.sub(lambda match: mask_cpr(re.sub(r"\D", "", match.group(0))), text)


def error_body(message: str, code: str, params: dict[str, Any] | None = None) -> JsonDict:
    """An error answer: one line, its code, and the params safe to send."""
    safe = {
        key: masked(value) if isinstance(value, str) else value
        for key, value in (params or {}).items()
        if key in SAFE_PARAMS and _plain(value)
    }
    line = " ".join(masked(message).split())[:300]
    body: JsonDict = {"error": line, "code": code}
    if safe:
        body["params"] = safe
    return body


def _plain(value: Any) -> bool:
    if isinstance(value, str | int | float | bool) or value is None:
        return True
    if isinstance(value, list):
        return all(isinstance(item, str | int) for item in value)
    return False


@cache
def _error_classes() -> dict[str, type[errors.TaboorError]]:
    found: dict[str, type[errors.TaboorError]] = {}
    pending: list[type[errors.TaboorError]] = [errors.TaboorError]
    while pending:
        kind = pending.pop()
        found.setdefault(kind.code, kind)
        pending.extend(kind.__subclasses__())
    return found


def error_of(status: int, body: Any) -> errors.TaboorError:
    """The core's error for an error answer of the server."""
    if not isinstance(body, dict):
        body = {}
    message = str(body.get("error") or f"the centre server answered {status}")
    code = str(body.get("code") or "")
    params = body.get("params") if isinstance(body.get("params"), dict) else {}
    kind = _error_classes().get(code)
    if kind is errors.ConfigError:
        kind = errors.BadInput
    if kind is None:
        if status in (401, 403):
            kind = errors.DeviceRefused
        elif status == 429:
            kind = errors.RateLimited
        elif 400 <= status < 500 and status != 409:
            kind = errors.BadInput
        elif status == 409:
            kind = errors.Refused
        else:
            kind = errors.CentreUnreachable
    return kind(message, **params)


__all__ = [
    "SAFE_PARAMS",
    "adapter",
    "dump",
    "error_body",
    "error_of",
    "event_of",
    "load",
    "masked",
    "phone_ticket_json",
    "ticket_json",
    "ticket_view_of",
]
