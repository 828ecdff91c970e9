"""The kiosk view-model's own behaviour: masking, hours, idleness, the staff exit, accessibility,
the ticket taken on the visitor's phone instead of paper, and texts as the turn nears."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout
from pytestqt.qtbot import QtBot

from centre.clock import FixedClock
from centre.config import CentreConfig, PublicConfig
from centre.errors import (
    BadPhone,
    CentreUnreachable,
    DeviceRefused,
    IllegalTransition,
    TextsOff,
)
from centre.local import LocalCentre
from centre.rules.hours import opens_next
from centre.store.unit_of_work import Store
from kiosk.app import Kiosk, build_kiosk
from kiosk.viewmodel import (
    KioskViewModel,
    Screen,
    TextsNote,
    group_digits,
    mask_phone,
    mask_typed,
)
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


# -- texts as the turn nears ----------------------------------------------------------

MOBILE = "36001234"


class TextingCentre(LocalCentre):
    """The in-process centre, whose ``keep_number`` keeps nothing: it notes what it was given
    (and on which thread) in ``asked``, then raises ``answer`` if one is set."""

    def __init__(self, store: Store, clock: FixedClock, config: CentreConfig) -> None:
        super().__init__(store, clock, config, device="kiosk-test")
        self.answer: Exception | None = None
        self.asked: list[tuple[str, str, str, threading.Thread]] = []

    def keep_number(self, ticket_id: str, phone: str, lang: str) -> None:
        """Note the number; refuse it with ``answer``."""
        self.asked.append((ticket_id, phone, lang, threading.current_thread()))
        if self.answer is not None:
            raise self.answer


@pytest.fixture
def texting(
    qtbot: QtBot, sqlite_store: Store, config: CentreConfig, clock: FixedClock
) -> Iterator[tuple[TextingCentre, KioskViewModel]]:
    """A started view-model with no printer, of a centre that phones reach (tickets carry a
    link), on a :class:`TextingCentre`; a second's grace on every screen."""
    centre = TextingCentre(sqlite_store, clock, with_public_url(config))
    vm = KioskViewModel(centre, idle_ms=1000, ticket_idle_ms=1000)
    vm.start()
    yield centre, vm
    vm.stop()


def ticket_on_screen(qtbot: QtBot, vm: KioskViewModel) -> None:
    """Take a walk-in ticket and wait for the ticket screen."""
    with qtbot.waitSignal(vm.ticket_issued, timeout=5000):
        choose(qtbot, vm, "traffic-fines")
    qtbot.waitUntil(lambda: vm.screen is Screen.TICKET and not vm.busy)


def type_mobile(vm: KioskViewModel, digits: str = MOBILE) -> None:
    """Open the texts pad from the ticket screen and type ``digits``."""
    vm.start_texts()
    assert vm.screen is Screen.TEXTS
    for digit in digits:
        vm.press_phone_digit(digit)


def send(qtbot: QtBot, vm: KioskViewModel) -> None:
    """Send the typed number and wait for the centre's answer."""
    with qtbot.waitSignal(vm.busy_changed, timeout=5000, check_params_cb=lambda b: not b):
        vm.send_number()


@pytest.mark.parametrize(
    ("digits", "grouped", "masked"),
    [
        ("", "", ""),
        ("3", "3", "3"),
        ("3600", "3600", "3600"),
        ("36001", "3600 1", "*6001"),
        ("36001234", "3600 1234", "****1234"),
        ("004479111234567", "0044 7911 1234 567", "***********4567"),
    ],
)
def test_a_mobile_number_is_grouped_as_typed_and_masked_once_sent(
    digits: str, grouped: str, masked: str
) -> None:
    assert group_digits(digits) == grouped
    assert mask_phone(digits) == masked


