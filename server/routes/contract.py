"""The routes of CONTRACTS.md section 6: status, tickets, check-ins, counters, the event log."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from centre import usecases as uc
from centre.contract import event_json, status_json
from centre.domain import Event
from centre.errors import NoClerk
from centre.local import LocalCentre
from centre.staff import CLERK, StaffMember
from centre.usecases import TicketView
from server import wire
from server.access import (
    Acting,
    Caller,
    Calling,
    Follower,
    Kiosk,
    KioskOrSupervisor,
    Managing,
    Reader,
    known_query,
)
from server.errors import ApiError, json_response, limit
from server.hub import Dropped, stream_events
from server.models import (
    ActionBody,
    CheckinBody,
    EventsOut,
    IssueBody,
    SignInBody,
    StaffOut,
    StatusOut,
    TicketOut,
    TicketsOut,
)

log = logging.getLogger("taboor.server")

API = "/api/v1"
#: Events one ``GET /events`` returns at most.
EVENTS_PAGE = 500

router = APIRouter(prefix=API, tags=["contract"], dependencies=[Depends(known_query)])


@router.get("/health")
def health() -> dict[str, str]:
    """Whether the server is up (no token needed)."""
    return {"status": "ok"}


@router.get("/status", response_model=StatusOut)
def status(caller: Calling) -> Response:
    """The queue at a glance (the contract's status JSON)."""
    queue = caller.centre().queue_status()
    return json_response(200, status_json(queue, caller.server.config.centre.id, caller.zone))


@router.post("/tickets", status_code=201, response_model=TicketOut)
def issue(body: IssueBody, caller: KioskOrSupervisor) -> Response:
    """A walk-in ticket."""
    view = caller.centre().issue_ticket(body.service, body.priority, body.lang)
    return json_response(201, wire.ticket_json(view, caller.zone))


@router.post("/checkins", status_code=201, response_model=TicketOut)
def check_in(body: CheckinBody, caller: Kiosk) -> Response:
    """Check in today's booking by CPR or QR; offline, a CPR with a service gets a ticket
    for the counter to verify."""
    centre = caller.centre()
    if body.qr is not None:
        view = centre.check_in_by_qr(body.qr, body.lang)
    elif body.service is not None:
        view = centre.check_in_unverified(body.cpr or "", body.service, body.lang)
    else:
        view = centre.check_in_by_cpr(body.cpr or "", body.appointment, body.lang)
    return json_response(201, wire.ticket_json(view, caller.zone))


@router.post("/counters/{counter}/sign-in", response_model=StaffOut)
def sign_in(body: SignInBody, at: Managing) -> Response:
    """Sign a clerk in at a counter with staff id and PIN."""
    caller = at.caller
    limit(caller.server.sign_ins.wait_for(caller.device.name))
    member = caller.centre().sign_in(at.counter, body.staff, body.pin)
    return json_response(200, staff_json(member, at.counter))


@router.post("/counters/{counter}/sign-out", response_model=StaffOut)
def sign_out(at: Managing) -> Response:
    """The clerk leaves the counter, which closes."""
    counter = at.counter
    centre = at.caller.centre()
    desk = centre.counter_desk(counter)
    if desk.staff_id is None:
        raise NoClerk(f"no clerk is signed in at counter {counter}", counter=counter)
    centre.sign_out(counter)
    name = desk.staff_name
    return json_response(
        200,
        {
            "counter": counter,
            "staff": desk.staff_id,
            "name": {"ar": name.ar, "en": name.en} if name else {},
            "role": CLERK,
        },
    )


@router.post("/counters/{counter}/call", response_model=TicketOut | None)
def call(at: Acting) -> Response:
    """Call the next ticket to the counter (``null``: nobody waits for it)."""
    view = at.caller.centre().call_next(at.counter)
    body = wire.ticket_json(view, at.caller.zone) if view is not None else None
    return json_response(200, body)


def _counter_action(name: str, act: Callable[[LocalCentre, str, str | None], TicketView]) -> None:
    def action(at: Acting, body: ActionBody | None = None) -> Response:
        expected = body.ticket if body is not None else None
        view = act(at.caller.centre(), at.counter, expected)
        return json_response(200, wire.ticket_json(view, at.caller.zone))

    router.post(f"/counters/{{counter}}/{name}", response_model=TicketOut, name=name)(action)


_counter_action("recall", lambda c, k, e: c.recall(k, expected=e))
_counter_action("start", lambda c, k, e: c.start_serving(k, expected=e))
_counter_action("done", lambda c, k, e: c.finish(k, expected=e))
_counter_action("no-show", lambda c, k, e: c.no_show(k, expected=e))


@router.get("/tickets", response_model=TicketsOut)
def tickets(
    caller: Reader,
    day: Annotated[str | None, Query(alias="date", pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
) -> Response:
    """Every ticket of a business day (``YYYY-MM-DD``, today by default)."""
    try:
        wanted = date.fromisoformat(day) if day is not None else None
    except ValueError:
        raise ApiError(422, "query.date: not a date", "bad_input") from None
    server = caller.server
    views = uc.tickets_of_day(server.store, server.clock, server.config, wanted)
    return json_response(200, {"tickets": [wire.ticket_json(v, caller.zone) for v in views]})


@router.get("/events", response_model=EventsOut)
def events(caller: Follower, since: Annotated[int, Query(ge=0, le=2**62)] = 0) -> Response:
    """The event log after ``since``, oldest first, at most 500."""
    found = uc.events_since(caller.server.store, since, EVENTS_PAGE)
    return json_response(200, {"events": [event_json(e, caller.zone) for e in found]})


@router.get(
    "/events/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
async def stream(
    request: Request,
    caller: Follower,
    since: Annotated[int | None, Query(ge=0, le=2**62)] = None,
) -> StreamingResponse:
    """Server-sent events: one message per event (``id``: its seq), resuming right after
    ``Last-Event-ID`` or ``since`` without loss or repeat; a comment every few seconds.
    Without either it starts at the next event. Revoking the device ends it."""
    after = since
    last_id = request.headers.get("last-event-id")
    if last_id is not None:
        text = last_id.strip()
        if not text.isdigit() or len(text) > 18:
            raise ApiError(422, "Last-Event-ID must be a seq", "bad_input")
        after = int(text)
    messages: SseMessages = request.app.state.sse_messages
    return StreamingResponse(
        _messages(caller, after, messages, request.client.host if request.client else None),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _messages(
    caller: Caller, after: int | None, messages: SseMessages, address: str | None = None
) -> AsyncIterator[bytes]:
    server = caller.server
    hub = server.hub
    subscription, head = hub.subscribe(caller.device.name, after)
    subscription.task = asyncio.current_task()

    async def read_older(seq: int, count: int) -> list[Event]:
        return await run_in_threadpool(uc.events_since, server.store, seq, count)

    try:
        yield b"retry: 2000\n: connected\n\n"
        async for batch in stream_events(
            hub, subscription, head, read_older, keepalive_seconds=server.keepalive_seconds
        ):
            if batch is None:
                yield b": keepalive\n\n"
                # A device that only follows the stream is still heard from.
                if not server.seen_lately(caller.device):
                    await run_in_threadpool(server.seen, caller.device, address)
            else:
                yield messages.of(batch, caller.zone)
    except Dropped as dropped:
        log.info("stream of %s ended: %s", caller.device.name, dropped.reason)
    finally:
        hub.unsubscribe(subscription)


def sse_message(event: Event, zone: ZoneInfo) -> str:
    """One event as a server-sent message."""
    data = json.dumps(event_json(event, zone), ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.seq}\nevent: {event.type.value}\ndata: {data}\n\n"


class SseMessages:
    """Each event's server-sent message, made once however many streams send it.

    Used on the event loop only; keeps the messages of the last ``keep`` events.
    """

    def __init__(self, keep: int = 2_000) -> None:
        self._keep = keep
        self._made: dict[tuple[int, str], bytes] = {}

    def of(self, events: list[Event], zone: ZoneInfo) -> bytes:
        """The messages of ``events``, in order, as one chunk."""
        chunk = []
        for event in events:
            key = (event.seq or 0, zone.key)
            message = self._made.get(key)
            if message is None:
                message = self._made[key] = sse_message(event, zone).encode()
                if len(self._made) > self._keep:
                    del self._made[next(iter(self._made))]  # the oldest made
            chunk.append(message)
        return b"".join(chunk)


def staff_json(member: StaffMember, counter: str | None) -> dict[str, object]:
    """A clerk or supervisor signed in, as answered."""
    return {
        "counter": counter,
        "staff": member.id,
        "name": {"ar": member.name_ar, "en": member.name_en},
        "role": member.role,
    }


__all__ = ["API", "EVENTS_PAGE", "SseMessages", "router", "sse_message", "staff_json"]
