"""Running head office: uvicorn serving the page, the rounds running beside it, a clean stop.

On SIGTERM or Ctrl-C the rounds stop and every page's stream ends at once
(a page reconnects by itself to the next head office), then uvicorn closes.
"""

from __future__ import annotations

import socket

import uvicorn

from server.hq.app import create_hq_app
from server.hq.centres import Centres
from server.hq.poller import EVERY_SECONDS, Poller

#: Seconds requests under way may take to finish on a stop.
GRACEFUL_SECONDS = 5


class HqServer(uvicorn.Server):
    """uvicorn's server, ending the pages' streams before it waits for connections to close."""

    def __init__(self, config: uvicorn.Config, poller: Poller) -> None:
        super().__init__(config)
        self.poller = poller

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await self.poller.stop()
        await super().shutdown(sockets)
        # A graceful stop is a clean exit (0), not death by the signal raised again.
        self._captured_signals.clear()


def hq_server(
    centres: Centres,
    host: str,
    port: int,
    *,
    every: float = EVERY_SECONDS,
    poller: Poller | None = None,
) -> HqServer:
    """A head office for ``centres`` listening on ``host``:``port`` (not started yet)."""
    poller = poller or Poller(centres, every=every)
    app = create_hq_app(poller)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        server_header=False,
        lifespan="on",
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )
    return HqServer(config, poller)


__all__ = ["GRACEFUL_SECONDS", "HqServer", "hq_server"]
