"""Head office's web application: the page, its files, and the figures it reads.

- ``GET /``: the page (``server/web/static/hq.html``), under the strict headers of
  the centre's own pages; ``GET /hq/{file}``: its script, style and icon.
- ``GET /api/state``: every centre as last polled (:meth:`Poller.snapshot`);
  ``GET /api/stream``: the same as server-sent events, one ``state`` message
  per round, a comment at least every 15 s.
- ``GET /api/period?from=&to=``: the centres ranked over the period
  (:func:`server.hq.ranking.rank`).
- ``GET /api/centres/{id}/report?from=&to=&by=``: that centre's report, as
  its server answered it.

Errors are ``{"error": "one line", "code"}`` as on the centre server.
Nothing here carries a token.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Mapping
from datetime import date
from importlib import resources
from types import MappingProxyType
from typing import Annotated, Final

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from centre.reports import BY
from server.access import known_query
from server.errors import ApiError, error_response, install_error_handlers, json_response
from server.hq.poller import Poller, Stopping
from server.hq.ranking import rank
from server.routes.public import ASSET_HEADERS, NO_STORE, PAGE_HEADERS
from server.routes.reports import LONGEST_DAYS

#: The files ``/hq/{file}`` serves, with their media types: nothing else is ever opened.
FILES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "hq.js": "text/javascript; charset=utf-8",
        "hq.css": "text/css; charset=utf-8",
        "icon.svg": "image/svg+xml",
    }
)
#: A stream says something at least this often (seconds), so a dead link is noticed.
KEEPALIVE_SECONDS = 15.0
Day = Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")]
By = Annotated[str, Query(max_length=16)]


def create_hq_app(poller: Poller) -> FastAPI:
    """The application of a head office polling with ``poller`` (its lifespan runs the rounds)."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        rounds = asyncio.create_task(poller.run())
        try:
            yield
        finally:
            await poller.stop()
            await rounds
            await poller.close()

    app = FastAPI(
        title="Taboor head office",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        dependencies=[Depends(known_query)],
    )
    install_error_handlers(app)

    @app.exception_handler(Stopping)
    async def stopping(_request: Request, _error: Stopping) -> JSONResponse:
        # A comparison still waiting on the centres when head office stops ends now,
        # cleanly, rather than being cut off with the connection.
        return error_response(503, "head office is stopping: ask again in a moment", "stopping")

    @app.get("/")
    def page() -> Response:
        return Response(
            _read("hq.html"), media_type="text/html; charset=utf-8", headers=PAGE_HEADERS
        )

    @app.get("/hq/{name}")
    def asset(name: Annotated[str, Path(max_length=32)]) -> Response:
        media_type = FILES.get(name)
        if media_type is None:
            raise ApiError(404, "no such file", "not_found")
        return Response(_read(name), media_type=media_type, headers=ASSET_HEADERS)

    @app.get("/api/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/state")
    def state() -> Response:
        return json_response(200, poller.snapshot(), NO_STORE)

    @app.get("/api/stream")
    def stream() -> StreamingResponse:
        return StreamingResponse(
            _states(poller),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @app.get("/api/period")
    async def period(
        start: Annotated[str, Query(alias="from", pattern=r"^\d{4}-\d{2}-\d{2}$")], to: Day
    ) -> Response:
        first, last = period_of(start, to)
        answers = await poller.reports(first, last, "service")
        body = {
            "from": first.isoformat(),
            "to": last.isoformat(),
            "centres": [standing.as_json() for standing in rank(answers)],
        }
        return json_response(200, body, NO_STORE)

    @app.get("/api/centres/{centre}/report")
    async def centre_report(
        centre: Annotated[str, Path(max_length=64)],
        start: Annotated[str, Query(alias="from", pattern=r"^\d{4}-\d{2}-\d{2}$")],
        to: Day,
        by: By = "day",
    ) -> Response:
        if by not in BY:
            raise ApiError(422, f"query.by: one of {', '.join(BY)}", "bad_input")
        found = poller.centres.by_id(centre)
        if found is None:
            raise ApiError(404, f"no centre {centre[:64]!r} here", "not_found")
        first, last = period_of(start, to)
        answer = await poller.report(found, first, last, by)
        if answer.report is None:
            raise ApiError(502, f"{found.name_en}: {answer.detail}", answer.problem or "failed")
        return json_response(200, {"centre": found.id, "report": answer.report}, NO_STORE)

    return app


def period_of(start: str, end: str) -> tuple[date, date]:
    """The days ``start`` to ``end`` (``YYYY-MM-DD``), checked as the centres check them."""
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise ApiError(422, "query: from and to are dates (YYYY-MM-DD)", "bad_input") from None
    if first > last:
        raise ApiError(422, "query.from: after query.to", "bad_input")
    if (last - first).days >= LONGEST_DAYS:
        raise ApiError(422, f"query: at most {LONGEST_DAYS} days at once", "bad_input")
    return first, last


async def _states(poller: Poller) -> AsyncIterator[bytes]:
    yield b"retry: 2000\n: connected\n\n"
    seen = poller.version
    yield _message(poller)
    while not poller.stopping:
        if await poller.wait_changed(seen, KEEPALIVE_SECONDS):
            seen = poller.version
            yield _message(poller)
        elif not poller.stopping:
            yield b": keepalive\n\n"


def _message(poller: Poller) -> bytes:
    data = json.dumps(poller.snapshot(), ensure_ascii=False, separators=(",", ":"))
    return f"id: {poller.version}\nevent: state\ndata: {data}\n\n".encode()


def _read(name: str) -> bytes:
    # Only ever called with "hq.html" or a name from FILES, never with one from a request.
    return resources.files("server.web").joinpath("static", name).read_bytes()


__all__ = ["FILES", "KEEPALIVE_SECONDS", "create_hq_app", "period_of"]
