"""The supervisor's device: signing in on it, the day's report, and acting on the centre.

Also revoking a device of the centre, and pairing a browser display with a
one-time code (no token yet, so no role).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from centre import devices
from centre.contract import device_json
from centre.errors import DeviceRefused, UnknownDevice
from centre.supervision import DayReport
from server import wire
from server.access import Caller, Calling, Serving, Supervisor, in_path, known_query
from server.errors import ApiError, json_response, limit
from server.models import (
    DeviceOut,
    MessageBody,
    PairBody,
    PairedOut,
    ReasonBody,
    ServicesBody,
    SignInBody,
    StaffOut,
    TicketOut,
)
from server.routes.contract import API, staff_json

router = APIRouter(prefix=API, tags=["supervisor"], dependencies=[Depends(known_query)])
TicketRef = Annotated[str, Path(min_length=1, max_length=64)]
ServiceRef = Annotated[str, Path(min_length=1, max_length=64)]
DeviceName = Annotated[str, Path(min_length=1, max_length=64)]


def _supervisor_device(caller: Caller) -> None:
    if caller.device.role != devices.SUPERVISOR:
        raise ApiError(403, f"a {caller.device.role} device may not do that", "forbidden")


@router.post("/supervisor/sign-in", response_model=StaffOut)
def sign_in(body: SignInBody, caller: Calling) -> Response:
    """A supervisor signs in on this device with staff id and PIN."""
    _supervisor_device(caller)
    server = caller.server
    limit(server.sign_ins.wait_for(caller.device.name))
    member = caller.centre().supervisor_sign_in(body.staff, body.pin)
    devices.set_supervisor(server.store, server.clock, caller.device.name, member.id)
    return json_response(200, staff_json(member, None))


@router.post("/supervisor/sign-out", status_code=204, response_class=Response)
def sign_out(caller: Calling) -> Response:
    """The supervisor signs out of this device."""
    _supervisor_device(caller)
    devices.set_supervisor(caller.server.store, caller.server.clock, caller.device.name, None)
    return Response(status_code=204)


@router.get("/supervisor/report", response_model=DayReport)
def report(caller: Supervisor) -> Response:
    """Everything the supervisor's screen shows, as of now."""
    return json_response(200, wire.dump(DayReport, caller.centre().day_report()))


@router.post("/services/{service}/pause", status_code=204, response_class=Response)
def pause(service: ServiceRef, caller: Supervisor, body: ReasonBody | None = None) -> Response:
    """Stop issuing tickets for a service (those waiting are still called)."""
    reason = body.reason if body is not None else ""
    in_path(lambda: caller.centre().pause_service(service, reason))
    return Response(status_code=204)


@router.post("/services/{service}/resume", status_code=204, response_class=Response)
def resume(service: ServiceRef, caller: Supervisor) -> Response:
    """Issue tickets for a paused service again."""
    in_path(lambda: caller.centre().resume_service(service))
    return Response(status_code=204)


@router.put("/hall/message", status_code=204, response_class=Response)
def hall_message(body: MessageBody, caller: Supervisor) -> Response:
    """Show a message on every hall screen (both empty: back to the footer)."""
    caller.centre().set_hall_message(body.ar, body.en)
    return Response(status_code=204)


@router.put("/counters/{counter}/services")
def counter_services(
    counter: Annotated[str, Path(min_length=1, max_length=16)],
    body: ServicesBody,
    caller: Supervisor,
) -> Response:
    """Which services a counter calls today (``null``: its configured ones)."""
    counter = caller.counter(counter, clerk=False)
    changed = caller.centre().set_counter_services(counter, body.services)
    return json_response(200, changed.model_dump(mode="json"))


@router.post("/tickets/{ticket:path}/cancel", response_model=TicketOut)
def cancel(ticket: TicketRef, caller: Supervisor, body: ReasonBody | None = None) -> Response:
    """Withdraw a waiting ticket."""
    reason = body.reason if body is not None else ""
    view = in_path(lambda: caller.centre().cancel_ticket(ticket, reason))
    return json_response(200, wire.ticket_json(view, caller.zone))


@router.post("/devices/{device}/revoke", tags=["devices"], response_model=DeviceOut)
def revoke_device(device: DeviceName, caller: Supervisor) -> Response:
    """Revoke a device at once: its token stops working and its open streams close.

    Never the device asking (``409 own_device``: its supervisor would be locked
    out); an unknown name is ``404 unknown_device``; revoking a revoked device
    changes nothing.
    """
    name = device.strip()
    in_path(lambda: caller.centre().revoke_device(name))
    revoked = devices.device_named(caller.server.store, name)
    if revoked is None:  # devices are never deleted; said all the same
        raise ApiError(404, f"no device named {name!r}", UnknownDevice.code)
    return json_response(200, device_json(revoked, caller.zone))


@router.post("/pair", tags=["devices"], response_model=PairedOut)
def pair(body: PairBody, request: Request, server: Serving) -> Response:
    """Spend a one-time pairing code for the device's token (given once)."""
    address = request.client.host if request.client else None
    limit(server.sign_ins.wait_for(f"pair:{address}"))
    try:
        paired = devices.pair_device(server.store, server.clock, body.code)
    except DeviceRefused as error:
        raise ApiError(401, str(error), "unauthorized") from None
    found = paired.device
    return json_response(
        200,
        {"device": found.name, "role": found.role, "counter": found.counter, "token": paired.token},
    )


__all__ = ["router"]
