"""Reads only the screens need, made of the core's use cases."""

from __future__ import annotations

from centre import usecases as uc
from centre.clock import Clock
from centre.config import CentreConfig
from centre.domain import Event, EventType
from centre.store.unit_of_work import Store

#: The kinds of event that put a number on the hall screen.
CALL_EVENTS = frozenset({EventType.CALLED, EventType.RECALLED})
_CHUNK = 500


def recent_calls(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    head: int,
    count: int,
    scan_limit: int = 5000,
) -> list[Event]:
    """Today's latest calls up to ``head``, newest first, one per ticket (its latest call).

    Read backwards through the log in chunks, so a hall restarted mid-day
    shows exactly what it showed before, however long the day's log.
    """
    today = uc.business_day(config, clock.now())
    found: dict[str, Event] = {}
    upper = head
    while upper > 0 and len(found) < count and head - upper < scan_limit:
        lower = max(0, upper - _CHUNK)
        chunk = uc.events_since(store, lower, upper - lower)
        before_today = False
        for event in reversed(chunk):
            if uc.business_day(config, event.at) < today:
                before_today = True
                break
            if event.type in CALL_EVENTS and event.ticket_id and event.ticket_id not in found:
                found[event.ticket_id] = event
                if len(found) == count:
                    break
        if before_today:
            break
        upper = lower
    return list(found.values())


__all__ = ["CALL_EVENTS", "recent_calls"]
