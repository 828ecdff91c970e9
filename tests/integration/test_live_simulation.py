"""The live simulation behind `taboor demo --simulate`: real clock, sped up, through the port.

Once in-process on a store (the one-machine shape), once through a real
centre server, each simulated device with its own token, as the demo runs it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from centre import staff
from centre import usecases as uc
from centre.actor import BY_DEVICE
from centre.clock import SystemClock
from centre.config import CentreConfig
from centre.domain import EventType
from centre.errors import BadInput, CentreUnreachable
from centre.port import CentrePort
from centre.store.unit_of_work import Store
from sim.live import Booking, LiveCentre, LiveOptions, bookings_file, write_bookings
from tests.helpers import make_appointment
from tests.live_server import live_server

ROBOTS = ("3", "4")


@contextmanager
def ports(
    how: str, store: Store, config: CentreConfig
) -> Iterator[tuple[CentrePort, Mapping[str, CentrePort]]]:
    """The simulated kiosk's port and each robot counter's, in-process or over HTTP."""
    clock = SystemClock()
    if how == "local":
        from centre.local import LocalCentre  # noqa: PLC0415

        yield (
            LocalCentre(store, clock, config, device="robot-kiosk"),
            {c: LocalCentre(store, clock, config, device=f"robot-counter-{c}") for c in ROBOTS},
        )
        return
    with live_server(store, clock, config) as server:
        kiosk = server.remote_of(server.enrol("kiosk", name="robot-kiosk"))
        counters = {
            c: server.remote_of(server.enrol("counter", c, name=f"robot-counter-{c}"))
            for c in ROBOTS
        }
        yield kiosk, counters


@pytest.mark.parametrize("how", ["local", "http"])
def test_robot_clerks_serve_walk_ins_and_visitors_rate_them(
    how: str, sqlite_store: Store, config: CentreConfig, tmp_path: Path
) -> None:
    clock = SystemClock()
    for counter in ROBOTS:
        staff.add_staff(
            sqlite_store, clock, f"c10{counter}", name_ar="موظف", name_en="Clerk", pin="1234"
        )
    # A booking due in a minute: its visitor checks in by its reference within a second.
    booked = make_appointment(
        sqlite_store,
        cpr="990000555",
        service="licence-renewal",
        slot=clock.now() + timedelta(seconds=61),
    )
    uc.store_appointments(sqlite_store, [booked])
    handed = tmp_path / "bookings.json"
    write_bookings(handed, [Booking(booked.reference, booked.slot_start)])
    bookings = bookings_file(handed)
    options = LiveOptions(
        speed=400.0,
        clerk_pin="1234",
        clerk_of=lambda counter: f"c10{counter}",
        seed=7,
        stop_after_s=4.0,
    )
    with ports(how, sqlite_store, config) as (kiosk, counters):
        live = LiveCentre(kiosk, counters, lambda: bookings, options)
        live.run()
    log = uc.events_since(sqlite_store)
    kinds = Counter(e.type for e in log)
    assert kinds[EventType.TICKET_ISSUED] == live.counts["issued"] > 5
    assert kinds[EventType.CHECKED_IN] == live.counts["checked_in"] == 1
    assert kinds[EventType.STAFF_SIGNED_IN] == 2
    assert kinds[EventType.CALLED] >= 2
    assert kinds[EventType.SERVED] == live.counts["served"]
    assert kinds[EventType.SERVED] >= 1
    # Walk-ins only take services that issue walk-in tickets: nothing was refused for that.
    assert live.counts["refused"] == 0
    # Every ticket is in one known state; counters 3 and 4 did the calling.
    tickets = uc.tickets_of_day(sqlite_store, clock, config)
    assert {v.ticket.counter for v in tickets if v.ticket.counter} <= set(ROBOTS)
    # Each action was a device's own: the kiosk issued, each robot counter called its own.
    for event in log:
        if event.type in (EventType.TICKET_ISSUED, EventType.CHECKED_IN):
            assert event.data[BY_DEVICE] == "robot-kiosk"
        if event.type is EventType.CALLED:
            assert event.data[BY_DEVICE] == f"robot-counter-{event.counter}"


def test_a_bookings_file_that_cannot_be_read_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "bookings.json"
    broken.write_text('[{"reference": "BK-1"}]', encoding="utf-8")
    with pytest.raises(BadInput, match="cannot read the bookings file"):
        bookings_file(broken)
    with pytest.raises(BadInput, match="cannot read the bookings file"):
        bookings_file(tmp_path / "missing.json")


class AwayOnce:
    """A counter's port whose first call to the server gets no answer."""

    def __init__(self, port: CentrePort) -> None:
        self.port = port
        self.away = True

    def call_next(self, counter_id: str) -> object:
        if self.away:
            self.away = False
            raise CentreUnreachable("the centre server is away")
        return self.port.call_next(counter_id)

    def __getattr__(self, name: str) -> object:
        return getattr(self.port, name)


def test_a_robot_clerk_carries_on_once_the_server_is_back(
    sqlite_store: Store, config: CentreConfig
) -> None:
    clock = SystemClock()
    staff.add_staff(sqlite_store, clock, "c103", name_ar="موظف", name_en="Clerk", pin="1234")
    with ports("local", sqlite_store, config) as (kiosk, counters):
        away = AwayOnce(counters["3"])
        options = LiveOptions(
            speed=400.0, clerk_pin="1234", clerk_of=lambda c: f"c10{c}", seed=3, stop_after_s=4.0
        )
        live = LiveCentre(kiosk, {"3": away}, list, options)  # type: ignore[dict-item]
        live.run()
    assert not away.away
    # The call that got no answer was made again once the server was back.
    called = [e for e in uc.events_since(sqlite_store) if e.type is EventType.CALLED]
    assert called
    assert live.counts["refused"] == 0
