"""The supervisor's screen on a real store: sign-in, the live centre, actions, reconnecting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from centre import devices, staff
from centre import usecases as uc
from centre.domain import TicketState
from centre.errors import ServicePaused, UnknownTicket
from centre.store.tail import StoreLog
from display.follower import EventFollower
from display.supervisor import SupervisorViewModel, SupervisorWindow
from display.supervisor.widgets import BREACH_BACKGROUND, NEAR_BACKGROUND
from tests.unit.display.helpers import HangingLog, Screens, feed_of, font_book
from ui.i18n import Translations

pytestmark = pytest.mark.usefixtures("qt_disconnects_guarded")

SUPERVISOR = ("s1", "13579")
CLERK = ("c101", "2468")


@dataclass
class Supervision:
    """Makes supervisor screens on the store of ``screens``; they stop with it."""

    screens: Screens
    printed: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        store, clock = self.screens.store, self.screens.clock
        staff.add_staff(
            store,
            clock,
            SUPERVISOR[0],
            name_ar="نورة خالد",
            name_en="Noura Khalid",
            role=staff.SUPERVISOR,
            pin=SUPERVISOR[1],
        )
        staff.add_staff(
            store, clock, CLERK[0], name_ar="فاطمة علي", name_en="Fatima Ali", pin=CLERK[1]
        )

    def reprint(self, number: str) -> str:
        """A printer that only remembers what it was asked to print."""
        self.printed.append(number)
        return number

    def view_model(
        self, *, follower: EventFollower | None = None, **options: Any
    ) -> SupervisorViewModel:
        """A started view-model (its report read from the store)."""
        options.setdefault("lang", "en")
        options.setdefault("refresh_delay_ms", 20)
        screens = self.screens
        vm = SupervisorViewModel(screens.centre, follower or screens.follower(), **options)
        screens.started.append(vm.stop)
        with screens.qtbot.waitSignal(vm.loaded, timeout=5000):
            vm.start()
        return vm

    def window(self, vm: SupervisorViewModel) -> SupervisorWindow:
        """The window of ``vm``, shown."""
        window = SupervisorWindow(vm, font_book())
        qtbot = self.screens.qtbot
        qtbot.addWidget(window)
        with qtbot.waitExposed(window):
            window.show()
        return window

    def signed_in(self, **options: Any) -> tuple[SupervisorViewModel, SupervisorWindow]:
        """A window with the supervisor signed in."""
        vm = self.view_model(**options)
        window = self.window(vm)
        with self.screens.qtbot.waitSignal(vm.signed_in_changed, timeout=5000):
            vm.sign_in(*SUPERVISOR)
        assert window.shows_dashboard()
        return vm, window


@pytest.fixture
def supervision(sqlite_screens: Screens) -> Supervision:
    return Supervision(sqlite_screens)


@pytest.fixture
def arabic(qapp: QApplication) -> Iterator[Translations]:
    translations = Translations(qapp)
    translations.use("ar")
    yield translations
    translations.use("en")


def issue(screens: Screens, service: str, count: int = 1) -> list[str]:
    numbers = []
    for _ in range(count):
        view = uc.issue_ticket(screens.store, screens.clock, screens.config, service)
        numbers.append(view.ticket.number)
        screens.clock.advance(timedelta(seconds=5))
    return numbers


def done(qtbot: QtBot, vm: SupervisorViewModel, act: Callable[[], object]) -> None:
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        act()


def ticket_state(screens: Screens, number: str) -> TicketState:
    return uc.find_ticket(screens.store, screens.clock, screens.config, number).state


# -- signing in -------------------------------------------------------------------


def test_a_supervisor_signs_in_with_the_keypad_and_out_with_the_button(
    qtbot: QtBot, supervision: Supervision
) -> None:
    vm = supervision.view_model()
    window = supervision.window(vm)
    panel = window.sign_in
    assert not window.shows_dashboard()
    qtbot.keyClicks(panel.staff_id, SUPERVISOR[0])
    qtbot.keyClick(panel.staff_id, Qt.Key.Key_Return)  # on to the PIN
    assert panel.pin.hasFocus()
    for key in [*SUPERVISOR[1][:-1], "9", "back", SUPERVISOR[1][-1]]:
        button = panel.findChild(QPushButton, f"key_{key}")
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert panel.pin.text() == SUPERVISOR[1]
    with qtbot.waitSignal(vm.signed_in_changed, timeout=5000):
        qtbot.mouseClick(panel.sign_in_button, Qt.MouseButton.LeftButton)
    assert window.shows_dashboard()
    assert vm.member is not None
    assert vm.member.name_en == "Noura Khalid"
    sign_out = window.findChild(QPushButton, "signOut")
    assert sign_out is not None
    qtbot.mouseClick(sign_out, Qt.MouseButton.LeftButton)
    assert not window.shows_dashboard()
    assert not vm.signed_in
    assert panel.pin.text() == ""
    assert panel.staff_id.text() == ""


def test_a_wrong_pin_says_so_in_one_line_and_a_lock_says_how_long(
    qtbot: QtBot, supervision: Supervision
) -> None:
    vm = supervision.view_model()
    window = supervision.window(vm)
    panel = window.sign_in
    for _ in range(2):
        panel.staff_id.setText(SUPERVISOR[0])
        panel.pin.setText("1111")
        done(qtbot, vm, lambda: qtbot.keyClick(panel.pin, Qt.Key.Key_Return))
        assert window.shown_message() == "Wrong staff id or PIN."
        assert panel.pin.text() == ""  # typed again from scratch
    panel.pin.setText("1111")
    done(qtbot, vm, panel.sign_in_button.click)
    assert window.shown_message() == "Wrong staff id or PIN. Wait 15 seconds before trying again."
    # Even the right PIN waits out the lock.
    panel.pin.setText(SUPERVISOR[1])
    done(qtbot, vm, panel.sign_in_button.click)
    assert window.shown_message() == "Too many wrong PINs. Try again in 15 seconds."
    assert not window.shows_dashboard()
    supervision.screens.clock.advance(timedelta(seconds=16))
    panel.pin.setText(SUPERVISOR[1])
    done(qtbot, vm, panel.sign_in_button.click)
    assert window.shows_dashboard()


def test_a_clerk_cannot_sign_in_here(qtbot: QtBot, supervision: Supervision) -> None:
    vm = supervision.view_model()
    window = supervision.window(vm)
    done(qtbot, vm, lambda: vm.sign_in(*CLERK))
    assert window.shown_message() == "Only a supervisor can sign in here."
    assert not window.shows_dashboard()
    done(qtbot, vm, lambda: vm.sign_in(SUPERVISOR[0], "12"))
    assert window.shown_message() == "A PIN is 4 to 8 digits."


def test_a_supervisor_who_walks_away_is_signed_out(qtbot: QtBot, supervision: Supervision) -> None:
    vm, window = supervision.signed_in(idle_minutes=0.05)  # 3 s
    # Keys in the window count as activity: the wait starts again with each.
    for _ in range(2):
        qtbot.wait(700)
        before = vm.idle_remaining_ms()
        qtbot.keyClick(window.action_panel.ticket_number, Qt.Key.Key_A)
        assert vm.idle_remaining_ms() > before
    assert window.shows_dashboard()
    qtbot.waitUntil(lambda: not window.shows_dashboard(), timeout=15_000)
    assert window.shown_message() == "Signed out after 0.05 minutes without activity."
    # Actions need a supervisor again.
    vm.pause_service("licence-renewal")
    assert not vm.busy
    uc.issue_ticket(supervision.screens.store, supervision.screens.clock, vm.config, "A")


def test_signing_out_reaches_the_centre(qtbot: QtBot, supervision: Supervision) -> None:
    centre = supervision.screens.centre
    vm, window = supervision.signed_in()
    assert centre.supervisor is not None
    assert centre.supervisor.id == SUPERVISOR[0]
    sign_out = window.findChild(QPushButton, "signOut")
    assert sign_out is not None
    qtbot.mouseClick(sign_out, Qt.MouseButton.LeftButton)
    assert not vm.signed_in
    qtbot.waitUntil(lambda: centre.supervisor is None, timeout=5000)


def test_the_idle_sign_out_reaches_the_centre(qtbot: QtBot, supervision: Supervision) -> None:
    centre = supervision.screens.centre
    vm, _window = supervision.signed_in(idle_minutes=0.01)  # 0.6 s
    assert centre.supervisor is not None
    qtbot.waitUntil(lambda: not vm.signed_in, timeout=15_000)
    qtbot.waitUntil(lambda: centre.supervisor is None, timeout=5000)


# -- the live centre ------------------------------------------------------------


def test_the_tables_follow_a_call_made_at_another_terminal(qtbot: QtBot, screens: Screens) -> None:
    # On both databases: PostgreSQL wakes the screen with NOTIFY.
    supervision = Supervision(screens)
    store, clock, config = screens.store, screens.clock, screens.config
    issue(screens, "traffic-fines", 3)
    _vm, window = supervision.signed_in()
    qtbot.waitUntil(lambda: window.queues.row_texts("traffic-fines")[1] == "3")
    staff.sign_in(store, clock, config, "7", *CLERK)
    called = uc.call_next(store, clock, config, "7")  # another terminal, same store
    assert called is not None
    number = called.ticket.number
    qtbot.waitUntil(
        lambda: window.counters.row_texts("7")[1:5] == ["Calling", "Fatima Ali", "E A", number]
    )
    assert window.queues.row_texts("traffic-fines")[1] == "2"
    clock.advance(timedelta(seconds=75))
    qtbot.waitUntil(lambda: window.counters.row_texts("7")[5] == "01:15")  # ticking
    uc.start_serving(store, clock, config, "7")
    qtbot.waitUntil(lambda: window.counters.row_texts("7")[1] == "Serving")
    assert window.counters.row_texts("7")[5] == "00:00"
    uc.finish(store, clock, config, "7")
    qtbot.waitUntil(lambda: window.counters.row_texts("7")[6] == "1")  # served today
    qtbot.waitUntil(lambda: window.today.tiles["served"].value.text() == "1")


def test_queues_past_their_limit_turn_amber_then_red_with_words(
    qtbot: QtBot, supervision: Supervision
) -> None:
    screens = supervision.screens
    limit = screens.config.service("licence-renewal").max_wait_minutes
    issue(screens, "licence-renewal")
    vm, window = supervision.signed_in()
    assert window.queues.level("licence-renewal") == "ok"
    assert window.queues.row_texts("licence-renewal")[-1] == "On time"
    screens.clock.advance(timedelta(minutes=limit * 0.9))
    vm.refresh()
    qtbot.waitUntil(lambda: window.queues.level("licence-renewal") == "near")
    assert window.queues.row_texts("licence-renewal")[-1] == f"Near the {limit} min limit"
    assert window.queues.row_background("licence-renewal") == NEAR_BACKGROUND
    screens.clock.advance(timedelta(minutes=limit * 0.2))
    vm.refresh()
    qtbot.waitUntil(lambda: window.queues.level("licence-renewal") == "breach")
    assert window.queues.row_texts("licence-renewal")[-1] == f"Over the {limit} min limit"
    assert window.queues.row_background("licence-renewal") == BREACH_BACKGROUND
    assert window.queues.level("traffic-fines") == "ok"


def test_waits_grow_on_screen_with_no_event(qtbot: QtBot, supervision: Supervision) -> None:
    screens = supervision.screens
    issue(screens, "licence-renewal")
    _vm, window = supervision.signed_in(periodic_ms=100)
    qtbot.waitUntil(lambda: window.queues.row_texts("licence-renewal")[2] == "0 min")
    screens.clock.advance(timedelta(minutes=7))
    qtbot.waitUntil(lambda: window.queues.row_texts("licence-renewal")[2] == "7 min")


# -- actions ------------------------------------------------------------------------


def test_a_paused_service_takes_no_tickets_until_resumed(
    qtbot: QtBot, supervision: Supervision
) -> None:
    screens = supervision.screens
    vm, window = supervision.signed_in()
    actions = window.action_panel
    actions.select_service("traffic-fines")
    actions.reason.setText("payment system down")
    actions.pause_button.click()
    assert window.confirm_bar.asking  # asks first
    assert not vm.busy
    done(qtbot, vm, window.confirm_bar.confirm_button.click)
    assert (
        window.shown_message()
        == "Payment of traffic fines is paused: the kiosk gives no tickets for it."
    )
    with pytest.raises(ServicePaused):
        uc.issue_ticket(screens.store, screens.clock, screens.config, "traffic-fines")
    qtbot.waitUntil(lambda: window.queues.row_texts("traffic-fines")[-1] == "Paused")
    qtbot.waitUntil(lambda: actions.pause_button.text() == "Resume")
    done(qtbot, vm, actions.pause_button.click)  # resuming asks nothing
    assert window.shown_message() == "Payment of traffic fines takes tickets again."
    uc.issue_ticket(screens.store, screens.clock, screens.config, "traffic-fines")


def test_going_back_from_a_question_does_nothing(qtbot: QtBot, supervision: Supervision) -> None:
    screens = supervision.screens
    [number] = issue(screens, "licence-renewal")
    _vm, window = supervision.signed_in()
    window.action_panel.ticket_number.setText(number)
    window.action_panel.cancel_button.click()
    assert number in window.confirm_bar.question.text()
    window.confirm_bar.back_button.click()
    assert not window.confirm_bar.asking
    qtbot.wait(100)
    assert ticket_state(screens, number) is TicketState.WAITING


def test_the_hall_message_is_set_and_cleared(qtbot: QtBot, supervision: Supervision) -> None:
    screens = supervision.screens
    vm, window = supervision.signed_in()
    actions = window.action_panel
    actions.message_ar.setText("نظام الدفع متوقف مؤقتاً")
    actions.message_en.setText("Payments are down for now")
    done(qtbot, vm, actions.show_message_button.click)
    assert uc.hall_message(screens.store) == ("نظام الدفع متوقف مؤقتاً", "Payments are down for now")
    qtbot.waitUntil(lambda: vm.hall_message is not None)
    assert actions.clear_message_button.isEnabled()
    done(qtbot, vm, actions.clear_message_button.click)
    assert uc.hall_message(screens.store) is None
    assert window.shown_message() == "The hall message is cleared."


def test_a_counter_given_other_services_calls_them(qtbot: QtBot, supervision: Supervision) -> None:
    screens = supervision.screens
    store, clock, config = screens.store, screens.clock, screens.config
    issue(screens, "licence-renewal")
    [fine] = issue(screens, "traffic-fines")
    vm, window = supervision.signed_in()
    actions = window.action_panel
    actions.select_counter("1")
    assert [c for c, box in actions.service_boxes.items() if box.isChecked()] == [
        "licence-renewal",
        "licence-lost",
    ]
    for code, box in actions.service_boxes.items():
        box.setChecked(code == "traffic-fines")
    done(qtbot, vm, actions.apply_services_button.click)
    assert window.shown_message() == "Counter 1 now calls: Payment of traffic fines."
    qtbot.waitUntil(lambda: window.counters.row_texts("1")[3] == "E")
    called = uc.call_next(store, clock, config, "1")
    assert called is not None
    assert called.ticket.number == fine  # not the older licence renewal
    done(qtbot, vm, actions.reset_services_button.click)
    qtbot.waitUntil(lambda: window.counters.row_texts("1")[3] == "A B")
    assert actions.service_boxes["licence-renewal"].isChecked()
    # None at all is refused before it reaches the store.
    for box in actions.service_boxes.values():
        box.setChecked(False)
    done(qtbot, vm, actions.apply_services_button.click)
    assert window.shown_message() == "A counter must call at least one service."


def test_a_ticket_is_cancelled_by_its_number(qtbot: QtBot, supervision: Supervision) -> None:
    screens = supervision.screens
    _first, second = issue(screens, "licence-renewal", 2)
    vm, window = supervision.signed_in()
    window.action_panel.ticket_number.setText(second.lower())
    window.action_panel.cancel_button.click()
    done(qtbot, vm, window.confirm_bar.confirm_button.click)
    assert ticket_state(screens, second) is TicketState.CANCELLED
    assert window.shown_message() == f"Ticket {second} is cancelled."
    assert window.action_panel.ticket_number.text() == ""
    qtbot.waitUntil(lambda: window.today.tiles["cancelled"].value.text() == "1")


def test_a_refused_action_is_one_line(qtbot: QtBot, supervision: Supervision) -> None:
    screens = supervision.screens
    store, clock, config = screens.store, screens.clock, screens.config
    [number] = issue(screens, "licence-renewal")
    uc.call_next(store, clock, config, "1")
    vm, window = supervision.signed_in()
    for text, expected in [
        (number, f"Ticket {number} is not waiting: only a waiting ticket can be cancelled."),
        ("Z999", "There is no ticket Z999 today."),
        ("", "Type a ticket number first."),
    ]:
        window.action_panel.ticket_number.setText(text)
        window.action_panel.cancel_button.click()
        if window.confirm_bar.asking:
            done(qtbot, vm, window.confirm_bar.confirm_button.click)
        else:
            assert vm.busy is False
        assert window.shown_message() == expected
        assert "\n" not in window.shown_message()
        assert window.shows_error()
    assert ticket_state(screens, number) is TicketState.CALLED


def test_a_ticket_is_printed_again_through_the_printer_given(
    qtbot: QtBot, supervision: Supervision
) -> None:
    screens = supervision.screens
    [number] = issue(screens, "licence-renewal")
    vm, window = supervision.signed_in(reprint=supervision.reprint)
    assert not window.action_panel.reprint_button.isHidden()
    window.action_panel.ticket_number.setText(f" {number.lower()} ")
    done(qtbot, vm, window.action_panel.reprint_button.click)
    assert supervision.printed == [number]
    assert window.shown_message() == f"Ticket {number} was printed again."
    window.action_panel.ticket_number.setText("Z999")
    done(qtbot, vm, window.action_panel.reprint_button.click)
    assert supervision.printed == [number]  # nothing to print
    assert window.shown_message() == "There is no ticket Z999 today."


def test_a_printer_failure_is_one_line_and_no_printer_no_button(
    qtbot: QtBot, supervision: Supervision
) -> None:
    screens = supervision.screens
    [number] = issue(screens, "licence-renewal")

    def jammed(_number: str) -> str:
        raise OSError("[Errno 5] Input/output error: '/dev/usb/lp0'")

    vm, window = supervision.signed_in(reprint=jammed)
    window.action_panel.ticket_number.setText(number)
    done(qtbot, vm, window.action_panel.reprint_button.click)
    assert window.shown_message() == "The ticket did not print. Check the printer and try again."
    _other_vm, other = supervision.signed_in()
    assert other.action_panel.reprint_button.isHidden()
    with pytest.raises(UnknownTicket):
        uc.find_ticket(screens.store, screens.clock, screens.config, "Z999")


# -- the connection, the language -------------------------------------------------


def test_the_screen_says_when_it_cannot_follow_the_centre_and_catches_up(
    qtbot: QtBot, supervision: Supervision
) -> None:
    screens = supervision.screens
    store, clock, config = screens.store, screens.clock, screens.config
    log = HangingLog(StoreLog(store))
    follower = EventFollower(feed_of(log), stale_seconds=0.3)
    screens.started.append(log.heal)
    issue(screens, "licence-renewal")
    vm, window = supervision.signed_in(follower=follower)
    assert not window.shows_offline()
    with qtbot.waitSignal(vm.connection_changed, timeout=3000):
        log.hang()
    assert window.shows_offline()
    uc.call_next(store, clock, config, "2")
    log.heal()
    qtbot.waitUntil(lambda: not window.shows_offline(), timeout=5000)
    qtbot.waitUntil(lambda: window.counters.row_texts("2")[1] == "Calling", timeout=5000)


def test_arabic_lays_the_screen_out_right_to_left(
    qtbot: QtBot, supervision: Supervision, arabic: Translations
) -> None:
    vm = supervision.view_model(lang="ar")
    window = supervision.window(vm)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.sign_in.sign_in_button.text() == "تسجيل الدخول"
    done(qtbot, vm, lambda: vm.sign_in(SUPERVISOR[0], "0000"))
    assert window.shown_message() == "رقم الموظف أو الرمز السري غير صحيح."
    with qtbot.waitSignal(vm.signed_in_changed, timeout=5000):
        vm.sign_in(*SUPERVISOR)
    # The queues and counters, first in reading order, are on the right.
    assert window.queues.mapTo(window, window.queues.rect().topLeft()).x() > window.tabs.x()
    header = window.queues.horizontalHeaderItem(0)
    assert header is not None
    assert header.text() == "الخدمة"
    assert window.counters.row_texts("1")[1] == "مغلق"
    with qtbot.waitSignal(vm.language_changed):
        language = window.findChild(QPushButton, "language")
        assert language is not None
        language.click()
    arabic.use(vm.language)
    qtbot.waitUntil(lambda: window.layoutDirection() == Qt.LayoutDirection.LeftToRight)
    qtbot.waitUntil(lambda: window.counters.row_texts("1")[1] == "Closed")
    assert vm.signed_in  # the language changes, the supervisor stays


def test_actions_are_refused_to_nobody_signed_in(qtbot: QtBot, supervision: Supervision) -> None:
    vm = supervision.view_model()
    vm.pause_service("licence-renewal")
    vm.cancel_ticket("A001")
    vm.set_counter_services("1", [])
    assert not vm.busy
    uc.issue_ticket(supervision.screens.store, supervision.screens.clock, vm.config, "A")


def test_the_devices_of_the_centre_and_the_webhooks_show_their_health(
    qtbot: QtBot, supervision: Supervision
) -> None:
    from centre import webhooks  # noqa: PLC0415

    screens = supervision.screens
    store, clock, config = screens.store, screens.clock, screens.config
    devices.add_device(store, clock, config, "kiosk-door", "kiosk")
    devices.add_device(store, clock, config, "counter-3-pc", "counter", "3")
    devices.record_seen(store, clock, "kiosk-door", "10.0.0.7")
    devices.add_device(store, clock, config, "old-kiosk", "kiosk")
    devices.revoke_device(store, clock, "old-kiosk")
    webhooks.add_webhook(
        store, clock, "https://erp.example/hooks?key=x", ["called"], "a-secret-of-16-chars"
    )
    vm, window = supervision.signed_in()
    health = window.health
    qtbot.waitUntil(lambda: health.enrolled.rowCount() == 2)
    rows = {
        health.enrolled.item(row, 0).text().strip("\u2066\u2067\u2068\u2069"): row
        for row in range(health.enrolled.rowCount())
    }
    assert set(rows) == {"kiosk-door", "counter-3-pc"}
    assert health.enrolled.item(rows["counter-3-pc"], 1).text() == "Counter, counter 3"
    assert health.enrolled.item(rows["counter-3-pc"], 2).text() == "never"
    assert health.enrolled.item(rows["kiosk-door"], 2).text() == "09:00"
    # The device never heard from is listed first, whatever its name.
    assert rows["counter-3-pc"] == 0
    assert health.webhooks.rowCount() == 1
    assert (
        health.webhooks.item(0, 0).text().strip("\u2066\u2067\u2068\u2069") == "https://erp.example"
    )
    assert health.webhooks.item(0, 1).text() == "0"
    assert vm.report is not None


def test_a_device_is_revoked_from_the_health_tab_after_a_question(
    qtbot: QtBot, supervision: Supervision
) -> None:
    screens = supervision.screens
    store, clock, config = screens.store, screens.clock, screens.config
    devices.add_device(store, clock, config, "tv-1", "hall", link=True)
    devices.add_device(store, clock, config, "kiosk-door", "kiosk")
    # The supervisor's own PC, as the centre server records a sign-in on it.
    devices.add_device(store, clock, config, "office", "supervisor")
    devices.set_supervisor(store, clock, "office", SUPERVISOR[0])
    vm, window = supervision.signed_in()
    health = window.health
    window.tabs.setCurrentWidget(health)
    qtbot.waitUntil(lambda: health.enrolled.rowCount() == 3)
    rows = {
        health.enrolled.item(row, 0).text().strip("\u2066\u2069"): row
        for row in range(health.enrolled.rowCount())
    }
    # Never offered for the device in use: revoking it would lock the supervisor out.
    assert health.revoke_button("office") is None
    assert health.enrolled.item(rows["office"], 3).text() == "You are signed in on it"
    button = health.revoke_button("tv-1")
    assert button is not None
    assert button.text() == "Revoke…"
    assert health.enrolled.cellWidget(rows["tv-1"], 3) is button

    button.click()
    assert window.confirm_bar.question.text() == (
        "Revoke \u2066tv-1\u2069? That display stops at once and must be paired again."
    )
    assert window.confirm_bar.back_button.text() == "Keep it connected"
    window.confirm_bar.back_button.click()
    qtbot.wait(100)
    kept = devices.device_named(store, "tv-1")
    assert kept is not None
    assert kept.active

    kiosk = health.revoke_button("kiosk-door")
    assert kiosk is not None
    kiosk.click()
    assert "needs a new token" in window.confirm_bar.question.text()
    tv = health.revoke_button("tv-1")
    assert tv is not None
    tv.click()  # the last question asked is the one answered
    done(qtbot, vm, window.confirm_bar.confirm_button.click)
    revoked = devices.device_named(store, "tv-1")
    assert revoked is not None
    assert not revoked.active
    assert window.shown_message() == (
        "\u2066tv-1\u2069 is revoked: it can no longer reach the centre."
    )
    assert not window.shows_error()
    # The report is read again: the revoked screen is gone from the list.
    qtbot.waitUntil(lambda: health.enrolled.rowCount() == 2)
    assert health.revoke_button("tv-1") is None
    assert health.revoke_button("kiosk-door") is not None
    door = devices.device_named(store, "kiosk-door")
    assert door is not None
    assert door.active


def test_revoking_a_device_gone_meanwhile_is_one_line(
    qtbot: QtBot, supervision: Supervision, arabic: Translations
) -> None:
    screens = supervision.screens
    store, clock, config = screens.store, screens.clock, screens.config
    devices.add_device(store, clock, config, "tv-1", "hall")
    vm = supervision.view_model(lang="ar")
    window = supervision.window(vm)
    with qtbot.waitSignal(vm.signed_in_changed, timeout=5000):
        vm.sign_in(*SUPERVISOR)
    health = window.health
    qtbot.waitUntil(lambda: health.revoke_button("tv-1") is not None)
    button = health.revoke_button("tv-1")
    assert button is not None
    assert button.text() == "إلغاء الصلاحية…"
    button.click()
    assert window.confirm_bar.question.text() == (
        "إلغاء صلاحية \u2066tv-1\u2069؟ تتوقف هذه الشاشة فورًا ويجب ربطها من جديد."
    )
    done(qtbot, vm, lambda: vm.revoke_device("tv-gone"))
    assert window.shown_message() == "لا يوجد جهاز باسم \u2066tv-gone\u2069 هنا."
    assert window.shows_error()
    window.confirm_bar.dismiss()
