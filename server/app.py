"""The centre server's ASGI application (CONTRACTS.md section 6).

Every route but ``health`` and pairing needs a device token (:mod:`server.access`);
each checks the device's role, a counter device acts only on its own counter
(and only while a clerk is signed in there), and a supervisor device acts
only once a supervisor has signed in on it. Each request runs the core's use
cases as its device, so every event records where it came from. Bad input
never gets a 500, and no answer carries a traceback, a CPR, a PIN or a token
(:mod:`server.errors`). Beyond the contract's routes, the screens' own reads
and actions live under the same ``/api/v1`` (:mod:`server.routes`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from centre import usecases as uc
from server.errors import install_error_handlers
from server.middleware import AccessLog, BodyLimit
from server.models import ERRORS
from server.phones import Texter, gateway_reporter
from server.routes import ROUTERS
from server.routes.contract import API, SseMessages
from server.sms import SmsGateway, SmsOutbox
from server.state import CentreServer
from server.webhooks import WebhookDispatcher

log = logging.getLogger("taboor.server")

API_VERSION = "1.0.0"
DESCRIPTION = """Every request but `health` and `pair` carries `Authorization: Bearer <token>`
of a device enrolled with `taboor device add`. Roles: `kiosk`, `hall`, `counter` (bound to
one counter; acts while a clerk is signed in there), `supervisor` (acts once a supervisor
signed in on the device), `integrator` (reads). Errors are
`{"error": "one line", "code": "snake_case"}`."""
#: How often the server closes past days (cheap when there is nothing to do).
HOUSEKEEPING_SECONDS = 60.0


def create_app(server: CentreServer) -> FastAPI:
    """The ASGI application of a centre server; its lifespan runs the event hub and the
    webhooks' dispatcher."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        head = await run_in_threadpool(uc.last_seq, server.store)
        server.hub.start(loop, head)
        stop_texting = _start_texting(server)
        server.phones.start(loop)
        dispatcher = None
        if server.webhooks:
            # Integrators' endpoints are told of each event as the hub reads it.
            dispatcher = WebhookDispatcher(server.store, server.clock, server.config)
            server.on_events.append(dispatcher.wake)
            dispatcher.start()
        housekeeping = asyncio.create_task(_housekeeping(server))
        try:
            yield
        finally:
            housekeeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await housekeeping
            await server.phones.stop()
            if stop_texting is not None:
                await run_in_threadpool(stop_texting)
            await run_in_threadpool(server.hub.stop)
            await run_in_threadpool(server.reports.close)
            if dispatcher is not None:
                await run_in_threadpool(dispatcher.stop)

    app = application(lifespan)
    app.state.server = server
    return app


def application(lifespan: Any = None) -> FastAPI:
    """The routes, error answers and middleware, without a centre (for the OpenAPI document)."""
    app = FastAPI(
        title="Taboor centre server",
        version=API_VERSION,
        summary="The HTTP API of a Taboor service centre (CONTRACTS.md section 6).",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=f"{API}/openapi.json",
        responses=ERRORS,
    )
    app.state.sse_messages = SseMessages()
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(BodyLimit)
    app.add_middleware(AccessLog)
    return app


def openapi_document() -> dict[str, Any]:
    """The API's OpenAPI document, as ``server/openapi.json`` keeps it."""
    document: dict[str, Any] = application().openapi()
    return document


def _start_texting(server: CentreServer) -> Callable[[], None] | None:
    """Start the SMS outbox when ``[sms]`` names a gateway (phones' texts go through it);
    what stops it."""
    if not server.config.sms.enabled:
        return None
    gateway = SmsGateway(server.config.sms)
    outbox = SmsOutbox(gateway, on_state=gateway_reporter(server.store, server.clock))
    outbox.start()
    server.phones.texts = Texter(server.store, server.config, outbox)

    def stop() -> None:
        outbox.stop()
        gateway.close()

    return stop


async def _housekeeping(server: CentreServer) -> None:
    while True:
        try:
            await run_in_threadpool(
                uc.roll_day, server.store, server.clock, server.config, roll_ups=False
            )
            # The closed days' roll-ups: read in the report worker, written here.
            await run_in_threadpool(server.reports.roll_up, server.config, server.clock.now())
        except Exception as error:  # the next round tries again
            log.warning("closing past days failed: %s", type(error).__name__)
        await asyncio.sleep(HOUSEKEEPING_SECONDS)


__all__ = ["CentreServer", "application", "create_app", "openapi_document"]
