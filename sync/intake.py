"""Appointments from the central as the store keeps them: the CPR becomes a keyed digest."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from centre.domain import Appointment, AppointmentStatus
from centre.rules.cpr import cpr_digest, parse_cpr
from sync import wire


def to_stored_appointment(
    appointment: wire.Appointment, cpr_key: bytes, zone: ZoneInfo, origin: str = "central"
) -> Appointment:
    """The store's form of a central appointment; the CPR itself is not kept.

    Raises :class:`centre.errors.InvalidCpr` when the central sent a CPR that is
    not nine digits (the caller sets that appointment aside).
    """
    cpr = parse_cpr(appointment.cpr)
    return Appointment(
        id=appointment.id,
        reference=appointment.reference,
        service=appointment.service,
        slot_start=appointment.slot_start,
        slot_end=appointment.slot_end,
        business_day=appointment.slot_start.astimezone(zone).date(),
        status=AppointmentStatus(appointment.status),
        cpr_digest=cpr_digest(cpr, cpr_key),
        cpr_last4=cpr[-4:],
        name_ar=appointment.name.ar,
        name_en=appointment.name.en,
        updated_at=appointment.updated_at,
        origin=origin,
    )
