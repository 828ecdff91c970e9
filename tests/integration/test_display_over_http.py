"""The screens over HTTP: the same view-models on the centre server's port, and losing it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from centre import devices, staff
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from display.follower import EventFollower
from display.hall import HallViewModel
from display.supervisor import SupervisorViewModel
from display.terminal import CounterViewModel
from server.client import RemoteCentre
from tests.live_server import PIN, live_server

pytestmark = pytest.mark.usefixtures("qt_disconnects_guarded")

UNREACHABLE = "The centre cannot be reached. Try again in a moment."


@contextmanager
def started(qtbot: QtBot, vm: Any) -> Iterator[Any]:
    """``vm`` started (its state read through the server), stopped afterwards."""
    try:
        with qtbot.waitSignal(vm.loaded, timeout=10_000):
            vm.start()
        yield vm
    finally:
        vm.stop()


def done(
    qtbot: QtBot, vm: CounterViewModel | SupervisorViewModel, act: Callable[[], object]
) -> None:
    with qtbot.waitSignal(vm.action_done, timeout=10_000):
        act()


def clerk_and_visitors(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    staff.add_staff(store, clock, "c101", name_ar="مريم أحمد", name_en="Maryam Ahmed", pin=PIN)
    for _ in range(2):
        uc.issue_ticket(store, clock, config, "licence-renewal")


def test_a_call_at_a_terminal_reaches_the_hall_through_the_server(
    qtbot: QtBot, store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    clerk_and_visitors(store, clock, config)
    with live_server(store, clock, config) as live:
        hall_port, counter_port = live.remote("hall"), live.remote("counter", "1")
        hall = HallViewModel(hall_port, EventFollower.for_port(hall_port), highlight_seconds=0.3)
        terminal = CounterViewModel(
            counter_port, EventFollower.for_port(counter_port), "1", lang="en"
        )
        with started(qtbot, hall), started(qtbot, terminal):
            done(qtbot, terminal, lambda: terminal.sign_in("c101", PIN))
            assert terminal.clerk is not None
            assert terminal.clerk.name_en == "Maryam Ahmed"
            done(qtbot, terminal, terminal.call_next)
            assert terminal.desk.ticket is not None
            assert terminal.desk.ticket.number == "A001"
            assert terminal.desk.staff_name is not None
            qtbot.waitUntil(
                lambda: hall.current is not None and hall.current.number == "A001", timeout=10_000
            )
            assert hall.current is not None
            assert hall.current.counter == "1"


def supervisor_on_device(store: Store) -> str | None:
    """Who the server has signed in on the one supervisor device."""
    (device,) = [d for d in devices.device_list(store) if d.role == devices.SUPERVISOR]
    return device.supervisor


def test_the_supervisor_signs_in_acts_and_signs_out_through_the_server(
    qtbot: QtBot, sqlite_store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    store = sqlite_store
    staff.add_staff(
        store, clock, "s100", name_ar="مشرف", name_en="Supervisor", role=staff.SUPERVISOR, pin=PIN
    )
    with live_server(store, clock, config) as live:
        port = live.remote("supervisor")
        vm = SupervisorViewModel(port, EventFollower.for_port(port), lang="en")
        with started(qtbot, vm):
            with qtbot.waitSignal(vm.signed_in_changed, timeout=10_000):
                vm.sign_in("s100", PIN)
            assert supervisor_on_device(store) == "s100"
            done(qtbot, vm, lambda: vm.pause_service("licence-renewal", "no staff"))
            status = uc.queue_status(store, clock, config)
            assert [s.service.code for s in status.services if s.paused] == ["licence-renewal"]
            vm.sign_out()
            qtbot.waitUntil(lambda: supervisor_on_device(store) is None, timeout=10_000)


def test_a_terminal_that_loses_the_server_says_so_keeps_its_desk_and_comes_back(
    qtbot: QtBot, sqlite_store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    store = sqlite_store
    clerk_and_visitors(store, clock, config)
    with ExitStack() as stack:
        first = stack.enter_context(live_server(store, clock, config, keepalive_seconds=0.2))
        port = int(first.url.rsplit(":", 1)[1])
        # An adapter of its own, not the server helper's: it outlives this server.
        centre = RemoteCentre.connect(first.url, first.enrol("counter", "1"))
        vm = CounterViewModel(centre, EventFollower.for_port(centre), "1", lang="en")
        errors: list[tuple[str, bool]] = []
        vm.message_shown.connect(lambda text, is_error: errors.append((text, is_error)))
        try:
            with qtbot.waitSignal(vm.loaded, timeout=10_000):
                vm.start()
            done(qtbot, vm, lambda: vm.sign_in("c101", PIN))
            done(qtbot, vm, vm.call_next)
            stack.close()  # the server stops under the clerk's hands
            done(qtbot, vm, vm.recall)
            assert errors[-1] == (UNREACHABLE, True)
            assert vm.desk.ticket is not None
            assert vm.desk.ticket.number == "A001"
            qtbot.waitUntil(lambda: not vm.connected, timeout=10_000)
            with live_server(store, clock, config, port=port, keepalive_seconds=0.2):
                qtbot.waitUntil(lambda: vm.connected, timeout=20_000)
                done(qtbot, vm, vm.recall)
                assert errors[-1] == ("", False)
                assert vm.desk.ticket is not None
                assert vm.desk.ticket.recalls == 1
        finally:
            vm.stop()
            centre.close()
