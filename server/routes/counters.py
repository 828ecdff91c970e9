"""A counter's actions beyond the contract's: transfer, open, close, a break and back."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from centre.local import LocalCentre
from server import wire
from server.access import Acting, known_query
from server.errors import json_response
from server.models import ReasonBody, TicketOut, TransferBody
from server.routes.contract import API

router = APIRouter(prefix=API, tags=["counters"], dependencies=[Depends(known_query)])


@router.post("/counters/{counter}/transfer", response_model=TicketOut)
def transfer(body: TransferBody, at: Acting) -> Response:
    """Send the counter's ticket to another service's queue, keeping its arrival time."""
    view = at.caller.centre().transfer(at.counter, body.service, expected=body.ticket)
    return json_response(200, wire.ticket_json(view, at.caller.zone))


def _switch(name: str, act: Callable[[LocalCentre, str], None], summary: str) -> None:
    def switch(at: Acting) -> Response:
        act(at.caller.centre(), at.counter)
        return Response(status_code=204)

    switch.__doc__ = summary
    router.post(
        f"/counters/{{counter}}/{name}", status_code=204, response_class=Response, name=name
    )(switch)


_switch("open", lambda c, k: c.open_counter(k), "Open the counter for calling.")
_switch("close", lambda c, k: c.close_counter(k), "Close the counter (it must have no ticket).")
_switch("back", lambda c, k: c.end_break(k), "The counter is back from its break.")


@router.post("/counters/{counter}/break", status_code=204, response_class=Response)
def take_break(at: Acting, body: ReasonBody | None = None) -> Response:
    """The counter calls nobody until the break ends."""
    at.caller.centre().start_break(at.counter, body.reason[:80] if body is not None else "")
    return Response(status_code=204)


__all__ = ["router"]
