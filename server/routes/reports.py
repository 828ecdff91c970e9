"""Reports over any period, for the supervisor and integrators: ``taboor report --json``'s JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from centre.reports import BY, BookingRow, Row
from server.access import Reader, known_query
from server.errors import ApiError, json_response
from server.routes.contract import API

router = APIRouter(prefix=API, tags=["reports"], dependencies=[Depends(known_query)])
#: The longest period one request may ask for, in days (ten years).
LONGEST_DAYS = 3660
Day = Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")]
# The splits are checked by the report itself (an unknown one is a 422, as any bad input).
By = Annotated[str, Query(max_length=16, description=f"one of: {', '.join(BY)}")]


class ReportOut(BaseModel):
    """A period split by one key, with its total."""

    start: str = Field(alias="from")
    to: str
    by: str
    rows: list[Row]
    total: Row
    bookings: list[BookingRow]


@router.get("/reports", response_model=ReportOut, response_model_by_alias=True)
async def reports(
    caller: Reader,
    start: Annotated[str, Query(alias="from", pattern=r"^\d{4}-\d{2}-\d{2}$")],
    to: Day,
    by: By = "day",
) -> Response:
    """The figures of the business days ``from`` to ``to`` (both included), split ``by``."""
    first, last = _day(start, "from"), _day(to, "to")
    if first > last:
        raise ApiError(422, "query.from: after query.to", "bad_input")
    if (last - first).days >= LONGEST_DAYS:
        raise ApiError(422, f"query: at most {LONGEST_DAYS} days at once", "bad_input")
    server = caller.server
    # In a worker process (server.reporting): the live requests keep their pace meanwhile.
    found = await run_in_threadpool(
        server.reports.run, server.config, first, last, by, server.clock.now()
    )
    return json_response(200, found.as_json(), {"Cache-Control": "no-store"})


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApiError(422, f"query.{name}: not a date", "bad_input") from None


__all__ = ["router"]
