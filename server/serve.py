"""Running the centre server: uvicorn with the centre's TLS, a graceful stop, a clean log.

On SIGTERM or Ctrl-C the server stops accepting connections, ends every
event stream at once (clients resume from their last seq elsewhere or when
it is back), lets requests under way finish, then closes the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Generator
from typing import Any, cast

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from server.app import create_app
from server.errors import error_response
from server.state import CentreServer

log = logging.getLogger("taboor.server")

#: Seconds requests under way may take to finish on a stop.
GRACEFUL_SECONDS = 10
#: Idle keep-alive connections are closed after this many seconds.
KEEP_ALIVE_SECONDS = 15
#: Connections served at once; beyond it new ones get 503 (1,000 screens and some room).
MAX_CONNECTIONS = 4096


#: What the public listener lets through: the phone pages, their files and their API.
PUBLIC_PREFIXES = ("/t/", "/j/", "/p/", "/api/v1/public/")
PUBLIC_PATHS = ("/api/v1/health",)


class PublicOnly:
    """The phones' side of the server: only the public pages and their API; every other
    path (the device API) is answered 404, as if it did not exist."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = str(scope.get("path", ""))
            if not (path.startswith(PUBLIC_PREFIXES) or path in PUBLIC_PATHS):
                response = error_response(404, "no such route", "not_found")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class _PublicListener(uvicorn.Server):
    """The public listener: it runs inside the main server, which owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class _Server(uvicorn.Server):
    """uvicorn's server, ending the event streams before it waits for connections to close;
    with ``public``, it also runs the phones' listener of its own."""

    def __init__(
        self, config: uvicorn.Config, server: CentreServer, public: uvicorn.Config | None = None
    ) -> None:
        super().__init__(config)
        self._centre = server
        self._public = _PublicListener(public) if public is not None else None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        public = self._public
        task = asyncio.create_task(public.serve()) if public is not None else None
        try:
            await super().serve(sockets)
        finally:
            if public is not None and task is not None:
                public.should_exit = True
                await task

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._centre.hub.end_streams("the server is stopping")
        self._centre.phones.end_streams()
        await super().shutdown(sockets)
        # uvicorn raises the stopping signal again once it has stopped, so the process
        # dies of it; a graceful stop is a clean exit (0) of ``taboor serve`` instead.
        self._captured_signals.clear()


def uvicorn_config(
    server: CentreServer,
    host: str,
    port: int,
    *,
    certificate: str | None = None,
    key: str | None = None,
    **options: Any,
) -> uvicorn.Config:
    """uvicorn's settings for a centre server (TLS when ``certificate`` and ``key`` are given)."""
    settings = _settings(server, host, port, certificate=certificate, key=key, lifespan="on")
    settings.update(options)
    return uvicorn.Config(create_app(server), **settings)


def _settings(
    server: CentreServer,
    host: str,
    port: int,
    *,
    certificate: str | None,
    key: str | None,
    lifespan: str,
) -> dict[str, Any]:
    """What both listeners share: no logs of uvicorn's own, time-outs, limits, TLS, proxies."""
    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_config": None,
        "access_log": False,
        "server_header": False,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "timeout_graceful_shutdown": GRACEFUL_SECONDS,
        "limit_concurrency": MAX_CONNECTIONS,
        "lifespan": lifespan,
        **_proxies(server),
    }
    if certificate and key:
        settings.update(ssl_certfile=certificate, ssl_keyfile=key)
    return settings


def _proxies(server: CentreServer) -> dict[str, Any]:
    """uvicorn's proxy settings: X-Forwarded-For believed only from ``[server] trusted_proxies``."""
    trusted = server.config.server.trusted_proxies
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(trusted)}


def run_server(
    server: CentreServer,
    host: str,
    port: int,
    *,
    certificate: str | None = None,
    key: str | None = None,
    **options: Any,
) -> None:
    """Serve until SIGTERM or Ctrl-C."""
    config = uvicorn_config(server, host, port, certificate=certificate, key=key, **options)
    _Server(config, server, public_config(server, config, certificate=certificate, key=key)).run()


def public_config(
    server: CentreServer,
    main: uvicorn.Config,
    *,
    certificate: str | None = None,
    key: str | None = None,
) -> uvicorn.Config | None:
    """uvicorn's settings of the phones' own listener (``[public] host`` and ``port``), if any:
    the same application behind :class:`PublicOnly`, its lifespan run by the main listener."""
    public = server.config.public
    if public.port is None:
        return None
    host = public.host or "0.0.0.0"  # noqa: S104 - it is meant to face the phones
    settings = _settings(
        server, host, public.port, certificate=certificate, key=key, lifespan="off"
    )
    return uvicorn.Config(PublicOnly(cast(ASGIApp, main.app)), **settings)


def make_server(
    server: CentreServer, config: uvicorn.Config, public: uvicorn.Config | None = None
) -> uvicorn.Server:
    """A uvicorn server for ``config`` that ends the streams first when stopping, with the
    phones' listener ``public`` (for tests)."""
    return _Server(config, server, public)


__all__ = [
    "GRACEFUL_SECONDS",
    "PublicOnly",
    "make_server",
    "public_config",
    "run_server",
    "uvicorn_config",
]
