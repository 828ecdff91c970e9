"""The JSON shapes of the central booking API v1: typed values, strict parsing, request checks."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, cast

MAX_EVENTS_PER_REQUEST = 500
APPOINTMENT_STATUSES = ("booked", "cancelled")
AppointmentStatus = Literal["booked", "cancelled"]

CPR_PATTERN = re.compile(r"[0-9]{9}")
REFERENCE_PATTERN = re.compile(r"[A-Z0-9-]{6,32}")
_TIME_PATTERN = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_MAX_ID = 128
# As the centre's store keeps them (centre.contract.appointment_from_central).
_MAX_APPOINTMENT_ID = 64
_MAX_SERVICE = 32
_MAX_TEXT = 200
_MAX_CURSOR = 512
_MAX_EVENT_DATA_KEYS = 100


class WireError(ValueError):
    """A JSON value that does not have the shape the contract gives it."""


@dataclass(frozen=True)
class PersonName:
    """A visitor's name in Arabic and English (personal data: never logged)."""

    ar: str
    en: str


@dataclass(frozen=True)
class Appointment:
    """One booking as the central sends it. The CPR and name stay out of ``repr``."""

    id: str
    reference: str
    cpr: str = field(repr=False)
    name: PersonName = field(repr=False)
    service: str
    slot_start: datetime
    slot_end: datetime
    status: AppointmentStatus
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON object for this appointment."""
        return {
            "id": self.id,
            "reference": self.reference,
            "cpr": self.cpr,
            "name": {"ar": self.name.ar, "en": self.name.en},
            "service": self.service,
            "slot_start": format_time(self.slot_start),
            "slot_end": format_time(self.slot_end),
            "status": self.status,
            "updated_at": format_time(self.updated_at),
        }


@dataclass(frozen=True)
class AppointmentPage:
    """One answer of ``GET …/appointments``: store these, keep ``cursor``, again if ``more``."""

    appointments: tuple[Appointment, ...]
    cursor: str
    more: bool


@dataclass(frozen=True)
class PushResult:
    """What the central did with an event batch: newly stored ids and ids it already had."""

    accepted: tuple[str, ...]
    duplicates: tuple[str, ...]


@dataclass(frozen=True)
class ServiceQueue:
    """One service's line in a queue snapshot."""

    service: str
    waiting: int
    eta_minutes: int | None


@dataclass(frozen=True)
class QueueSnapshot:
    """The body of ``PUT …/queue``: how the hall stands at ``at``."""

    at: datetime
    services: tuple[ServiceQueue, ...]
    counters_open: int

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON object for this snapshot."""
        return {
            "at": format_time(self.at),
            "services": [
                {"service": s.service, "waiting": s.waiting, "eta_minutes": s.eta_minutes}
                for s in self.services
            ],
            "counters_open": self.counters_open,
        }


def format_time(moment: datetime) -> str:
    """ISO-8601 with its offset, to the second (refuses naive datetimes)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a time on the wire needs an offset")
    return moment.isoformat(timespec="seconds")


def parse_time(value: object, where: str) -> datetime:
    """An ISO-8601 time that carries an offset."""
    text = _text(value, where, 64)
    match = _TIME_PATTERN.fullmatch(text)
    if match is None:
        raise WireError(f"{where}: not an ISO-8601 time with an offset")
    # RFC 3339 allows t/z and any number of fraction digits; Python wants T/Z and 6.
    fraction = (match.group(2) or "")[:7]
    text = f"{match.group(1).upper()}{fraction}{match.group(3).upper()}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise WireError(f"{where}: not an ISO-8601 time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise WireError(f"{where}: time without an offset")
    return moment


