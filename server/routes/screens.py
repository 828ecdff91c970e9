"""The screens' own reads: the configuration, the queues, a counter's desk, a ticket, the hall."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from centre import devices
from centre import usecases as uc
from centre.config import CentreConfig
from centre.contract import event_json
from centre.errors import UnknownCounter
from centre.usecases import CounterDesk, QueueStatus, TicketView
from server import wire
from server.access import Calling, CounterOrSupervisor, Follower, in_path, known_query
from server.errors import ApiError, json_response
from server.models import AccountsOut, EventsOut, HeadOut, MessageOut
from server.routes.contract import API

router = APIRouter(prefix=API, tags=["screens"], dependencies=[Depends(known_query)])


@router.get("/config")
def config(caller: Calling) -> dict[str, Any]:
    """The centre's configuration as devices need it (no secrets, no server-side paths)."""
    return device_config(caller.server.config)


@router.get("/queue", response_model=QueueStatus)
def queue(caller: Calling) -> Response:
    """Every queue and counter, as the screens draw them."""
    return json_response(200, wire.dump(QueueStatus, caller.centre().queue_status()))


@router.get("/events/head", response_model=HeadOut)
def head(caller: Calling) -> Response:
    """The seq of the newest event."""
    return json_response(200, {"seq": caller.centre().last_seq()})


@router.get("/counters/{counter}/desk", response_model=CounterDesk)
def desk(counter: Annotated[str, Path(min_length=1, max_length=16)], caller: Calling) -> Response:
    """A counter now: open or not, its ticket, the ticket's booking, its clerk.

    A hall device (an LED-board keeper) may read any counter's desk, without
    the booking; a counter device its own, with the booking's name and masked
    CPR for the clerk.
    """
    if caller.device.role == devices.HALL:
        try:
            counter = uc.resolve_counter(caller.server.config, counter).id
        except UnknownCounter as error:
            raise ApiError(404, str(error), error.code) from None
    else:
        counter = caller.counter(counter, clerk=False)
    found = caller.centre().counter_desk(counter)
    booking = found.appointment
    if booking is not None:
        # The keyed digest of the CPR never leaves the server.
        booking = None if caller.device.role == devices.HALL else replace(booking, cpr_digest=None)
    return json_response(200, wire.dump(CounterDesk, replace(found, appointment=booking)))


@router.get("/tickets/{ticket:path}", response_model=TicketView)
def ticket(
    ticket: Annotated[str, Path(min_length=1, max_length=64)], caller: CounterOrSupervisor
) -> Response:
    """A ticket by id or number (``A023``, ``2026-11-22/A023``), with people ahead now."""
    view = in_path(lambda: caller.centre().ticket_view(ticket))
    if caller.device.role == devices.COUNTER and view.ticket.counter != caller.device.counter:
        raise ApiError(403, "that ticket is not at this device's counter", "forbidden")
    return json_response(200, wire.dump(TicketView, view))


@router.get("/hall/message", response_model=MessageOut)
def hall_message(caller: Calling) -> Response:
    """The supervisor's message for the hall, if any."""
    message = caller.centre().hall_message()
    ar, en = message if message is not None else (None, None)
    return json_response(200, {"ar": ar, "en": en})


@router.get("/hall/calls", response_model=EventsOut)
def hall_calls(
    caller: Follower,
    head: Annotated[int, Query(ge=0, le=2**62)],
    count: Annotated[int, Query(ge=1, le=50)] = 8,
) -> Response:
    """Today's latest calls up to ``head``, newest first, one per ticket."""
    calls = caller.centre().recent_calls(head, count)
    return json_response(200, {"events": [event_json(e, caller.zone) for e in calls]})


@router.get("/staff/accounts", response_model=AccountsOut)
def accounts(caller: CounterOrSupervisor) -> Response:
    """Whether anyone can sign in at all."""
    return json_response(200, {"accounts": caller.centre().has_staff_accounts()})


def device_config(config: CentreConfig) -> dict[str, Any]:
    """The configuration a device is given: the centre as the screens need it.

    What belongs to the server machine stays there: the central's token file,
    the printer and scanner (each device has its own), the voice folder and
    the server's certificate and key, and the SMS gateway's address and credentials.
    """
    body = config.model_dump(mode="json")
    body.pop("sms", None)
    body["central"].pop("token_file", None)
    body.pop("printer", None)
    body.pop("scanner", None)
    body["announcements"].pop("voice_dir", None)
    body["server"] = {"url": config.server.address()}
    return body


__all__ = ["device_config", "router"]
