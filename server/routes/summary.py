"""A centre's live figures for head office and the supervisor: ``GET /api/v1/summary``."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from centre.summary import Summary, centre_summary
from server.access import Reader, known_query
from server.errors import json_response
from server.routes.contract import API

router = APIRouter(prefix=API, tags=["reports"], dependencies=[Depends(known_query)])


@router.get("/summary", response_model=Summary)
def summary(caller: Reader) -> Response:
    """Waiting, longest wait, counters open, service-level breaches, today's visitors and
    satisfaction, and the central link, as of now (one cheap read, for polling)."""
    server = caller.server
    found = centre_summary(server.store, server.clock, server.config)
    return json_response(200, found.as_json(), {"Cache-Control": "no-store"})


__all__ = ["router"]