def loads(body: bytes) -> object:
    """Parse JSON strictly: UTF-8 only, no NaN or Infinity, no repeated keys."""
    try:
        return json.loads(
            body.decode("utf-8"),
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_keys,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WireError(f"not JSON: {type(exc).__name__}") from None


def dumps(value: object) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_appointment_page(value: object) -> AppointmentPage:
    """An ``appointments`` answer, checked field by field; :class:`WireError` on any fault."""
    body = _object(value, "answer")
    items = body.get("appointments")
    if not isinstance(items, list):
        raise WireError("appointments: not a list")
    appointments = tuple(
        parse_appointment(item, f"appointments[{i}]") for i, item in enumerate(items)
    )
    cursor = _text(body.get("cursor"), "cursor", _MAX_CURSOR)
    more = body.get("more")
    if not isinstance(more, bool):
        raise WireError("more: not a boolean")
    return AppointmentPage(appointments, cursor, more)


def parse_appointment(value: object, where: str = "appointment") -> Appointment:
    """One ``Appointment`` object of the contract."""
    item = _object(value, where)
    reference = _text(item.get("reference"), f"{where}.reference", 32)
    if not REFERENCE_PATTERN.fullmatch(reference):
        raise WireError(f"{where}.reference: not [A-Z0-9-]{{6,32}}")
    cpr = _text(item.get("cpr"), f"{where}.cpr", 9)
    if not CPR_PATTERN.fullmatch(cpr):
        # Never echo the value: it is personal data.
        raise WireError(f"{where}.cpr: not 9 digits")
    name = _object(item.get("name"), f"{where}.name")
    status = item.get("status")
    if status not in APPOINTMENT_STATUSES:
        raise WireError(f"{where}.status: unknown status")
    slot_start = parse_time(item.get("slot_start"), f"{where}.slot_start")
    slot_end = parse_time(item.get("slot_end"), f"{where}.slot_end")
    if slot_end < slot_start:
        raise WireError(f"{where}: slot ends before it starts")
    return Appointment(
        id=_text(item.get("id"), f"{where}.id", _MAX_APPOINTMENT_ID),
        reference=reference,
        cpr=cpr,
        name=PersonName(
            ar=_text(name.get("ar"), f"{where}.name.ar", _MAX_TEXT),
            en=_text(name.get("en"), f"{where}.name.en", _MAX_TEXT),
        ),
        service=_text(item.get("service"), f"{where}.service", _MAX_SERVICE),
        slot_start=slot_start,
        slot_end=slot_end,
        status=cast(AppointmentStatus, status),
        updated_at=parse_time(item.get("updated_at"), f"{where}.updated_at"),
    )


def parse_push_result(value: object, sent: Sequence[str]) -> PushResult:
    """A 200 answer to an event batch: every sent id exactly once, in accepted or duplicates."""
    body = _object(value, "answer")
    accepted = _id_list(body.get("accepted"), "accepted")
    duplicates = _id_list(body.get("duplicates"), "duplicates")
    answered = [*accepted, *duplicates]
    if len(set(answered)) != len(answered):
        raise WireError("an event id is answered twice")
    if set(answered) != set(sent):
        raise WireError("the answer does not account for exactly the events sent")
    return PushResult(tuple(accepted), tuple(duplicates))


def parse_rejection(value: object) -> tuple[str, list[tuple[str, str]]]:
    """A 422 answer: its error message and ``(id, reason)`` per rejected event."""
    body = _object(value, "answer")
    error = _text(body.get("error"), "error", 1000, allow_empty=True)
    rejected = body.get("rejected")
    if not isinstance(rejected, list):
        raise WireError("rejected: not a list")
    pairs: list[tuple[str, str]] = []
    for i, item in enumerate(rejected):
        entry = _object(item, f"rejected[{i}]")
        pairs.append(
            (
                _text(entry.get("id"), f"rejected[{i}].id", _MAX_ID),
                _text(entry.get("reason"), f"rejected[{i}].reason", 1000, allow_empty=True),
            )
        )
    return error, pairs


def event_problem(value: object) -> str | None:
    """Why an ``Event`` object breaks the contract, or ``None`` when it is well formed."""
    try:
        _check_event(value)
    except WireError as exc:
        return str(exc)
    return None


def event_id(value: object) -> str | None:
    """The event's ``id`` when it has a string one (for naming it in a rejection)."""
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return cast(str, value["id"])[:_MAX_ID]
    return None


def parse_queue_snapshot(value: object) -> QueueSnapshot:
    """The body of ``PUT …/queue``; :class:`WireError` on any fault."""
    body = _object(value, "body")
    services = body.get("services")
    if not isinstance(services, list):
        raise WireError("services: not a list")
    lines: list[ServiceQueue] = []
    for i, item in enumerate(services):
        entry = _object(item, f"services[{i}]")
        if "eta_minutes" not in entry:
            raise WireError(f"services[{i}].eta_minutes: missing (send null for none)")
        eta = entry.get("eta_minutes")
        lines.append(
            ServiceQueue(
                service=_text(entry.get("service"), f"services[{i}].service", 64),
                waiting=_count(entry.get("waiting"), f"services[{i}].waiting"),
                eta_minutes=None if eta is None else _count(eta, f"services[{i}].eta_minutes"),
            )
        )
    return QueueSnapshot(
        at=parse_time(body.get("at"), "at"),
        services=tuple(lines),
        counters_open=_count(body.get("counters_open"), "counters_open"),
    )


def _check_event(value: object) -> None:
    event = _object(value, "event")
    text_id = _text(event.get("id"), "id", 36)
    try:
        parsed = uuid.UUID(text_id)
    except ValueError:
        raise WireError("id: not a UUID") from None
    if str(parsed) != text_id or parsed.version != 4:
        raise WireError("id: not a lower-case UUID4")
    _count(event.get("seq"), "seq")
    _text(event.get("type"), "type", 64)
    parse_time(event.get("at"), "at")
    for key in ("ticket", "appointment_id", "counter"):
        if key not in event:
            raise WireError(f"{key}: missing (send null for none)")
    ticket = event.get("ticket")
    if ticket is not None:
        ticket_object = _object(ticket, "ticket")
        for key in ("id", "number", "service"):
            _text(ticket_object.get(key), f"ticket.{key}", _MAX_ID)
    for key in ("appointment_id", "counter"):
        if event.get(key) is not None:
            _text(event.get(key), key, _MAX_ID)
    data = _object(event.get("data"), "data")
    if len(data) > _MAX_EVENT_DATA_KEYS:
        raise WireError("data: too many keys")


def _object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WireError(f"{where}: not an object")
    return cast(dict[str, Any], value)


def _text(value: object, where: str, limit: int, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise WireError(f"{where}: not a string")
    if not value and not allow_empty:
        raise WireError(f"{where}: empty")
    if len(value) > limit:
        raise WireError(f"{where}: longer than {limit}")
    return value


def _count(value: object, where: str) -> int:
    # JSON has one number type: 12.0 is the integer 12 (JSON Schema agrees).
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        value = int(value)
    if type(value) is not int or value < 0:
        raise WireError(f"{where}: not a non-negative integer")
    return value


def _id_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list):
        raise WireError(f"{where}: not a list")
    return [_text(item, f"{where}[{i}]", _MAX_ID) for i, item in enumerate(value)]


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError("repeated key")
        result[key] = value
    return result


def ids_of(events: Sequence[Mapping[str, Any]]) -> list[str]:
    """The ``id`` of each event to send; ``ValueError`` when one lacks it or repeats one."""
    ids: list[str] = []
    for event in events:
        value = event.get("id")
        if not isinstance(value, str):
            raise ValueError("every event needs a string id")
        ids.append(value)
    if len(set(ids)) != len(ids):
        raise ValueError("an event id appears twice in the batch")
    return ids
