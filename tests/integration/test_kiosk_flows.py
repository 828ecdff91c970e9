"""The kiosk's visitor paths on a real SQLite store, through the real widgets, in both languages."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import ImageQt
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from centre import local as centre_local
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig, PublicConfig, SmsConfig
from centre.domain import AppointmentStatus, EventType
from centre.errors import CentreUnreachable, DeviceRefused, QuotaReached, TaboorError
from centre.local import LocalCentre
from centre.store.unit_of_work import Store
from kiosk.app import Kiosk, build_kiosk
from kiosk.viewmodel import Screen
from kiosk.window import MIN_TARGET_PX
from printer import TicketSlip
from tests.helpers import MORNING, make_appointment
from tests.unit.printer.fakes import decode_qr_codes

CPR = "990012345"
OTHER_CPR = "880054321"


def make_slip_for(config: CentreConfig) -> Callable[[uc.TicketView], TicketSlip]:
    """A slip builder as the CLI gives one (without the appointment slot)."""

    def make_slip(view: uc.TicketView) -> TicketSlip:
        ticket = view.ticket
        service = config.service(ticket.service)
        return TicketSlip(
            ticket_id=ticket.id,
            number=ticket.number,
            centre_name=(config.centre.name.ar, config.centre.name.en),
            service_name=(service.name.ar, service.name.en),
            issued_at=ticket.issued_at.astimezone(config.centre.zone),
            ahead=view.ahead,
            eta_minutes=view.eta_minutes,
            lang=ticket.lang,
        )

    return make_slip


@pytest.fixture
def make_kiosk(
    qtbot: QtBot,
    sqlite_store: Store,
    config: CentreConfig,
    clock: FixedClock,
    tmp_path: Path,
) -> Iterator[Callable[..., Kiosk]]:
    """Builds and starts kiosks (printer virtual in tmp_path unless told); stops them after."""
    made: list[Kiosk] = []

    def make(
        printer: str | None = "virtual", lang: str = "en", link: str = "online", **kwargs: object
    ) -> Kiosk:
        uri = f"virtual:{tmp_path / 'paper'}" if printer == "virtual" else printer
        # The central link as the sync agent left it (the demo centre has a central).
        with sqlite_store.write() as repo:
            repo.update_sync_state(link=link, last_ok=clock.now() if link == "online" else None)
        wired = kwargs.pop("config", config)
        centre = LocalCentre(sqlite_store, clock, wired, device="kiosk-test")  # type: ignore[arg-type]
        kiosk = build_kiosk(
            centre,
            make_slip_for(config),
            uri,
            exit_pin="2468",
            print_attempts=1,
        )
        made.append(kiosk)
        qtbot.addWidget(kiosk.window)
        kiosk.start()
        kiosk.view_model.set_language(lang)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.stop()


def book(store: Store, cpr: str = CPR, minutes_from_now: int = 0, **kwargs: object) -> str:
    """Store an invented booking; returns its reference."""
    appointment = make_appointment(
        store,
        cpr=cpr,
        service=str(kwargs.pop("service", "licence-renewal")),
        slot=MORNING + timedelta(minutes=minutes_from_now),
        **kwargs,  # type: ignore[arg-type]
    )
    uc.store_appointments(store, [appointment])
    return appointment.reference


def click(qtbot: QtBot, button: QPushButton) -> None:
    """A tap on a visible, enabled button."""
    assert button.isVisible()
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_cpr(qtbot: QtBot, kiosk: Kiosk, cpr: str) -> None:
    """Tap the CPR's digits on the on-screen pad."""
    for digit in cpr:
        click(qtbot, kiosk.window.digit_buttons[digit])


