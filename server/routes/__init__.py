"""The centre server's routes, one module per area; :data:`ROUTERS` lists them all."""

from __future__ import annotations

from server.routes import contract, counters, screens, supervisor, visitors

ROUTERS = (contract.router, screens.router, visitors.router, counters.router, supervisor.router)

__all__ = ["ROUTERS"]
