"""The staff screens meet a centre they cannot reach, or that no longer accepts their device."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from centre import staff
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.errors import CentreUnreachable, DeviceRefused
from centre.store.unit_of_work import Store
from display.follower import EventFollower
from display.supervisor import SupervisorViewModel, SupervisorWindow
from display.terminal import CounterViewModel, CounterWindow
from tests.unit.display.helpers import FlakyCentre, Screens, font_book, screens_on
from ui.i18n import Translations

CLERK = ("c101", "2468")
SUPERVISOR = ("s1", "13579")
UNREACHABLE = "The centre cannot be reached. Try again in a moment."
REFUSED = "This device is no longer allowed to connect to the centre."


@pytest.fixture
def centre(sqlite_store: Store, clock: FixedClock, config: CentreConfig) -> FlakyCentre:
    """A centre with a clerk, a supervisor and three visitors waiting."""
    staff.add_staff(
        sqlite_store, clock, CLERK[0], name_ar="مريم أحمد", name_en="Maryam Ahmed", pin=CLERK[1]
    )
    staff.add_staff(
        sqlite_store,
        clock,
        SUPERVISOR[0],
        name_ar="نورة خالد",
        name_en="Noura Khalid",
        role=staff.SUPERVISOR,
        pin=SUPERVISOR[1],
    )
    for _ in range(3):
        uc.issue_ticket(sqlite_store, clock, config, "licence-renewal")
    return FlakyCentre(sqlite_store, clock, config)


@pytest.fixture
def screens(
    qtbot: QtBot, sqlite_store: Store, clock: FixedClock, config: CentreConfig, centre: FlakyCentre
) -> Iterator[Screens]:
    with screens_on(qtbot, sqlite_store, clock, config) as made:
        made.centre = centre
        yield made


@pytest.fixture
def arabic(qapp: QApplication) -> Iterator[Translations]:
    translations = Translations(qapp)
    translations.use("ar")
    yield translations
    translations.use("en")


def done(
    qtbot: QtBot, vm: CounterViewModel | SupervisorViewModel, act: Callable[[], object]
) -> None:
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        act()


def clerk_at_work(
    qtbot: QtBot, screens: Screens, lang: str = "en"
) -> tuple[CounterViewModel, CounterWindow]:
    """A terminal whose clerk has called A001."""
    vm = screens.counter("1", lang=lang, tick_ms=20)
    window = screens.counter_window(vm)
    done(qtbot, vm, lambda: vm.sign_in(*CLERK))
    done(qtbot, vm, vm.call_next)
    assert window.shown_number() == "A001"
    return vm, window


def shows_offline(window: QObject) -> bool:
    badge = window.findChild(QLabel, "connection")
    assert badge is not None
    return badge.isVisibleTo(window)  # type: ignore[attr-defined]


def test_an_action_the_centre_does_not_answer_says_so_and_keeps_the_desk(
    qtbot: QtBot, screens: Screens, centre: FlakyCentre
) -> None:
    vm, window = clerk_at_work(qtbot, screens)
    errors: list[tuple[str, bool]] = []
    vm.message_shown.connect(lambda text, is_error: errors.append((text, is_error)))
    centre.failing["recall"] = CentreUnreachable("the server does not answer")
    done(qtbot, vm, vm.recall)
    assert errors[-1] == (UNREACHABLE, True)
    assert window.shown_message() == UNREACHABLE
    assert vm.desk.ticket is not None
    assert vm.desk.ticket.number == "A001"
    assert window.shown_number() == "A001"
    # The centre answers again: the next press works.
    del centre.failing["recall"]
    done(qtbot, vm, vm.recall)
    assert window.shown_message() == ""
    assert vm.desk.ticket is not None
    assert vm.desk.ticket.recalls == 1


def test_a_centre_gone_altogether_shows_the_terminal_offline_until_it_is_back(
    qtbot: QtBot, screens: Screens, centre: FlakyCentre
) -> None:
    vm, window = clerk_at_work(qtbot, screens)
    assert not shows_offline(window)
    centre.down = True
    done(qtbot, vm, vm.recall)
    assert window.shown_message() == UNREACHABLE
    qtbot.waitUntil(lambda: not vm.connected, timeout=5000)
    assert shows_offline(window)
    assert window.shown_number() == "A001"  # the last desk stays on screen
    centre.down = False
    qtbot.waitUntil(lambda: vm.connected, timeout=10_000)
    assert not shows_offline(window)
    assert window.shown_number() == "A001"


def test_the_clerk_reads_both_lines_in_arabic(
    qtbot: QtBot, screens: Screens, centre: FlakyCentre, arabic: Translations
) -> None:
    vm, window = clerk_at_work(qtbot, screens, lang="ar")
    centre.failing["recall"] = CentreUnreachable("the server does not answer")
    done(qtbot, vm, vm.recall)
    assert window.shown_message() == "تعذّر الوصول إلى المركز. حاول مرة أخرى بعد لحظات."
    centre.failing["recall"] = DeviceRefused("this device's token was revoked")
    done(qtbot, vm, vm.recall)
    assert window.shown_message() == "لم يعد مسموحًا لهذا الجهاز بالاتصال بالمركز."
    assert window.shown_number() == "A001"


def supervisor_signed_in(
    qtbot: QtBot, screens: Screens
) -> tuple[SupervisorViewModel, SupervisorWindow]:
    vm = SupervisorViewModel(screens.centre, screens.follower(), lang="en", refresh_delay_ms=20)
    screens.started.append(vm.stop)
    window = SupervisorWindow(vm, font_book())
    qtbot.addWidget(window)
    with qtbot.waitSignal(vm.loaded, timeout=5000):
        vm.start()
    with qtbot.waitSignal(vm.signed_in_changed, timeout=5000):
        vm.sign_in(*SUPERVISOR)
    assert window.shows_dashboard()
    return vm, window


def test_a_supervisor_action_that_fails_says_why_and_keeps_the_report(
    qtbot: QtBot, screens: Screens, centre: FlakyCentre, config: CentreConfig
) -> None:
    vm, window = supervisor_signed_in(qtbot, screens)
    assert vm.report is not None
    centre.failing["pause_service"] = CentreUnreachable("the server does not answer")
    done(qtbot, vm, lambda: vm.pause_service("licence-renewal"))
    assert window.shown_message() == UNREACHABLE
    assert window.shows_error()
    centre.failing["pause_service"] = DeviceRefused("this device's token was revoked")
    done(qtbot, vm, lambda: vm.pause_service("licence-renewal"))
    assert window.shown_message() == REFUSED
    assert window.shows_dashboard()
    assert vm.report is not None
    status = uc.queue_status(screens.store, screens.clock, config)
    assert not any(s.paused for s in status.services)


def test_a_sign_out_the_centre_does_not_take_still_signs_out_here(
    qtbot: QtBot, screens: Screens, centre: FlakyCentre
) -> None:
    vm, window = supervisor_signed_in(qtbot, screens)
    centre.failing["supervisor_sign_out"] = CentreUnreachable("the server does not answer")
    vm.sign_out()
    assert not vm.signed_in
    assert not window.shows_dashboard()
    qtbot.waitUntil(lambda: "supervisor_sign_out" in centre.calls, timeout=5000)
    # Only logged: the screen goes on, and the next supervisor signs in.
    del centre.failing["supervisor_sign_out"]
    with qtbot.waitSignal(vm.signed_in_changed, timeout=5000):
        vm.sign_in(*SUPERVISOR)
    assert window.shows_dashboard()


def test_a_screen_that_cannot_follow_the_centre_waits_for_it(
    qtbot: QtBot, screens: Screens, centre: FlakyCentre
) -> None:
    # Started while the server is away: it says so, and loads once it answers.
    centre.down = True
    follower = EventFollower.for_port(centre)
    screens.started.append(follower.stop)
    vm = CounterViewModel(centre, follower, "1", lang="en")
    screens.started.append(vm.stop)
    with qtbot.waitSignal(vm.connection_changed, timeout=5000):
        vm.start()
    assert not vm.connected
    with qtbot.waitSignal(vm.loaded, timeout=10_000):
        centre.down = False
    assert vm.connected