def test_a_kept_number_shows_only_its_last_four_and_leaves_the_view_model(
    qtbot: QtBot, texting: tuple[TextingCentre, KioskViewModel]
) -> None:
    centre, vm = texting
    shown: list[str] = []
    vm.phone_changed.connect(shown.append)
    ticket_on_screen(qtbot, vm)
    assert vm.texts_offered
    assert vm.texts_note is TextsNote.NONE
    type_mobile(vm, "٣٦٠٠" + MOBILE[4:])  # Arabic-Indic digits are read as theirs
    assert vm.shown_phone == "3600 1234"
    assert shown[-1] == "3600 1234"
    send(qtbot, vm)
    assert vm.ticket is not None
    [(ticket_id, phone, lang, thread)] = centre.asked
    assert (ticket_id, phone, lang) == (vm.ticket.ticket.id, MOBILE, "ar")
    assert thread is not threading.main_thread()
    assert vm.screen is Screen.TICKET
    assert vm.texts_note is TextsNote.KEPT
    assert vm.texts_masked == "****1234"
    # Offered once per ticket; the number itself is gone.
    assert not vm.texts_offered
    assert vm.shown_phone == ""
    assert shown[-1] == ""
    assert all(MOBILE not in repr(value) for value in vars(vm).values())
    # The ticket screen's own time, then home, forgetting what was said.
    qtbot.waitUntil(lambda: vm.screen is Screen.HOME, timeout=3000)
    assert vm.texts_note is TextsNote.NONE
    assert vm.texts_masked == ""


def test_typing_keeps_the_visitor_from_being_sent_home(
    qtbot: QtBot, sqlite_store: Store, config: CentreConfig, clock: FixedClock
) -> None:
    centre = TextingCentre(sqlite_store, clock, with_public_url(config))
    vm = KioskViewModel(centre, idle_ms=400, ticket_idle_ms=400)
    vm.start()
    try:
        ticket_on_screen(qtbot, vm)
        vm.start_texts()
        # A key every 150 ms for longer than either time-out: the pad stays.
        for digit in MOBILE:
            qtbot.wait(150)
            vm.press_phone_digit(digit)
        assert vm.screen is Screen.TEXTS
        assert vm.shown_phone == "3600 1234"
        # Then a visitor who walked away: home, and the number is forgotten unsent.
        qtbot.waitUntil(lambda: vm.screen is Screen.HOME, timeout=3000)
        assert vm.shown_phone == ""
        assert centre.asked == []
    finally:
        vm.stop()


def test_the_pad_takes_at_most_15_digits_and_corrects(
    qtbot: QtBot, texting: tuple[TextingCentre, KioskViewModel]
) -> None:
    _centre, vm = texting
    ticket_on_screen(qtbot, vm)
    type_mobile(vm, "0044791112345678")
    assert vm.shown_phone == "0044 7911 1234 567"
    vm.phone_backspace()
    assert vm.shown_phone == "0044 7911 1234 56"
    vm.press_phone_digit("x")
    vm.press_phone_digit("12")
    assert vm.shown_phone == "0044 7911 1234 56"
    vm.clear_phone()
    assert vm.shown_phone == ""


@pytest.mark.parametrize("typed", ["3600123", "17001234", "0501234567"])
def test_a_number_the_rules_refuse_stays_on_the_pad_unsent(
    qtbot: QtBot, texting: tuple[TextingCentre, KioskViewModel], typed: str
) -> None:
    centre, vm = texting
    ticket_on_screen(qtbot, vm)
    type_mobile(vm, typed)
    vm.send_number()
    assert vm.screen is Screen.TEXTS
    assert vm.texts_note is TextsNote.BAD_PHONE
    assert centre.asked == []
    # The visitor corrects it: the warning goes with the next key.
    assert vm.shown_phone == group_digits(typed)
    vm.phone_backspace()
    assert vm.texts_note is TextsNote.NONE


