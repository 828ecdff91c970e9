"""Plain values the view-models hand to their windows: queues, a counter's desk, a booking.

And the one lookup of a service's name every screen uses (:func:`service_name`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from centre import usecases as uc
from centre.config import CentreConfig, Names
from centre.domain import Appointment, Ticket
from centre.rules.cpr import mask_last4


def service_name(config: CentreConfig, code: str) -> Names | None:
    """A service's name in both languages (``None``: the centre has no such service now)."""
    try:
        return config.service(code).name
    except KeyError:
        return None


def service_label(config: CentreConfig, code: str, lang: str) -> str:
    """A service's name in ``lang``, or its code when the centre does not know it."""
    name = service_name(config, code)
    return name.get(lang) if name is not None else code


@dataclass(frozen=True)
class ServiceQueue:
    """One service's queue: people waiting and the estimated wait."""

    code: str
    name: Names
    waiting: int
    eta_minutes: int | None
    paused: bool


def service_queues(status: uc.QueueStatus, services: list[str] | None = None) -> list[ServiceQueue]:
    """The queues of ``status``, in config order; only ``services`` when given."""
    return [
        ServiceQueue(
            code=s.service.code,
            name=s.service.name,
            waiting=s.waiting,
            eta_minutes=s.eta_minutes,
            paused=s.paused,
        )
        for s in status.services
        if services is None or s.service.code in services
    ]


def mask_cpr(last4: str | None) -> str | None:
    """A CPR as screens show it, ``*****1234``, from its last four digits (never the CPR)."""
    if not last4:
        return None
    return mask_last4(last4[-4:])


@dataclass(frozen=True)
class AppointmentView:
    """What a clerk sees of a booking: name, reference, slot (centre time), masked CPR."""

    reference: str
    name: Names | None
    slot_start: datetime
    slot_end: datetime
    cpr_masked: str | None

    @classmethod
    def of(cls, appointment: Appointment, zone: ZoneInfo) -> AppointmentView:
        """The view of ``appointment``, its slot in the centre's time zone."""
        names = (
            appointment.name_ar or appointment.name_en,
            appointment.name_en or appointment.name_ar,
        )
        ar, en = names
        return cls(
            reference=appointment.reference,
            name=Names(ar=ar, en=en) if ar and en else None,
            slot_start=appointment.slot_start.astimezone(zone),
            slot_end=appointment.slot_end.astimezone(zone),
            cpr_masked=mask_cpr(appointment.cpr_last4),
        )


@dataclass(frozen=True)
class DeskView:
    """A counter as its terminal shows it."""

    counter: str
    is_open: bool
    ticket: Ticket | None
    service_name: Names | None
    appointment: AppointmentView | None
    verify: bool = False
    # The services the counter calls today (the supervisor may have changed them).
    services: tuple[str, ...] = ()
    # Who the centre says is signed in at the counter, and their name.
    staff_id: str | None = None
    staff_name: Names | None = None
    on_break: bool = False
    break_since: datetime | None = None

    @classmethod
    def of(cls, desk: uc.CounterDesk, config: CentreConfig) -> DeskView:
        """The view of ``desk``, its times in the centre's time zone."""
        ticket = desk.ticket
        service = service_name(config, ticket.service) if ticket is not None else None
        appointment = None
        if desk.appointment is not None:
            appointment = AppointmentView.of(desk.appointment, config.centre.zone)
        return cls(
            counter=desk.counter.id,
            is_open=desk.is_open or ticket is not None,
            ticket=ticket,
            service_name=service,
            appointment=appointment,
            verify=desk.verify,
            services=tuple(desk.counter.services),
            staff_id=desk.staff_id,
            staff_name=desk.staff_name if desk.staff_id is not None else None,
            on_break=desk.on_break and ticket is None,
            break_since=(
                desk.break_since.astimezone(config.centre.zone)
                if desk.on_break and desk.break_since is not None
                else None
            ),
        )


__all__ = [
    "AppointmentView",
    "DeskView",
    "ServiceQueue",
    "mask_cpr",
    "service_label",
    "service_name",
    "service_queues",
]
