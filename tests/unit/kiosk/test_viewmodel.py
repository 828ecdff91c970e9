"""The kiosk view-model's own behaviour: masking, hours, idleness, the staff exit, accessibility,
and the ticket taken on the visitor's phone instead of paper."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout
from pytestqt.qtbot import QtBot

from centre.clock import FixedClock
from centre.config import CentreConfig, PublicConfig
from centre.local import LocalCentre
from centre.rules.hours import opens_next
from centre.store.unit_of_work import Store
from kiosk.app import Kiosk, build_kiosk
from kiosk.viewmodel import KioskViewModel, Screen, mask_typed
from kiosk.window import MIN_TARGET_PX, touch_target_px
from tests.helpers import BAHRAIN, MORNING


@pytest.mark.parametrize(
    ("digits", "shown"),
    [
        ("", ""),
        ("1", "*"),
        ("12345", "*****"),
        ("123456", "*****6"),
        ("12345678", "*****678"),
        ("990012345", "*****2345"),
    ],
)
def test_a_typed_cpr_shows_only_its_last_four(digits: str, shown: str) -> None:
    assert mask_typed(digits) == shown


def test_opening_hours(config: CentreConfig) -> None:
    assert opens_next(config, MORNING) is None
    early = datetime(2026, 11, 22, 6, 0, tzinfo=BAHRAIN)
    assert opens_next(config, early) == datetime(2026, 11, 22, 7, 0, tzinfo=BAHRAIN)
    evening = datetime(2026, 11, 26, 20, 0, tzinfo=BAHRAIN)  # Thursday night: Sunday next
    assert opens_next(config, evening) == datetime(2026, 11, 29, 7, 0, tzinfo=BAHRAIN)


@pytest.fixture
def kiosk(
    qtbot: QtBot, sqlite_store: Store, config: CentreConfig, clock: FixedClock
) -> Iterator[Kiosk]:
    """A started kiosk with no printer and a short idle time-out."""
    centre = LocalCentre(sqlite_store, clock, config, device="kiosk-test")
    built = build_kiosk(centre, None, None, exit_pin="2468", idle_ms=200)
    qtbot.addWidget(built.window)
    built.start()
    assert built.view_model.language == "ar"  # the centre's first language
    built.view_model.set_language("en")
    yield built
    built.stop()


def test_touch_targets_are_at_least_15_mm(kiosk: Kiosk) -> None:
    assert touch_target_px() >= MIN_TARGET_PX
    for button in (kiosk.window.appointment_button, kiosk.window.walk_in_button):
        assert button.minimumHeight() >= MIN_TARGET_PX
    for button in kiosk.window.digit_buttons.values():
        assert button.minimumHeight() >= MIN_TARGET_PX
        assert button.minimumWidth() >= MIN_TARGET_PX


def test_idle_visitor_is_sent_home(qtbot: QtBot, kiosk: Kiosk) -> None:
    vm = kiosk.view_model
    vm.start_cpr()
    vm.press_digit("9")
    assert vm.screen is Screen.CPR
    qtbot.waitUntil(lambda: vm.screen is Screen.HOME, timeout=3000)
    assert vm.masked_cpr == ""
    assert kiosk.window.cpr_display.text() == ""


def test_closed_hours_show_when_the_centre_opens(
    qtbot: QtBot, kiosk: Kiosk, clock: FixedClock
) -> None:
    vm = kiosk.view_model
    clock.set(datetime(2026, 11, 26, 20, 0, tzinfo=BAHRAIN))
    vm.check_hours()
    assert vm.screen is Screen.CLOSED
    assert "Sunday" in kiosk.window.closed_text.text()
    assert "07:00" in kiosk.window.closed_text.text()
    vm.start_cpr()  # nothing to do while closed
    assert vm.screen is Screen.CLOSED
    vm.set_language("ar")
    assert "الأحد" in kiosk.window.closed_text.text()
    clock.set(MORNING + timedelta(days=7))
    vm.check_hours()
    assert vm.screen is Screen.HOME


def test_five_corner_taps_then_the_right_pin_exit(qtbot: QtBot, kiosk: Kiosk) -> None:
    vm = kiosk.view_model
    for _ in range(4):
        qtbot.mouseClick(kiosk.window.corner, Qt.MouseButton.LeftButton)
    assert vm.screen is Screen.HOME
    qtbot.mouseClick(kiosk.window.corner, Qt.MouseButton.LeftButton)
    assert vm.screen is Screen.PIN
    kiosk.window.pin_edit.setText("0000")
    qtbot.mouseClick(kiosk.window.pin_ok, Qt.MouseButton.LeftButton)
    assert vm.screen is Screen.MESSAGE
    assert kiosk.window.message_text.text() == "Wrong PIN."
    for _ in range(5):
        vm.corner_tapped()
    kiosk.window.pin_edit.setText("2468")
    with qtbot.waitSignal(vm.exit_granted, timeout=1000):
        qtbot.mouseClick(kiosk.window.pin_ok, Qt.MouseButton.LeftButton)


def test_no_pin_configured_refuses_every_pin(
    qtbot: QtBot,
    sqlite_store: Store,
    config: CentreConfig,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TABOOR_KIOSK_PIN", raising=False)
    vm = KioskViewModel(LocalCentre(sqlite_store, clock, config))
    granted: list[bool] = []
    vm.exit_granted.connect(lambda: granted.append(True))
    assert not vm.enter_pin("")
    assert not vm.enter_pin("1234")
    assert granted == []
    vm.stop()


def test_accessibility_mode(qtbot: QtBot, kiosk: Kiosk) -> None:
    window = kiosk.window
    label = window.accessibility_button.text()
    qtbot.mouseClick(window.accessibility_button, Qt.MouseButton.LeftButton)
    assert kiosk.view_model.accessible
    assert window.property("accessible") == "true"
    assert window.accessibility_button.text() != label
    qtbot.mouseClick(window.accessibility_button, Qt.MouseButton.LeftButton)
    assert window.property("accessible") == "false"


def test_no_printer_shows_the_ticket_on_screen(qtbot: QtBot, kiosk: Kiosk) -> None:
    vm = kiosk.view_model
    with qtbot.waitSignal(vm.print_failed, timeout=5000):
        vm.start_walk_in()
        qtbot.waitUntil(lambda: vm.screen is Screen.SERVICES)
        vm.choose_service("traffic-fines")
    assert kiosk.window.ticket_qr.isVisible()
    assert kiosk.window.ticket_number.text() == "E001"


def test_the_ticket_screen_goes_home_sooner(
    qtbot: QtBot, sqlite_store: Store, config: CentreConfig, clock: FixedClock
) -> None:
    centre = LocalCentre(sqlite_store, clock, config, device="kiosk-test")
    vm = KioskViewModel(centre, idle_ms=60_000, ticket_idle_ms=100)
    vm.start()
    try:
        vm.start_walk_in()
        qtbot.waitUntil(lambda: vm.screen is Screen.SERVICES and not vm.busy)
        with qtbot.waitSignal(vm.ticket_issued):
            vm.choose_service("traffic-fines")
        assert vm.screen is Screen.TICKET
        qtbot.waitUntil(lambda: vm.screen is Screen.HOME, timeout=3000)
        assert vm.ticket is None
    finally:
        vm.stop()


def test_landscape_puts_the_pad_beside_the_number(qtbot: QtBot, kiosk: Kiosk) -> None:
    window = kiosk.window
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.width() == 1920)
    assert window.cpr_body.direction() is QBoxLayout.Direction.LeftToRight
    window.resize(1080, 1920)
    qtbot.waitUntil(lambda: window.height() == 1920)
    assert window.cpr_body.direction() is QBoxLayout.Direction.TopToBottom


# -- the ticket on the visitor's phone --------------------------------------------


def with_public_url(config: CentreConfig) -> CentreConfig:
    """``config`` with phones reaching the centre (tickets carry a link)."""
    return config.model_copy(update={"public": PublicConfig(url="https://dana.taboor.example")})


@pytest.fixture
def phone_vm(
    qtbot: QtBot, sqlite_store: Store, config: CentreConfig, clock: FixedClock
) -> Iterator[KioskViewModel]:
    """A started view-model with no printer, of a centre that phones reach; a printed ticket
    goes home at once, one on the phone after a while."""
    centre = LocalCentre(sqlite_store, clock, with_public_url(config), device="kiosk-test")
    vm = KioskViewModel(centre, idle_ms=500, ticket_idle_ms=50)
    vm.start()
    yield vm
    vm.stop()


def choose(qtbot: QtBot, vm: KioskViewModel, service: str) -> None:
    """Open the services and choose ``service``, whatever comes of it."""
    vm.start_walk_in()
    qtbot.waitUntil(lambda: vm.screen is Screen.SERVICES and not vm.busy)
    vm.choose_service(service)


def test_on_the_phone_the_ticket_shows_its_link_and_nothing_prints(
    qtbot: QtBot, phone_vm: KioskViewModel
) -> None:
    vm = phone_vm
    attempts: list[object] = []
    vm.print_failed.connect(attempts.append)
    vm.ticket_printed.connect(attempts.append)
    assert vm.phone_offered
    assert not vm.on_phone
    with qtbot.waitSignal(vm.on_phone_changed) as changed:
        vm.start_walk_in()
        qtbot.waitUntil(lambda: vm.screen is Screen.SERVICES and not vm.busy)
        vm.toggle_phone()
    assert changed.args == [True]
    with qtbot.waitSignal(vm.sent_to_phone, timeout=5000) as sent:
        vm.choose_service("traffic-fines")
    view = sent.args[0]
    assert view is vm.ticket
    assert view.link is not None
    assert view.link.startswith("https://dana.taboor.example/t/")
    assert vm.screen is Screen.TICKET
    assert vm.ticket_on_phone
    # The choice was this visitor's: the next ticket prints unless asked again.
    assert not vm.on_phone
    # Longer than a printed ticket's time on screen: the phone has to scan it.
    qtbot.wait(200)
    assert vm.screen is Screen.TICKET
    qtbot.waitUntil(lambda: vm.screen is Screen.HOME, timeout=3000)
    assert attempts == []


def test_paper_stays_the_default_with_a_public_address(
    qtbot: QtBot, phone_vm: KioskViewModel
) -> None:
    vm = phone_vm
    sent: list[object] = []
    vm.sent_to_phone.connect(sent.append)
    # No printer here: printing is tried, and fails to the on-screen QR.
    with qtbot.waitSignal(vm.print_failed, timeout=5000) as failed:
        choose(qtbot, vm, "traffic-fines")
    assert failed.args[0].link is not None
    assert not vm.ticket_on_phone
    assert sent == []


def test_going_home_forgets_the_phone_choice(qtbot: QtBot, phone_vm: KioskViewModel) -> None:
    vm = phone_vm
    vm.start_walk_in()
    qtbot.waitUntil(lambda: vm.screen is Screen.SERVICES and not vm.busy)
    vm.toggle_phone()
    assert vm.on_phone
    vm.go_home()
    assert not vm.on_phone


def test_without_a_public_address_the_phone_is_not_offered(
    qtbot: QtBot, sqlite_store: Store, config: CentreConfig, clock: FixedClock
) -> None:
    vm = KioskViewModel(LocalCentre(sqlite_store, clock, config, device="kiosk-test"))
    vm.start()
    try:
        assert not vm.phone_offered
        vm.start_walk_in()
        qtbot.waitUntil(lambda: vm.screen is Screen.SERVICES and not vm.busy)
        vm.toggle_phone()
        assert not vm.on_phone
        with qtbot.waitSignal(vm.print_failed, timeout=5000) as failed:
            vm.choose_service("traffic-fines")
        assert failed.args[0].link is None
        assert not vm.ticket_on_phone
    finally:
        vm.stop()