def wait_screen(qtbot: QtBot, kiosk: Kiosk, screen: Screen) -> None:
    """Wait until ``screen`` shows and nothing runs."""
    qtbot.waitUntil(
        lambda: kiosk.view_model.screen is screen and not kiosk.view_model.busy, timeout=5000
    )
    assert kiosk.window.stack.currentWidget() is kiosk.window.pages[screen]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_walk_in_ticket_in_both_languages(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], lang: str
) -> None:
    kiosk = make_kiosk(lang=lang)
    window = kiosk.window
    expected = Qt.LayoutDirection.RightToLeft if lang == "ar" else Qt.LayoutDirection.LeftToRight
    assert window.layoutDirection() == expected
    click(qtbot, window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    assert "driving-test" not in window.service_buttons  # by appointment only
    button = window.service_buttons["licence-renewal"]
    assert button.text() == ("تجديد رخصة السياقة" if lang == "ar" else "Driving licence renewal")
    with qtbot.waitSignal(kiosk.view_model.ticket_printed, timeout=10000):
        click(qtbot, button)
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert window.ticket_number.text() == "A001"
    assert not window.ticket_qr.isVisible()
    if lang == "ar":
        assert (
            window.ticket_where.text() != "Please take a seat and watch the screen for your number."
        )


def test_language_switch_mirrors_the_layout(qtbot: QtBot, make_kiosk: Callable[..., Kiosk]) -> None:
    kiosk = make_kiosk(lang="en")
    window = kiosk.window
    assert window.appointment_button.text() == "I have an appointment"
    click(qtbot, window.language_button)
    assert kiosk.view_model.language == "ar"
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.appointment_button.text() != "I have an appointment"
    click(qtbot, window.language_button)
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_priority_walk_in(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], sqlite_store: Store
) -> None:
    kiosk = make_kiosk()
    click(qtbot, kiosk.window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    click(qtbot, kiosk.window.priority_buttons["elderly"])
    assert kiosk.view_model.priority == "elderly"
    click(qtbot, kiosk.window.service_buttons["traffic-fines"])
    wait_screen(qtbot, kiosk, Screen.TICKET)
    view = kiosk.view_model.ticket
    assert view is not None
    assert view.ticket.priority.value == "elderly"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_cpr_check_in_one_appointment(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], sqlite_store: Store, lang: str
) -> None:
    book(sqlite_store)
    kiosk = make_kiosk(lang=lang)
    window = kiosk.window
    click(qtbot, window.appointment_button)
    wait_screen(qtbot, kiosk, Screen.CPR)
    type_cpr(qtbot, kiosk, CPR)
    assert window.cpr_display.text() == "*****2345"
    assert CPR not in window.cpr_display.text()
    click(qtbot, window.cpr_submit)
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert window.ticket_number.text() == "A001"
    view = kiosk.view_model.ticket
    assert view is not None
    assert view.ticket.appointment_id is not None


def test_cpr_pad_backspace_clear_and_keyboard(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], sqlite_store: Store
) -> None:
    book(sqlite_store)
    kiosk = make_kiosk()
    window = kiosk.window
    click(qtbot, window.appointment_button)
    type_cpr(qtbot, kiosk, "12345")
    assert window.cpr_display.text() == "*****"
    click(qtbot, window.backspace_button)
    assert window.cpr_display.text() == "****"
    click(qtbot, window.clear_button)
    assert window.cpr_display.text() == ""
    # A half-typed CPR is refused on the same screen, kept for correcting.
    type_cpr(qtbot, kiosk, "9900")
    click(qtbot, window.cpr_submit)
    assert kiosk.view_model.screen is Screen.CPR
    assert "9 digits" in window.cpr_hint.text()
    assert window.cpr_hint.property("warning") == "true"
    click(qtbot, window.clear_button)
    qtbot.keyClicks(window, CPR)
    assert window.cpr_display.text() == "*****2345"
    qtbot.keyClick(window, Qt.Key.Key_Return)
    wait_screen(qtbot, kiosk, Screen.TICKET)


def test_several_appointments_let_the_visitor_choose(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], sqlite_store: Store
) -> None:
    book(sqlite_store, service="licence-renewal", minutes_from_now=0)
    book(sqlite_store, service="vehicle-registration", minutes_from_now=10)
    kiosk = make_kiosk(lang="ar")
    window = kiosk.window
    click(qtbot, window.appointment_button)
    type_cpr(qtbot, kiosk, CPR)
    click(qtbot, window.cpr_submit)
    wait_screen(qtbot, kiosk, Screen.CHOOSE)
    assert len(window.option_buttons) == 2
    texts = [b.text() for b in window.option_buttons]
    assert any("تجديد تسجيل المركبة" in t for t in texts)
    chosen = next(b for b in window.option_buttons if "تجديد تسجيل المركبة" in b.text())
    click(qtbot, chosen)
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert window.ticket_number.text() == "C001"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_no_appointment_offers_a_walk_in(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], sqlite_store: Store, lang: str
) -> None:
    kiosk = make_kiosk(lang=lang)
    window = kiosk.window
    click(qtbot, window.appointment_button)
    type_cpr(qtbot, kiosk, OTHER_CPR)
    click(qtbot, window.cpr_submit)
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    english = "We found no appointment for you here today. You can take a walk-in ticket."
    assert (window.message_text.text() == english) is (lang == "en")
    assert window.message_text.text()
    click(qtbot, window.message_walk_in)
    wait_screen(qtbot, kiosk, Screen.SERVICES)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_too_early_says_when_check_in_opens(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], sqlite_store: Store, lang: str
) -> None:
    book(sqlite_store, minutes_from_now=120)
    kiosk = make_kiosk(lang=lang)
    click(qtbot, kiosk.window.appointment_button)
    type_cpr(qtbot, kiosk, CPR)
    click(qtbot, kiosk.window.cpr_submit)
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert "10:30" in kiosk.window.message_text.text()
    assert not kiosk.window.message_walk_in.isVisible()


