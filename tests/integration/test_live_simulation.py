"""The live simulation behind `taboor demo --simulate`: real clock, real store, sped up."""

from __future__ import annotations

from collections import Counter

from centre import staff
from centre import usecases as uc
from centre.clock import SystemClock
from centre.config import CentreConfig
from centre.domain import EventType
from centre.store.unit_of_work import Store
from sim.live import LiveCentre, LiveOptions


def test_robot_clerks_serve_walk_ins_and_visitors_rate_them(
    sqlite_store: Store, config: CentreConfig
) -> None:
    clock = SystemClock()
    for counter in ("3", "4"):
        staff.add_staff(
            sqlite_store, clock, f"c10{counter}", name_ar="موظف", name_en="Clerk", pin="1234"
        )
    options = LiveOptions(
        speed=400.0,
        counters=("3", "4"),
        clerk_pin="1234",
        clerk_of=lambda counter: f"c10{counter}",
        seed=7,
        stop_after_s=4.0,
    )
    live = LiveCentre(sqlite_store, clock, config, options)
    live.run()
    kinds = Counter(e.type for e in uc.events_since(sqlite_store))
    assert kinds[EventType.TICKET_ISSUED] == live.counts["issued"] > 5
    assert kinds[EventType.STAFF_SIGNED_IN] == 2
    assert kinds[EventType.CALLED] >= 2
    assert kinds[EventType.SERVED] == live.counts["served"]
    assert kinds[EventType.SERVED] >= 1
    # Walk-ins only take services that issue walk-in tickets: nothing was refused for that.
    assert live.counts["refused"] == 0
    # Every ticket is in one known state; counters 3 and 4 did the calling.
    tickets = uc.tickets_of_day(sqlite_store, clock, config)
    assert len(tickets) == live.counts["issued"]
    assert {v.ticket.counter for v in tickets if v.ticket.counter} <= {"3", "4"}
