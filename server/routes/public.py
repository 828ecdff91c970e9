"""The visitor's phone: the ticket's page, the paperless-ticket page and their public API.

No token: a ticket's link (``/t/{id}.{mac}``) is what lets a phone see and act
on that ticket alone, and the hall's rotating code (``/j/{code}``) is what lets
someone in the hall take a ticket. A forged MAC, an unknown ticket and a
malformed link get byte for byte the same "not found". Each address is
limited (``429``), every answer is ``no-store`` but the pages' own files, and
the pages run under a strict Content-Security-Policy. docs/phone.md has the
whole of it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from centre import devices, phones
from centre.contract import iso
from centre.errors import AlreadyHasTicket
from centre.rules.public import join_code_valid, ticket_of_ref, ticket_ref
from centre.supervision import record_feedback
from server import web, wire
from server.access import Caller, allowed, known_query, the_server
from server.errors import ApiError, json_response, limit
from server.models import ErrorOut, NumberBody
from server.phones import FINAL
from server.routes.contract import API
from server.state import CentreServer

log = logging.getLogger("taboor.server.public")

PUBLIC = f"{API}/public"
NO_STORE = {"Cache-Control": "no-store"}
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; media-src 'self' data:; "
        "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
ASSET_HEADERS = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}
NOT_FOUND = "no such ticket"
#: The hall's code has expired (or never was one).
EXPIRED: dict[int | str, dict[str, Any]] = {410: {"model": ErrorOut}}


async def visitor(request: Request) -> CentreServer:
    """The server, once this address may ask again (``429`` when it asks too often)."""
    server = the_server(request)
    limit(server.public_requests.wait_for(f"public:{_address(request)}"))
    return server


Visitor = Annotated[CentreServer, Depends(visitor)]
HallOrKiosk = Annotated[
    Caller, Depends(allowed(devices.HALL, devices.KIOSK, devices.SUPERVISOR, reading=True))
]
Ref = Annotated[str, Path(min_length=1, max_length=80)]
pages = APIRouter(include_in_schema=False)
router = APIRouter(prefix=PUBLIC, tags=["phones"], dependencies=[Depends(known_query)])
hall = APIRouter(prefix=API, tags=["screens"], dependencies=[Depends(known_query)])


class RatingBody(BaseModel):
    """A visitor's rating of a served ticket."""

    model_config = ConfigDict(extra="forbid")
    rating: int = Field(ge=1, le=5)


class JoinBody(BaseModel):
    """A paperless ticket: the hall's code, the service, the page's language, the phone's id."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=40)
    service: str = Field(min_length=1, max_length=64)
    lang: str = Field("en", max_length=8)
    phone: str = Field(min_length=1, max_length=64)


# -- pages ----------------------------------------------------------------------


@pages.get("/t/{ref}")
def ticket_page(ref: Ref, server: Visitor) -> Response:
    """The ticket's page, or the same "not found" page for any link that is not one."""
    if _known_ticket(server, ref) is None:
        return page_response("not_found", 404)
    return page_response("ticket", 200)


@pages.get("/j/{code}")
def join_page(code: Annotated[str, Path(max_length=40)], server: Visitor) -> Response:
    """The paperless-ticket page while the hall's code is current, else "expired"."""
    if not _join_open(server, code):
        return page_response("expired", 410)
    return page_response("join", 200)


@pages.get("/p/{name}")
def asset(name: Annotated[str, Path(max_length=64)], server: Visitor) -> Response:
    """The pages' script, style sheet and icons (cached)."""
    del server  # only for the address's limit
    found = web.asset(name)
    if found is None:
        return page_response("not_found", 404)
    content, media_type = found
    return Response(content, media_type=media_type, headers=ASSET_HEADERS)


# -- a ticket ---------------------------------------------------------------------


@router.get("/tickets/{ref}")
def ticket(ref: Ref, server: Visitor) -> Response:
    """The ticket as its page shows it."""
    ticket_id = _ticket_or_404(server, ref)
    return _phone_json(
        server, phones.phone_view(server.store, server.clock, server.config, ticket_id)
    )