def test_a_number_the_centre_refuses_is_asked_again(
    qtbot: QtBot, texting: tuple[TextingCentre, KioskViewModel]
) -> None:
    centre, vm = texting
    centre.answer = BadPhone("a Bahraini mobile number starts with 3 or 6")
    ticket_on_screen(qtbot, vm)
    type_mobile(vm)
    send(qtbot, vm)
    assert vm.screen is Screen.TEXTS
    assert vm.texts_note is TextsNote.BAD_PHONE
    # It was sent, so it is not kept here: the pad is empty for the number typed anew.
    assert vm.shown_phone == ""
    vm.press_phone_digit("3")
    assert vm.texts_note is TextsNote.NONE
    assert vm.texts_offered


def test_a_centre_without_texts_stops_the_offer_for_good(
    qtbot: QtBot, texting: tuple[TextingCentre, KioskViewModel]
) -> None:
    centre, vm = texting
    centre.answer = TextsOff("this centre sends no texts")
    ticket_on_screen(qtbot, vm)
    type_mobile(vm)
    send(qtbot, vm)
    assert vm.screen is Screen.TICKET
    assert vm.texts_note is TextsNote.OFF
    assert not vm.texts_offered
    assert vm.shown_phone == ""
    # Not for the next visitor either: the centre's answer holds while the kiosk runs.
    vm.go_home()
    ticket_on_screen(qtbot, vm)
    assert vm.ticket is not None
    assert vm.ticket.link is not None
    assert not vm.texts_offered
    vm.start_texts()
    assert vm.screen is Screen.TICKET
    assert len(centre.asked) == 1


@pytest.mark.parametrize(
    ("answer", "note", "offered"),
    [
        (CentreUnreachable("the centre server does not answer"), TextsNote.UNREACHABLE, True),
        (IllegalTransition("ticket E001 is served: it has ended"), TextsNote.ENDED, False),
        (DeviceRefused("the centre server no longer accepts this device"), TextsNote.FAILED, True),
        (RuntimeError("disk on fire"), TextsNote.FAILED, True),
    ],
)
def test_other_answers_go_back_to_the_ticket_and_never_log_the_number(
    qtbot: QtBot,
    texting: tuple[TextingCentre, KioskViewModel],
    caplog: pytest.LogCaptureFixture,
    answer: Exception,
    note: TextsNote,
    offered: bool,
) -> None:
    caplog.set_level("DEBUG")
    centre, vm = texting
    centre.answer = answer
    ticket_on_screen(qtbot, vm)
    type_mobile(vm)
    send(qtbot, vm)
    assert vm.screen is Screen.TICKET
    assert vm.texts_note is note
    assert vm.texts_offered is offered
    assert vm.shown_phone == ""
    assert MOBILE not in caplog.text


def test_cancel_forgets_the_number_unsent(
    qtbot: QtBot, texting: tuple[TextingCentre, KioskViewModel]
) -> None:
    centre, vm = texting
    ticket_on_screen(qtbot, vm)
    type_mobile(vm)
    vm.cancel_texts()
    assert vm.screen is Screen.TICKET
    assert vm.shown_phone == ""
    assert vm.texts_note is TextsNote.NONE
    assert vm.texts_offered
    assert centre.asked == []


def test_a_scan_on_the_pad_forgets_the_number(
    qtbot: QtBot, texting: tuple[TextingCentre, KioskViewModel]
) -> None:
    _centre, vm = texting
    ticket_on_screen(qtbot, vm)
    type_mobile(vm)
    vm.scan("NO-SUCH-BOOKING")
    qtbot.waitUntil(lambda: vm.screen is Screen.MESSAGE and not vm.busy)
    assert vm.shown_phone == ""


def test_without_a_public_address_texts_are_not_offered(
    qtbot: QtBot, sqlite_store: Store, config: CentreConfig, clock: FixedClock
) -> None:
    centre = TextingCentre(sqlite_store, clock, config)
    vm = KioskViewModel(centre)
    vm.start()
    try:
        ticket_on_screen(qtbot, vm)
        assert not vm.texts_offered
        vm.start_texts()
        assert vm.screen is Screen.TICKET
    finally:
        vm.stop()