def test_too_late_offers_a_walk_in_for_the_same_service(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], sqlite_store: Store
) -> None:
    book(sqlite_store, service="vehicle-registration", minutes_from_now=-60)
    kiosk = make_kiosk()
    click(qtbot, kiosk.window.appointment_button)
    type_cpr(qtbot, kiosk, CPR)
    click(qtbot, kiosk.window.cpr_submit)
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert "passed" in kiosk.window.message_text.text()
    click(qtbot, kiosk.window.message_walk_in)
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert kiosk.window.ticket_number.text() == "C001"


def test_cancelled_and_already_checked_in(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], sqlite_store: Store
) -> None:
    book(sqlite_store, cpr=OTHER_CPR, status=AppointmentStatus.CANCELLED)
    reference = book(sqlite_store)
    kiosk = make_kiosk()
    window = kiosk.window
    click(qtbot, window.appointment_button)
    type_cpr(qtbot, kiosk, OTHER_CPR)
    click(qtbot, window.cpr_submit)
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert "cancelled" in window.message_text.text()
    kiosk.view_model.scan(reference)
    wait_screen(qtbot, kiosk, Screen.TICKET)
    kiosk.view_model.scan(reference)
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert "A001" in window.message_text.text()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_qr_scan_from_any_screen_through_the_keyboard_wedge(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], sqlite_store: Store, lang: str
) -> None:
    reference = book(sqlite_store)
    kiosk = make_kiosk(lang=lang)
    click(qtbot, kiosk.window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    qtbot.keyClicks(kiosk.window, reference)
    qtbot.keyClick(kiosk.window, Qt.Key.Key_Return)
    wait_screen(qtbot, kiosk, Screen.TICKET)
    view = kiosk.view_model.ticket
    assert view is not None
    assert view.ticket.appointment_id is not None


def test_two_scans_in_a_row_give_one_ticket(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], sqlite_store: Store, config: CentreConfig
) -> None:
    reference = book(sqlite_store)
    kiosk = make_kiosk()
    kiosk.view_model.scan(reference)
    kiosk.view_model.scan(reference)  # ignored: the first is running
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert kiosk.view_model.pending <= 1
    with sqlite_store.read() as repo:
        assert len(repo.tickets_of_day(MORNING.date())) == 1


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x00\xff\xfe\x01binary",
        "X" * 5000,
        "https://evil.example/phish?x=1",
        "'; DROP TABLE tickets; --",
    ],
    ids=["binary", "huge", "url", "sql"],
)
def test_garbage_scans_give_a_message_and_no_ticket(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], garbage: str | bytes
) -> None:
    kiosk = make_kiosk()
    issued: list[object] = []
    kiosk.view_model.ticket_issued.connect(issued.append)
    kiosk.view_model.scan(garbage)
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.window.message_text.text()
    assert "Traceback" not in kiosk.window.message_text.text()
    assert issued == []
    click(qtbot, kiosk.window.message_home)
    wait_screen(qtbot, kiosk, Screen.HOME)


def test_garbage_typed_through_the_wedge(qtbot: QtBot, make_kiosk: Callable[..., Kiosk]) -> None:
    kiosk = make_kiosk()
    qtbot.keyClicks(kiosk.window, "x" * 3000)
    qtbot.keyClick(kiosk.window, Qt.Key.Key_Return)
    wait_screen(qtbot, kiosk, Screen.MESSAGE)


