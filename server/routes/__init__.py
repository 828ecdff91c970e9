"""The centre server's routes, one module per area; :data:`ROUTERS` lists them all."""

from __future__ import annotations

from server.routes import (
    announcements,
    contract,
    counters,
    displays,
    public,
    reports,
    screens,
    summary,
    supervisor,
    visitors,
)

ROUTERS = (
    contract.router,
    screens.router,
    visitors.router,
    counters.router,
    supervisor.router,
    public.hall,
    public.router,
    public.pages,
    announcements.router,
    reports.router,
    summary.router,
    displays.router,
    displays.pages,
)

__all__ = ["ROUTERS"]
