"""The centre server's middleware: a limit on body size, an access log without personal data."""

from __future__ import annotations

import logging
import time

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import error_response
from server.wire import masked

access_log = logging.getLogger("taboor.server.access")
#: Bodies larger than this are refused with 413.
MAX_BODY = 64 * 1024


class BodyLimit:
    """Refuses bodies over ``limit`` bytes with 413, by their length or as they stream in."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    await _refuse_large(send)
                    return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge()
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await _refuse_large(send)


class _TooLarge(HTTPException):
    # An HTTPException, so the framework passes it on while it reads the body.
    def __init__(self) -> None:
        super().__init__(413, f"the body is over {MAX_BODY // 1024} KiB")


async def _refuse_large(send: Send) -> None:
    response = error_response(413, f"the body is over {MAX_BODY // 1024} KiB", "too_large")
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(k.encode(), v.encode()) for k, v in response.headers.items()],
        }
    )
    await send({"type": "http.response.body", "body": bytes(response.body)})


class AccessLog:
    """One line per request: device, method, path, status, time. No query, body or token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def noted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, noted)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                device = scope.get("state", {}).get("device", "-")
                took = (time.perf_counter() - started) * 1000
                access_log.info(
                    "%s %s %s %d %.1fms",
                    device,
                    scope.get("method", "-"),
                    masked(str(scope.get("path", "-"))),
                    status,
                    took,
                )


__all__ = ["MAX_BODY", "AccessLog", "BodyLimit"]