def test_quota_reached_marks_the_service_unavailable(
    qtbot: QtBot,
    make_kiosk: Callable[..., Kiosk],
    config: CentreConfig,
    sqlite_store: Store,
    clock: FixedClock,
) -> None:
    services = [
        s.model_copy(update={"daily_quota": 1}) if s.code == "licence-lost" else s
        for s in config.services
    ]
    tight = config.model_copy(update={"services": services})
    with pytest.raises(QuotaReached):  # noqa: PT012 - issue until the quota refuses
        for _ in range(5):
            uc.issue_ticket(sqlite_store, clock, tight, "licence-lost")
    kiosk = make_kiosk(config=tight)
    kiosk.view_model.go_home()
    click(qtbot, kiosk.window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    click(qtbot, kiosk.window.service_buttons["licence-lost"])
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert "all its tickets" in kiosk.window.message_text.text()
    assert not kiosk.window.message_walk_in.isVisible()
    click(qtbot, kiosk.window.message_home)
    click(qtbot, kiosk.window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    button = kiosk.window.service_buttons["licence-lost"]
    assert not button.isEnabled()
    assert "No more tickets" in button.text()


def test_paused_service_shown_unavailable(
    qtbot: QtBot,
    make_kiosk: Callable[..., Kiosk],
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
) -> None:
    uc.pause_service(sqlite_store, clock, config, "licence-lost", "system down")
    kiosk = make_kiosk()
    click(qtbot, kiosk.window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    button = kiosk.window.service_buttons["licence-lost"]
    assert not button.isEnabled()
    assert "Paused" in button.text()


def test_printer_off_shows_the_qr_and_alerts_the_supervisor(
    qtbot: QtBot,
    make_kiosk: Callable[..., Kiosk],
    sqlite_store: Store,
    tmp_path: Path,
) -> None:
    kiosk = make_kiosk(printer=f"virtual:{tmp_path / 'off'}?fault=offline")
    click(qtbot, kiosk.window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    with qtbot.waitSignal(kiosk.view_model.print_failed, timeout=10000):
        click(qtbot, kiosk.window.service_buttons["licence-renewal"])
    assert kiosk.window.ticket_qr.isVisible()
    assert kiosk.window.ticket_number.text() == "A001"
    assert "Photograph" in kiosk.window.ticket_print.text()
    # Taps while printing do not issue a second ticket.
    click(qtbot, kiosk.window.ticket_done)

    def logged() -> bool:
        with sqlite_store.read() as repo:
            return any(e.type is EventType.PRINT_FAILED for e in repo.events_since(0, 1000))

    qtbot.waitUntil(logged, timeout=5000)
    # The supervisor sees this kiosk's printer as offline.
    qtbot.waitUntil(lambda: printer_states(sqlite_store) == ["offline"], timeout=5000)


def printer_states(store: Store) -> list[str]:
    with store.read() as repo:
        return [row.state for row in repo.devices() if row.kind == "printer"]


def test_a_printer_running_low_is_reported_once_to_the_supervisor(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], sqlite_store: Store, tmp_path: Path
) -> None:
    kiosk = make_kiosk(printer=f"virtual:{tmp_path / 'low'}?fault=paper_near_end")
    for _ in range(2):
        kiosk.view_model.go_home()
        click(qtbot, kiosk.window.walk_in_button)
        wait_screen(qtbot, kiosk, Screen.SERVICES)
        with qtbot.waitSignal(kiosk.view_model.ticket_printed, timeout=10000):
            click(qtbot, kiosk.window.service_buttons["licence-renewal"])
    qtbot.waitUntil(lambda: printer_states(sqlite_store) == ["paper_low"], timeout=5000)
    with sqlite_store.read() as repo:
        reports = [e for e in repo.events_since(0, 1000) if e.type is EventType.DEVICE_STATUS]
    assert [e.data["state"] for e in reports] == ["paper_low"]


def test_printer_at_a_closed_port(qtbot: QtBot, make_kiosk: Callable[..., Kiosk]) -> None:
    kiosk = make_kiosk(printer="tcp:127.0.0.1:9?timeout=0.5")
    kiosk.view_model.go_home()
    click(qtbot, kiosk.window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    with qtbot.waitSignal(kiosk.view_model.print_failed, timeout=10000):
        click(qtbot, kiosk.window.service_buttons["licence-renewal"])
    assert kiosk.window.ticket_qr.isVisible()


def test_database_briefly_locked_keeps_the_kiosk_responsive(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], tmp_path: Path
) -> None:
    kiosk = make_kiosk()
    click(qtbot, kiosk.window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    locker = sqlite3.connect(tmp_path / "taboor.db", timeout=5, check_same_thread=False)
    locker.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.0, locker.rollback)
    release.start()
    try:
        click(qtbot, kiosk.window.service_buttons["licence-renewal"])
        assert kiosk.view_model.busy
        assert kiosk.window.busy_label.isVisible()
        # The GUI thread still runs: the language switch answers at once.
        click(qtbot, kiosk.window.language_button)
        assert kiosk.view_model.language == "ar"
        # Taps on the busy screen are ignored.
        kiosk.view_model.choose_service("licence-renewal")
        wait_screen(qtbot, kiosk, Screen.TICKET)
    finally:
        release.join()
        locker.close()
    assert kiosk.window.ticket_number.text() == "A001"


def test_unexpected_error_gives_a_generic_message(
    qtbot: QtBot,
    make_kiosk: Callable[..., Kiosk],
    sqlite_store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kiosk = make_kiosk()

    def broken(*_args: object, **_kwargs: object) -> uc.TicketView:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(uc, "issue_ticket", broken)
    click(qtbot, kiosk.window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    click(qtbot, kiosk.window.service_buttons["licence-renewal"])
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert "reception" in kiosk.window.message_text.text()
    assert "fire" not in kiosk.window.message_text.text()
    click(qtbot, kiosk.window.message_home)
    wait_screen(qtbot, kiosk, Screen.HOME)


SENT_TO_THE_DESK = {
    "centre_unreachable": (
        "The ticket system cannot be reached right now: please ask at the reception desk.",
        "لا يمكن الوصول إلى نظام التذاكر الآن: يرجى مراجعة مكتب الاستقبال.",
        "the centre cannot be reached",
    ),
    "device_refused": (
        "This kiosk is out of service: please ask at the reception desk.",
        "هذا الجهاز خارج الخدمة: يرجى مراجعة مكتب الاستقبال.",
        "the centre refuses this kiosk",
    ),
}


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize(
    "error",
    [
        CentreUnreachable("the centre server at https://centre.invalid cannot be reached"),
        DeviceRefused("the centre server no longer accepts this device"),
    ],
)
def test_a_centre_out_of_reach_sends_the_visitor_to_the_desk_without_a_ticket(
    qtbot: QtBot,
    make_kiosk: Callable[..., Kiosk],
    sqlite_store: Store,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    error: TaboorError,
    lang: str,
) -> None:
    book(sqlite_store)
    kiosk = make_kiosk(lang=lang)
    window, vm = kiosk.window, kiosk.view_model
    english, arabic, logged = SENT_TO_THE_DESK[error.code]
    issued: list[uc.TicketView] = []
    vm.ticket_issued.connect(issued.append)

    def cut_off(*_args: object, **_kwargs: object) -> uc.TicketView:
        raise error

    # What the port raises when the centre server cannot be reached or refuses this kiosk.
    for use_case in ("issue_ticket", "appointments_for_cpr", "check_in_by_qr"):
        monkeypatch.setattr(uc, use_case, cut_off)
    click(qtbot, window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    click(qtbot, window.service_buttons["licence-renewal"])
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert window.message_text.text() == (english if lang == "en" else arabic)
    assert not window.message_walk_in.isVisible()
    vm.go_home()
    click(qtbot, window.appointment_button)
    type_cpr(qtbot, kiosk, CPR)
    click(qtbot, window.cpr_submit)
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert window.message_text.text() == (english if lang == "en" else arabic)
    vm.scan("TD-261122-0001")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert window.message_text.text() == (english if lang == "en" else arabic)
    assert issued == []
    assert vm.ticket is None
    assert not window.ticket_number.isVisible()
    assert logged in caplog.text
    assert CPR not in caplog.text


def test_link_down_a_cpr_without_a_pulled_booking_gets_a_ticket_to_verify(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], sqlite_store: Store, config: CentreConfig
) -> None:
    central = config.central.model_copy(update={"url": "https://central.invalid/api"})
    linked = config.model_copy(update={"central": central})
    kiosk = make_kiosk(config=linked, link="offline")
    window = kiosk.window
    click(qtbot, window.appointment_button)
    type_cpr(qtbot, kiosk, OTHER_CPR)
    click(qtbot, window.cpr_submit)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    assert kiosk.view_model.booking_unreachable
    assert "booking system" in window.services_title.text()
    assert "driving-test" in window.service_buttons  # appointment-only services too
    assert not window.priority_buttons["elderly"].isVisible()
    click(qtbot, window.service_buttons["driving-test"])
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert window.ticket_number.text() == "F001"
    kiosk.view_model.go_home()
    assert not kiosk.view_model.booking_unreachable


def test_link_up_an_unknown_cpr_is_told_there_is_no_appointment(
    qtbot: QtBot,
    make_kiosk: Callable[..., Kiosk],
    sqlite_store: Store,
    config: CentreConfig,
    clock: FixedClock,
) -> None:
    central = config.central.model_copy(update={"url": "https://central.invalid/api"})
    linked = config.model_copy(update={"central": central})
    kiosk = make_kiosk(config=linked, link="online")
    click(qtbot, kiosk.window.appointment_button)
    type_cpr(qtbot, kiosk, OTHER_CPR)
    click(qtbot, kiosk.window.cpr_submit)
    wait_screen(qtbot, kiosk, Screen.MESSAGE)


def test_the_cpr_never_reaches_the_log(
    qtbot: QtBot,
    make_kiosk: Callable[..., Kiosk],
    sqlite_store: Store,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    book(sqlite_store)
    kiosk = make_kiosk()
    click(qtbot, kiosk.window.appointment_button)
    type_cpr(qtbot, kiosk, CPR)
    click(qtbot, kiosk.window.cpr_submit)
    wait_screen(qtbot, kiosk, Screen.TICKET)
    click(qtbot, kiosk.window.ticket_done)
    click(qtbot, kiosk.window.appointment_button)
    type_cpr(qtbot, kiosk, OTHER_CPR)
    click(qtbot, kiosk.window.cpr_submit)
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert CPR not in caplog.text
    assert OTHER_CPR not in caplog.text


# -- the ticket on the visitor's phone ----------------------------------------------

PUBLIC_URL = "https://dana.taboor.example"


def with_public_url(config: CentreConfig) -> CentreConfig:
    """``config`` with phones reaching the centre (tickets carry a link)."""
    return config.model_copy(update={"public": PublicConfig(url=PUBLIC_URL)})


def qr_on_screen(kiosk: Kiosk) -> list[str]:
    """What a phone reads from the ticket screen's QR."""
    pixmap = kiosk.window.ticket_qr.pixmap()
    assert not pixmap.isNull()
    return decode_qr_codes(ImageQt.fromqpixmap(pixmap))


def papers(folder: Path) -> list[Path]:
    """The tickets the virtual printer printed into ``folder``."""
    return sorted(folder.glob("*.bin"))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_on_my_phone_shows_the_ticket_as_a_qr_and_prints_nothing(
    qtbot: QtBot,
    make_kiosk: Callable[..., Kiosk],
    config: CentreConfig,
    tmp_path: Path,
    lang: str,
) -> None:
    kiosk = make_kiosk(config=with_public_url(config), lang=lang)
    window, vm = kiosk.window, kiosk.view_model
    click(qtbot, window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    assert window.phone_button.text() == (
        "اعرضها على هاتفي بدلاً من الطباعة"
        if lang == "ar"
        else "Show it on my phone instead of printing"
    )
    assert window.phone_button.minimumHeight() >= MIN_TARGET_PX
    click(qtbot, window.phone_button)
    assert window.phone_button.property("chosen") == "true"
    with qtbot.waitSignal(vm.sent_to_phone, timeout=5000):
        click(qtbot, window.service_buttons["licence-renewal"])
    wait_screen(qtbot, kiosk, Screen.TICKET)
    view = vm.ticket
    assert view is not None
    assert view.link is not None
    assert window.ticket_number.text() == view.ticket.number == "A001"
    assert window.ticket_qr.isVisible()
    assert qr_on_screen(kiosk) == [view.link]
    assert window.ticket_print.text() == (
        "امسح الرمز بكاميرا هاتفك لمتابعة تذكرتك"
        if lang == "ar"
        else "Scan with your phone camera to follow your ticket"
    )
    assert window.ticket_print.property("warning") == "false"
    # Nothing was sent to the printer (nor logged as failing to print).
    qtbot.wait(300)
    assert papers(tmp_path / "paper") == []
    # The next visitor's ticket prints, as it always did.
    click(qtbot, window.ticket_done)
    assert window.phone_button.property("chosen") == "false"
    click(qtbot, window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    with qtbot.waitSignal(vm.ticket_printed, timeout=10000):
        click(qtbot, window.service_buttons["licence-renewal"])
    assert not window.ticket_qr.isVisible()
    assert len(papers(tmp_path / "paper")) == 1


def test_without_a_public_address_the_kiosk_offers_no_phone(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], tmp_path: Path
) -> None:
    kiosk = make_kiosk()
    click(qtbot, kiosk.window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    assert not kiosk.window.phone_button.isVisible()
    with qtbot.waitSignal(kiosk.view_model.ticket_printed, timeout=10000):
        click(qtbot, kiosk.window.service_buttons["licence-renewal"])
    assert kiosk.view_model.ticket is not None
    assert kiosk.view_model.ticket.link is None
    assert len(papers(tmp_path / "paper")) == 1


def test_printer_off_the_qr_on_screen_holds_the_phone_link(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], config: CentreConfig, tmp_path: Path
) -> None:
    kiosk = make_kiosk(
        config=with_public_url(config), printer=f"virtual:{tmp_path / 'off'}?fault=offline"
    )
    click(qtbot, kiosk.window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    with qtbot.waitSignal(kiosk.view_model.print_failed, timeout=10000) as failed:
        click(qtbot, kiosk.window.service_buttons["licence-renewal"])
    # The photograph of the screen works as the paper would have: its QR is the link.
    assert qr_on_screen(kiosk) == [failed.args[0].link]
    assert "Photograph" in kiosk.window.ticket_print.text()


# -- texts as the turn nears --------------------------------------------------------

MOBILE = "36001234"
#: A gateway nobody answers at: the in-process centre only keeps the number, sends nothing.
GATEWAY = SmsConfig(url="http://127.0.0.1:9/send")

TEXTS = {
    "button": ("Text me when my turn is near", "أرسل لي رسالة عند اقتراب دوري"),
    "title": ("Type your mobile number", "اكتب رقم هاتفك المحمول"),
    "send": ("Send", "إرسال"),
    "kept": (
        "We will text you at \u2066****1234\u2069 when your turn is near.",
        "سنرسل لك رسالة على \u2066****1234\u2069 عند اقتراب دورك.",
    ),
    "bad": (
        "This number cannot get texts. Please check it.",
        "لا يمكن إرسال رسائل إلى هذا الرقم. يرجى التحقق منه.",
    ),
    "unreachable": (
        "The centre cannot be reached now; your ticket is still valid.",
        "لا يمكن الوصول إلى المركز الآن؛ تذكرتك لا تزال صالحة.",
    ),
}


def said(key: str, lang: str) -> str:
    """The sentence ``key`` of :data:`TEXTS` in ``lang``."""
    english, arabic = TEXTS[key]
    return arabic if lang == "ar" else english


def with_texts(config: CentreConfig) -> CentreConfig:
    """``config`` with a public address and an SMS gateway: tickets may be followed by texts."""
    return with_public_url(config).model_copy(update={"sms": GATEWAY})


def contacts(store: Store) -> list[tuple[str, str, str]]:
    """The numbers the centre keeps for texts: (ticket id, number, language)."""
    with store.read() as repo:
        return [(row.ticket_id, row.phone, row.lang) for row in repo.contacts()]


def printed_ticket(qtbot: QtBot, kiosk: Kiosk) -> str:
    """Take a printed walk-in ticket through the screens; returns its id."""
    click(qtbot, kiosk.window.walk_in_button)
    wait_screen(qtbot, kiosk, Screen.SERVICES)
    with qtbot.waitSignal(kiosk.view_model.ticket_printed, timeout=10000):
        click(qtbot, kiosk.window.service_buttons["licence-renewal"])
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert kiosk.view_model.ticket is not None
    return kiosk.view_model.ticket.ticket.id


def tap_number(qtbot: QtBot, kiosk: Kiosk, digits: str) -> None:
    """Tap ``digits`` on the texts pad."""
    for digit in digits:
        click(qtbot, kiosk.window.texts.digit_buttons[digit])


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_text_me_keeps_the_number_and_shows_only_its_last_four(
    qtbot: QtBot,
    make_kiosk: Callable[..., Kiosk],
    config: CentreConfig,
    sqlite_store: Store,
    caplog: pytest.LogCaptureFixture,
    lang: str,
) -> None:
    caplog.set_level("DEBUG")
    kiosk = make_kiosk(config=with_texts(config), lang=lang)
    window, vm = kiosk.window, kiosk.view_model
    ticket_id = printed_ticket(qtbot, kiosk)
    assert window.texts_button.text() == said("button", lang)
    assert window.texts_button.minimumHeight() >= MIN_TARGET_PX
    assert not window.texts_note.isVisible()
    click(qtbot, window.texts_button)
    wait_screen(qtbot, kiosk, Screen.TEXTS)
    assert window.texts.title.text() == said("title", lang)
    assert window.texts.submit.text() == said("send", lang)
    tap_number(qtbot, kiosk, MOBILE[:6])
    assert window.texts.display.text() == "3600 12"
    tap_number(qtbot, kiosk, MOBILE[6:])
    assert window.texts.display.text() == "3600 1234"
    click(qtbot, window.texts.submit)
    wait_screen(qtbot, kiosk, Screen.TICKET)
    # Kept as the centre keeps numbers, for this ticket, in the visitor's language.
    assert contacts(sqlite_store) == [(ticket_id, "+973" + MOBILE, lang)]
    assert window.texts_note.isVisible()
    assert window.texts_note.text() == said("kept", lang)
    assert not window.texts_button.isVisible()
    # The typed number is nowhere on screen or in the view-model, nor in the log.
    assert window.texts.display.text() == ""
    assert vm.shown_phone == ""
    assert all(MOBILE not in repr(value) for value in vars(vm).values())
    assert MOBILE not in caplog.text
    # The next visitor is offered texts afresh.
    click(qtbot, window.ticket_done)
    printed_ticket(qtbot, kiosk)
    assert window.texts_button.isVisible()
    assert not window.texts_note.isVisible()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_number_that_cannot_get_texts_keeps_the_pad(
    qtbot: QtBot,
    make_kiosk: Callable[..., Kiosk],
    config: CentreConfig,
    sqlite_store: Store,
    lang: str,
) -> None:
    kiosk = make_kiosk(config=with_texts(config), lang=lang)
    window = kiosk.window
    ticket_id = printed_ticket(qtbot, kiosk)
    click(qtbot, window.texts_button)
    wait_screen(qtbot, kiosk, Screen.TEXTS)
    hint = window.texts.hint.text()
    tap_number(qtbot, kiosk, "17001234")  # a fixed line
    click(qtbot, window.texts.submit)
    assert kiosk.view_model.screen is Screen.TEXTS
    assert window.texts.hint.text() == said("bad", lang)
    assert window.texts.hint.property("warning") == "true"
    assert window.texts.display.text() == "1700 1234"
    assert contacts(sqlite_store) == []
    # Corrected through a keyboard (or a wedge scanner's keys): Enter sends it.
    click(qtbot, window.texts.clear_button)
    assert window.texts.hint.text() == hint
    qtbot.keyClicks(window, MOBILE)
    assert window.texts.display.text() == "3600 1234"
    qtbot.keyClick(window, Qt.Key.Key_Return)
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert contacts(sqlite_store) == [(ticket_id, "+973" + MOBILE, lang)]
    assert window.texts_note.text() == said("kept", lang)


def test_a_centre_that_sends_no_texts_stops_offering_them(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], config: CentreConfig, sqlite_store: Store
) -> None:
    # A public address (tickets carry a link) but no gateway: the centre refuses the number.
    kiosk = make_kiosk(config=with_public_url(config))
    window = kiosk.window
    printed_ticket(qtbot, kiosk)
    click(qtbot, window.texts_button)
    wait_screen(qtbot, kiosk, Screen.TEXTS)
    tap_number(qtbot, kiosk, MOBILE)
    click(qtbot, window.texts.submit)
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert not window.texts_button.isVisible()
    assert window.texts_note.text() == (
        "This centre does not send texts. Please watch the screen for your number."
    )
    assert window.texts_note.property("warning") != "true"
    assert contacts(sqlite_store) == []
    click(qtbot, window.ticket_done)
    printed_ticket(qtbot, kiosk)
    assert not window.texts_button.isVisible()
    assert not window.texts_note.isVisible()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_centre_out_of_reach_leaves_the_ticket_valid(
    qtbot: QtBot,
    make_kiosk: Callable[..., Kiosk],
    config: CentreConfig,
    sqlite_store: Store,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    def cut_off(*_args: object, **_kwargs: object) -> None:
        raise CentreUnreachable("the centre server at https://centre.invalid cannot be reached")

    # What the port raises when the centre server cannot be reached.
    monkeypatch.setattr(centre_local, "keep_number", cut_off)
    kiosk = make_kiosk(config=with_texts(config), lang=lang)
    window = kiosk.window
    printed_ticket(qtbot, kiosk)
    click(qtbot, window.texts_button)
    wait_screen(qtbot, kiosk, Screen.TEXTS)
    tap_number(qtbot, kiosk, MOBILE)
    click(qtbot, window.texts.submit)
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert window.texts_note.text() == said("unreachable", lang)
    assert window.ticket_number.text() == "A001"
    # The visitor may try again.
    assert window.texts_button.isVisible()
    assert window.texts.display.text() == ""


def test_digits_typed_on_a_keyboard_go_with_the_pad(
    qtbot: QtBot, make_kiosk: Callable[..., Kiosk], config: CentreConfig, sqlite_store: Store
) -> None:
    reference = book(sqlite_store)
    kiosk = make_kiosk(config=with_texts(config))
    window = kiosk.window
    printed_ticket(qtbot, kiosk)
    click(qtbot, window.texts_button)
    wait_screen(qtbot, kiosk, Screen.TEXTS)
    qtbot.keyClicks(window, MOBILE)
    assert window.texts.display.text() == "3600 1234"
    click(qtbot, window.texts.back)
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert window.texts.display.text() == ""
    # The next thing a wedge scanner types is read alone, not after the cancelled number.
    with qtbot.waitSignal(kiosk.view_model.ticket_issued, timeout=5000) as issued:
        qtbot.keyClicks(window, reference)
        qtbot.keyClick(window, Qt.Key.Key_Return)
    assert issued.args[0].ticket.appointment_id is not None
    assert contacts(sqlite_store) == []
