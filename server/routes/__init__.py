"""The centre server's routes, one module per area; :data:`ROUTERS` lists them all."""

from __future__ import annotations

from server.routes import contract, counters, displays, public, screens, supervisor, visitors
from server.routes.announcements import router as announcements

ROUTERS = (
    contract.router,
    screens.router,
    visitors.router,
    counters.router,
    supervisor.router,
    public.hall,
    public.router,
    public.pages,
    announcements,
    displays.router,
    displays.pages,
)

__all__ = ["ROUTERS"]