@router.get(
    "/tickets/{ref}/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
async def follow(ref: Ref, request: Request, server: Visitor) -> StreamingResponse:
    """The ticket's view now and at every change (``event: ticket``); ends at a final state."""
    ticket_id = await run_in_threadpool(_ticket_or_404, server, ref)
    address = _address(request)
    held = server.streams_by_address
    if held.get(address, 0) >= server.public_streams:
        raise ApiError(429, "too many pages open from this address", "rate_limited", retry_after=30)
    # Counted here, with no await between the check and the count, so a burst of opens
    # cannot all pass the check before any of them is counted.
    held[address] = held.get(address, 0) + 1

    def release() -> None:
        left = held.get(address, 1) - 1
        if left > 0:
            held[address] = left
        else:
            held.pop(address, None)

    return _CountedStream(
        _views(server, ticket_id),
        release,
        media_type="text/event-stream",
        headers={**NO_STORE, "X-Accel-Buffering": "no"},
    )


class _CountedStream(StreamingResponse):
    """A stream that gives its place back when it ends, however it ends."""

    def __init__(self, content: AsyncIterator[bytes], release: Callable[[], None], **kw: Any):
        super().__init__(content, **kw)
        self._release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()


async def _views(server: CentreServer, ticket_id: str) -> AsyncIterator[bytes]:
    watch = server.phones
    follower = watch.follow(ticket_id)
    try:
        yield b"retry: 3000\n: connected\n\n"
        view = await run_in_threadpool(
            phones.phone_view, server.store, server.clock, server.config, ticket_id
        )
        body = wire.phone_ticket_json(view, server.config)
        while True:
            yield _message(body)
            if body["state"] in FINAL:
                return
            sent = _comparable(body)
            while True:
                offered = await follower.next_view(server.keepalive_seconds)
                if follower.ended:
                    return
                if offered is None:
                    # A named event, not a comment: the page's script sees it, and knows
                    # its link is alive.
                    yield b"event: ping\ndata: {}\n\n"
                elif _comparable(offered) != sent:
                    body = offered
                    break
    finally:
        watch.unfollow(follower)


@router.post("/tickets/{ref}/more-time")
def more_time(ref: Ref, server: Visitor) -> Response:
    """Move the waiting ticket back behind the next few people (at most twice)."""
    ticket_id = _ticket_or_404(server, ref)
    view = phones.ask_more_time(server.store, server.clock, server.config, ticket_id)
    return _phone_json(server, view)


@router.post("/tickets/{ref}/leave")
def leave(ref: Ref, server: Visitor) -> Response:
    """Leave the queue: the waiting ticket is cancelled (it is not a no-show)."""
    ticket_id = _ticket_or_404(server, ref)
    view = phones.leave_queue(server.store, server.clock, server.config, ticket_id)
    return _phone_json(server, view)


@router.post("/tickets/{ref}/feedback", status_code=204, response_class=Response)
def feedback(ref: Ref, body: RatingBody, server: Visitor) -> Response:
    """The visitor's rating of the served ticket, once (the counter screen's same event)."""
    ticket_id = _ticket_or_404(server, ref)
    record_feedback(server.store, server.clock, server.config, ticket_id, body.rating)
    return Response(status_code=204, headers=NO_STORE)


@router.put("/tickets/{ref}/sms", status_code=204, response_class=Response)
def keep_number(ref: Ref, body: NumberBody, server: Visitor) -> Response:
    """Text this number when the turn nears and at the call; kept until the ticket ends."""
    ticket_id = _ticket_or_404(server, ref)
    lang = "ar" if body.lang in ("ar", "ur") else "en"
    phones.keep_number(server.store, server.clock, server.config, ticket_id, body.phone, lang)
    server.phones.numbers_changed()
    return Response(status_code=204, headers=NO_STORE)


@router.delete("/tickets/{ref}/sms", status_code=204, response_class=Response)
def forget_number(ref: Ref, server: Visitor) -> Response:
    """Forget the number kept for the ticket."""
    ticket_id = _ticket_or_404(server, ref)
    phones.forget_number(server.store, ticket_id)
    return Response(status_code=204, headers=NO_STORE)


# -- paperless tickets ---------------------------------------------------------------


@router.get("/services", responses=EXPIRED)
def services(code: Annotated[str, Query(min_length=1, max_length=40)], server: Visitor) -> Response:
    """The services a phone may take a ticket of now, and why not for the others."""
    _join_or_410(server, code)
    listed = phones.open_services(server.store, server.clock, server.config)
    name = server.config.centre.name
    return json_response(
        200,
        {
            "centre_name": {"ar": name.ar, "en": name.en},
            "services": [
                {
                    "service": s.code,
                    "name": {"ar": s.name.ar, "en": s.name.en},
                    "open": s.open,
                    "reason": s.reason,
                    "note": s.note,
                    "waiting": s.waiting,
                    "eta_minutes": s.eta_minutes,
                }
                for s in listed
            ],
        },
        NO_STORE,
    )


@router.post("/tickets", status_code=201, responses=EXPIRED)
def join(body: JoinBody, request: Request, server: Visitor) -> Response:
    """A paperless walk-in ticket, and its link (one open ticket per phone per service)."""
    _join_or_410(server, body.code)
    limit(server.joins.wait_for(f"join:{_address(request)}"))
    secret = server.secret()
    try:
        view = phones.take_paperless(
            server.store,
            server.clock,
            server.config,
            secret,
            body.service,
            "ar" if body.lang in ("ar", "ur") else "en",
            body.phone,
        )
    except AlreadyHasTicket as held:
        link = _path_link(server, str(held.params["ticket_id"]))
        return json_response(409, {"error": str(held), "code": held.code, "link": link}, NO_STORE)
    ticket_id = view.ticket.id
    shown = phones.phone_view(server.store, server.clock, server.config, ticket_id)
    return json_response(
        201,
        {
            "link": _path_link(server, ticket_id),
            "ticket": wire.phone_ticket_json(shown, server.config),
        },
        NO_STORE,
    )


@hall.get("/hall/join")
def hall_code(caller: HallOrKiosk) -> Response:
    """The paperless-ticket code the hall shows now, as a URL for its QR."""
    server = caller.server
    found = phones.join_link(server.config, server.secret(), server.clock.now())
    if found is None:
        raise ApiError(404, "the centre has no public address ([public] url)", "public_off")
    return json_response(
        200,
        {
            "url": found.url,
            "expires_at": iso(found.expires_at, server.config.centre.zone),
            "seconds": server.config.public.join_seconds,
        },
        NO_STORE,
    )


# -- helpers ------------------------------------------------------------------------


def _address(request: Request) -> str:
    return request.client.host if request.client else "-"


def page_response(kind: str, status: int) -> Response:
    """The page ``kind`` of :func:`server.web.page` with ``status``, under the strict headers."""
    return Response(
        web.page(kind),
        status_code=status,
        media_type="text/html; charset=utf-8",
        headers=PAGE_HEADERS,
    )


def _known_ticket(server: CentreServer, ref: str) -> str | None:
    """The ticket id of a link, when the MAC is right and the ticket exists."""
    ticket_id = ticket_of_ref(server.secret(), ref)
    if ticket_id is None:
        return None
    with server.store.read() as repo:
        return ticket_id if repo.ticket(ticket_id) is not None else None


def _ticket_or_404(server: CentreServer, ref: str) -> str:
    ticket_id = _known_ticket(server, ref)
    if ticket_id is None:
        raise ApiError(404, NOT_FOUND, "not_found")
    return ticket_id


def _join_open(server: CentreServer, code: str) -> bool:
    public = server.config.public
    if public.url is None:
        return False
    return join_code_valid(server.secret(), code, server.clock.now(), public.join_seconds)


def _join_or_410(server: CentreServer, code: str) -> None:
    if not _join_open(server, code):
        raise ApiError(
            410, "this code has expired: scan the hall screen's code again", "code_expired"
        )


def _path_link(server: CentreServer, ticket_id: str) -> str:
    return f"/t/{ticket_ref(server.secret(), ticket_id)}"


def _phone_json(server: CentreServer, view: phones.PhoneView) -> Response:
    return json_response(200, wire.phone_ticket_json(view, server.config), NO_STORE)


def _comparable(body: dict[str, Any]) -> dict[str, Any]:
    # A view with only its time changed is no news.
    return {key: value for key, value in body.items() if key != "at"}


def _message(body: dict[str, Any]) -> bytes:
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return f"event: ticket\ndata: {data}\n\n".encode()


__all__ = ["PAGE_HEADERS", "PUBLIC", "HallOrKiosk", "hall", "page_response", "pages", "router"]
