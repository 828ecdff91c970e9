"""What kiosks and the screens over counters send: booking look-ups, print failures, ratings."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from centre import devices
from centre.usecases import AppointmentOption
from server import wire
from server.access import CounterOrSupervisor, Kiosk, KioskOrSupervisor, in_path, known_query
from server.errors import ApiError, json_response
from server.models import (
    ChangedOut,
    CprBody,
    DeviceStatusBody,
    FeedbackBody,
    NumberBody,
    PrintFailureBody,
)
from server.routes.contract import API

router = APIRouter(prefix=API, tags=["visitors"], dependencies=[Depends(known_query)])
TicketRef = Annotated[str, Path(min_length=1, max_length=64)]


@router.post("/checkins/options", response_model=list[AppointmentOption])
def options(body: CprBody, caller: Kiosk) -> Response:
    """Today's bookings of a CPR, each with whether it can check in now (no names, no CPR)."""
    found = caller.centre().appointments_for_cpr(body.cpr)
    shown = [
        replace(
            option,
            appointment=replace(
                option.appointment, cpr_digest=None, cpr_last4=None, name_ar=None, name_en=None
            ),
        )
        for option in found
    ]
    return json_response(200, wire.dump(list[AppointmentOption], shown))


@router.post("/tickets/{ticket:path}/print-failures", status_code=204, response_class=Response)
def print_failure(ticket: TicketRef, body: PrintFailureBody, caller: KioskOrSupervisor) -> Response:
    """A ticket did not print: the supervisor is told; the ticket stays valid."""
    centre = caller.centre()
    found = in_path(lambda: centre.find_ticket(ticket))
    centre.record_print_failure(found, body.printer, body.reason)
    return Response(status_code=204)


@router.post("/device/status", response_model=ChangedOut)
def device_status(body: DeviceStatusBody, caller: KioskOrSupervisor) -> Response:
    """This device's state (a kiosk's printer), filed under its name for the supervisor."""
    changed = caller.centre().report_device(body.kind, body.state, body.detail)
    return json_response(200, {"changed": changed})


@router.put("/tickets/{ticket:path}/sms", status_code=204, response_class=Response)
def keep_number(ticket: TicketRef, body: NumberBody, caller: KioskOrSupervisor) -> Response:
    """A visitor's mobile number, typed at the kiosk, to text them as their turn nears."""
    centre = caller.centre()
    found = in_path(lambda: centre.find_ticket(ticket))
    centre.keep_number(found.id, body.phone, body.lang)
    caller.server.phones.numbers_changed()
    return Response(status_code=204)


@router.post("/tickets/{ticket:path}/feedback", status_code=204, response_class=Response)
def feedback(ticket: TicketRef, body: FeedbackBody, caller: CounterOrSupervisor) -> Response:
    """A visitor's rating of a ticket served (at this device's counter), once per ticket."""
    centre = caller.centre()
    found = in_path(lambda: centre.find_ticket(ticket))
    if caller.device.role == devices.COUNTER and found.counter != caller.device.counter:
        raise ApiError(403, "that ticket was not served at this device's counter", "forbidden")
    centre.record_feedback(found.id, body.rating)
    return Response(status_code=204)


__all__ = ["router"]
