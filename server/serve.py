"""Running the centre server: uvicorn with the centre's TLS, a graceful stop, a clean log.

On SIGTERM or Ctrl-C the server stops accepting connections, ends every
event stream at once (clients resume from their last seq elsewhere or when
it is back), lets requests under way finish, then closes the store.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

import uvicorn

from server.app import create_app
from server.hub import EventHub
from server.state import CentreServer

log = logging.getLogger("taboor.server")

#: Seconds requests under way may take to finish on a stop.
GRACEFUL_SECONDS = 10
#: Idle keep-alive connections are closed after this many seconds.
KEEP_ALIVE_SECONDS = 15
#: Connections served at once; beyond it new ones get 503 (1,000 screens and some room).
MAX_CONNECTIONS = 4096


class _Server(uvicorn.Server):
    """uvicorn's server, ending the event streams before it waits for connections to close."""

    def __init__(self, config: uvicorn.Config, hub: EventHub) -> None:
        super().__init__(config)
        self._hub = hub

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._hub.end_streams("the server is stopping")
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
    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_config": None,
        "access_log": False,
        "server_header": False,
        "proxy_headers": False,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "timeout_graceful_shutdown": GRACEFUL_SECONDS,
        "limit_concurrency": MAX_CONNECTIONS,
        "lifespan": "on",
    }
    if certificate and key:
        settings.update(ssl_certfile=certificate, ssl_keyfile=key)
    settings.update(options)
    return uvicorn.Config(create_app(server), **settings)


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
    _Server(config, server.hub).run()


def make_server(server: CentreServer, config: uvicorn.Config) -> uvicorn.Server:
    """A uvicorn server for ``config`` that ends the streams first when stopping (for tests)."""
    return _Server(config, server.hub)


__all__ = ["GRACEFUL_SECONDS", "make_server", "run_server", "uvicorn_config"]
