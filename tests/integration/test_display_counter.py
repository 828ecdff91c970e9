"""The counter terminal on a real store: a clerk signs in, every key acts, no ticket is shared."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from centre import staff
from centre import usecases as uc
from centre.domain import EventType, TicketState
from centre.offline import check_in_unverified
from centre.port import EventFeed
from centre.store.tail import StoreLog, TimerWakeup
from display.follower import EventFollower
from display.terminal import Action, CounterViewModel, CounterWindow
from display.terminal.window import SignInForm
from tests.helpers import MORNING, make_appointment
from tests.unit.display.helpers import Screens
from ui.i18n import Translations

pytestmark = pytest.mark.usefixtures("qt_disconnects_guarded")

PIN = "2468"
# The clerk each terminal signs in, by counter (a clerk is at one counter at a time).
CLERKS = {"1": "c101", "2": "c102", "3": "c103"}
NAMES = {
    "c101": ("مريم أحمد", "Maryam Ahmed"),
    "c102": ("يوسف علي", "Yousif Ali"),
    "c103": ("نورة خالد", "Noora Khalid"),
}
# The timers of a terminal under test tick fast; the clock moves only when told.
TICK_MS = 20

Terminal = Callable[..., CounterViewModel]


@pytest.fixture
def arabic(qapp: QApplication) -> Iterator[Translations]:
    translations = Translations(qapp)
    translations.use("ar")
    yield translations
    translations.use("en")


@pytest.fixture
def clerks(screens: Screens) -> dict[str, str]:
    """A staff account for each counter's clerk, all with the same PIN."""
    for staff_id, (name_ar, name_en) in NAMES.items():
        staff.add_staff(
            screens.store, screens.clock, staff_id, name_ar=name_ar, name_en=name_en, pin=PIN
        )
    return CLERKS


@pytest.fixture
def terminal(qtbot: QtBot, screens: Screens, clerks: dict[str, str]) -> Terminal:
    """A factory of started terminals with their counter's clerk signed in."""

    def make(counter: str, **options: Any) -> CounterViewModel:
        options.setdefault("tick_ms", TICK_MS)
        vm = screens.counter(counter, **options)
        sign_in(qtbot, vm, clerks[counter])
        assert vm.clerk is not None
        return vm

    return make


def sign_in(qtbot: QtBot, vm: CounterViewModel, staff_id: str, pin: str = PIN) -> None:
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        vm.sign_in(staff_id, pin)


def type_in(qtbot: QtBot, form: SignInForm, staff_id: str, pin: str) -> None:
    """Type the id, Enter, the PIN, and Enter, as a clerk does."""
    form.staff_id.clear()  # what was typed before stays, to be corrected
    form.take_keyboard()
    qtbot.keyClicks(form.staff_id, staff_id)
    qtbot.keyClick(form.staff_id, Qt.Key.Key_Return)
    assert form.pin.hasFocus()
    qtbot.keyClicks(form.pin, pin)
    qtbot.keyClick(form.pin, Qt.Key.Key_Return)


def issue(screens: Screens, service: str, count: int = 1) -> None:
    for _ in range(count):
        uc.issue_ticket(screens.store, screens.clock, screens.config, service)
        screens.clock.advance(timedelta(seconds=5))


def kinds(screens: Screens) -> list[EventType]:
    return [event.type for event in uc.events_since(screens.store)]


def press(qtbot: QtBot, window: CounterWindow, vm: CounterViewModel, key: Qt.Key) -> None:
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        qtbot.keyClick(window, key)


def states(screens: Screens) -> dict[str, tuple[str, str]]:
    views = uc.tickets_of_day(screens.store, screens.clock, screens.config)
    return {v.ticket.number: (v.ticket.state.value, v.ticket.service) for v in views}


def test_each_key_performs_its_action(qtbot: QtBot, screens: Screens, terminal: Terminal) -> None:
    issue(screens, "licence-renewal", 5)
    vm = terminal("1", lang="en")
    window = screens.counter_window(vm)
    assert not vm.desk.is_open

    press(qtbot, window, vm, Qt.Key.Key_F8)  # open
    assert vm.desk.is_open
    press(qtbot, window, vm, Qt.Key.Key_F1)  # call next
    assert window.shown_number() == "A001"
    press(qtbot, window, vm, Qt.Key.Key_F2)  # recall
    assert vm.desk.ticket is not None
    assert vm.desk.ticket.recalls == 1
    press(qtbot, window, vm, Qt.Key.Key_F3)  # start serving
    assert vm.desk.ticket.state is TicketState.SERVING
    press(qtbot, window, vm, Qt.Key.Key_F4)  # done
    assert vm.desk.ticket is None
    assert window.shown_number() == "—"

    press(qtbot, window, vm, Qt.Key.Key_F1)
    press(qtbot, window, vm, Qt.Key.Key_F5)  # no-show
    press(qtbot, window, vm, Qt.Key.Key_F1)
    press(qtbot, window, vm, Qt.Key.Key_F3)
    press(qtbot, window, vm, Qt.Key.Key_F7)  # done and call next, in one key
    assert window.shown_number() == "A004"

    qtbot.keyClick(window, Qt.Key.Key_F6)  # transfer: asks where to
    chooser = window.transfer_chooser
    assert chooser is not None
    codes = [
        chooser.services.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(chooser.services.count())
    ]
    assert "licence-renewal" not in codes  # not to the service it is in
    chooser.services.setCurrentRow(codes.index("traffic-fines"))
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        qtbot.keyClick(chooser.services, Qt.Key.Key_Return)
    assert vm.desk.ticket is None

    press(qtbot, window, vm, Qt.Key.Key_F8)  # close
    assert not vm.desk.is_open
    assert states(screens) == {
        "A001": ("served", "licence-renewal"),
        "A002": ("no_show", "licence-renewal"),
        "A003": ("served", "licence-renewal"),
        "A004": ("waiting", "traffic-fines"),
        "A005": ("waiting", "licence-renewal"),
    }


def test_buttons_follow_the_ticket(qtbot: QtBot, screens: Screens, terminal: Terminal) -> None:
    issue(screens, "licence-renewal")
    vm = terminal("1", lang="en")
    window = screens.counter_window(vm)
    assert window.button(Action.CALL_NEXT).isEnabled()
    assert not window.button(Action.FINISH).isEnabled()
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        window.button(Action.CALL_NEXT).click()
    assert not window.button(Action.CALL_NEXT).isEnabled()
    assert window.button(Action.RECALL).isEnabled()
    assert window.button(Action.START).isEnabled()
    assert not window.button(Action.FINISH).isEnabled()  # serve before finishing
    assert not window.button(Action.CLOSE).isEnabled()  # finish before closing
    # A queue figure for each service of the counter.
    qtbot.waitUntil(lambda: [q.code for q in vm.queues] == ["licence-renewal", "licence-lost"])


def test_two_terminals_calling_at_once_never_show_the_same_ticket(
    qtbot: QtBot, screens: Screens, terminal: Terminal
) -> None:
    issue(screens, "licence-renewal", 12)
    one, two = terminal("1"), terminal("2")
    shown: list[str] = []
    for _ in range(6):
        with qtbot.waitSignals([one.action_done, two.action_done], timeout=5000):
            one.call_next()
            two.call_next()
        assert one.desk.ticket is not None
        assert two.desk.ticket is not None
        assert one.desk.ticket.number != two.desk.ticket.number
        shown += [one.desk.ticket.number, two.desk.ticket.number]
        for vm in (one, two):
            with qtbot.waitSignal(vm.action_done, timeout=5000):
                vm.start_serving()
            with qtbot.waitSignal(vm.action_done, timeout=5000):
                vm.finish()
    assert sorted(shown) == [f"A{n:03d}" for n in range(1, 13)]


def stale_counter(screens: Screens, terminal: Terminal, counter: str) -> CounterViewModel:
    """A terminal whose view of the store lags (it polls once a minute)."""
    follower = EventFollower(EventFeed(StoreLog(screens.store), TimerWakeup(), 60))
    screens.started.append(follower.stop)
    return terminal(counter, follower=follower, lang="en")


def test_a_clerk_acting_on_a_ticket_another_terminal_moved_on_is_told_so(
    qtbot: QtBot, screens: Screens, terminal: Terminal
) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    issue(screens, "licence-renewal", 3)
    vm = stale_counter(screens, terminal, "1")
    messages: list[tuple[str, bool]] = []
    vm.message_shown.connect(lambda text, error: messages.append((text, error)))
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        vm.call_next()
    assert vm.desk.ticket is not None
    assert vm.desk.ticket.number == "A001"
    # Another terminal at the same counter serves A001 and calls A002.
    uc.start_serving(store, clock, config, "1")
    uc.finish(store, clock, config, "1")
    uc.call_next(store, clock, config, "1")
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        vm.no_show()  # meant for A001: must not fall on A002
    assert messages[-1] == ("Ticket A001 was already dealt with at another terminal.", True)
    qtbot.waitUntil(lambda: vm.desk.ticket is not None and vm.desk.ticket.number == "A002")
    assert states(screens)["A002"][0] == "called"

    # The other terminal serves A002 to the end; this one, still seeing it, recalls it.
    uc.start_serving(store, clock, config, "1")
    uc.finish(store, clock, config, "1")
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        vm.recall()
    assert messages[-1] == ("Ticket A002 was already dealt with at another terminal.", True)
    qtbot.waitUntil(lambda: vm.desk.ticket is None)
    # And when the other calls A003 meanwhile, calling here is refused.
    uc.call_next(store, clock, config, "1")
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        vm.call_next()
    assert messages[-1] == ("Finish ticket A003 first: done, no-show or transfer.", True)
    assert "Traceback" not in "".join(text for text, _ in messages)


def test_a_clerk_acting_on_no_ticket_while_another_terminal_called_one_is_told_so(
    qtbot: QtBot, screens: Screens, terminal: Terminal
) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    issue(screens, "licence-renewal")
    vm = stale_counter(screens, terminal, "1")
    messages: list[tuple[str, bool]] = []
    vm.message_shown.connect(lambda text, error: messages.append((text, error)))
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        vm.recall()  # nothing shown, nothing there
    assert messages[-1] == ("There is no ticket at this counter now.", True)
    uc.call_next(store, clock, config, "1")  # at another terminal, unseen here
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        vm.no_show()
    assert messages[-1] == ("Another terminal has just called a ticket here.", True)
    assert states(screens)["A001"][0] == "called"


def test_refusals_reach_the_clerk_in_arabic(
    qtbot: QtBot, screens: Screens, terminal: Terminal, arabic: Translations
) -> None:
    issue(screens, "licence-renewal")
    uc.pause_service(screens.store, screens.clock, screens.config, "traffic-fines", "no staff")
    vm = terminal("1", lang="ar")
    window = screens.counter_window(vm)
    messages: list[str] = []
    vm.message_shown.connect(lambda text, _error: messages.append(text))
    press(qtbot, window, vm, Qt.Key.Key_F1)
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        vm.transfer("traffic-fines")
    assert messages[-1] == "خدمة «دفع المخالفات المرورية» متوقفة مؤقتًا: لا تستقبل تذاكر الآن."
    assert window.shown_message() == messages[-1]
    assert vm.desk.ticket is not None  # still at the counter


def test_arabic_lays_the_terminal_out_right_to_left(
    qtbot: QtBot, screens: Screens, terminal: Terminal, arabic: Translations
) -> None:
    vm = terminal("3", lang="ar")
    window = screens.counter_window(vm)
    recall, start = window.button(Action.RECALL), window.button(Action.START)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.button(Action.CALL_NEXT).text() == "نداء التالي  (F1)"
    assert recall.x() > start.x()  # the first column is on the right
    with qtbot.waitSignal(vm.language_changed):
        window.findChild(type(recall), "language").click()  # type: ignore[union-attr]
    arabic.use(vm.language)
    qtbot.waitUntil(lambda: window.layoutDirection() == Qt.LayoutDirection.LeftToRight)
    qtbot.waitUntil(lambda: recall.x() < start.x())
    assert window.button(Action.CALL_NEXT).text() == "Call next  (F1)"


def test_the_booking_shows_a_masked_cpr_and_a_running_timer(
    qtbot: QtBot, screens: Screens, terminal: Terminal
) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    cpr = "880312345"
    booking = make_appointment(store, cpr=cpr, service="licence-renewal", slot=MORNING)
    uc.store_appointments(store, [booking])
    uc.check_in_by_cpr(store, clock, config, cpr)
    uc.call_next(store, clock, config, "1")  # before the terminal starts: it reads it back
    vm = terminal("1", lang="en")
    window = screens.counter_window(vm)
    appointment = vm.desk.appointment
    assert appointment is not None
    assert appointment.cpr_masked == "*****2345"
    assert appointment.name is not None
    assert appointment.name.get("en") == "Maryam Ahmed"
    texts = [label.text() for label in window.findChildren(QLabel)]
    assert any("*****2345" in text for text in texts)
    assert any("Maryam Ahmed" in text for text in texts)
    assert not any(cpr in text for text in texts)
    assert any("Driving licence renewal" in text for text in texts)  # the service
    assert any("from 09:00 to 09:15" in text for text in texts)  # the slot
    clock.advance(timedelta(seconds=75))
    with qtbot.waitSignal(vm.elapsed_changed, timeout=2000, check_params_cb=lambda s: s == 75):
        pass
    qtbot.waitUntil(lambda: "1:15" in [label.text() for label in window.findChildren(QLabel)])


def test_a_locked_database_never_freezes_the_terminal(
    qtbot: QtBot, sqlite_screens: Screens, sqlite_url: str
) -> None:
    issue(sqlite_screens, "licence-renewal")
    store, clock = sqlite_screens.store, sqlite_screens.clock
    staff.add_staff(store, clock, "c101", name_ar="مريم أحمد", name_en="Maryam Ahmed", pin=PIN)
    vm = sqlite_screens.counter("1", lang="en")
    sign_in(qtbot, vm, "c101")
    window = sqlite_screens.counter_window(vm)
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        qtbot.keyClick(window, Qt.Key.Key_F1)
        qtbot.waitUntil(lambda: window.shown_message() == "Please wait…", timeout=3000)
        assert vm.busy
        assert len(ticks) >= 10  # the event loop kept turning all along
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        timer.stop()
    qtbot.waitUntil(lambda: not vm.busy, timeout=10_000)
    assert window.shown_number() == "A001"


def test_a_ticket_given_while_offline_asks_the_clerk_to_check_the_booking(
    qtbot: QtBot, screens: Screens, terminal: Terminal
) -> None:
    # The central link never came up here, so an unknown CPR gets a ticket to verify.
    check_in_unverified(screens.store, screens.clock, screens.config, "990000555", "A")
    vm = terminal("1", lang="en")
    window = screens.counter_window(vm)
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        window.button(Action.CALL_NEXT).click()
    assert vm.desk.verify
    qtbot.waitUntil(
        lambda: (
            "Check the visitor's booking before serving"
            in [label.text() for label in window.findChildren(QLabel) if label.isVisible()]
        )
    )
    assert "990000555" not in " ".join(label.text() for label in window.findChildren(QLabel))


# -- signing in ----------------------------------------------------------------


def test_nothing_acts_before_a_clerk_signs_in_with_the_right_pin(
    qtbot: QtBot, screens: Screens, clerks: dict[str, str]
) -> None:
    issue(screens, "licence-renewal")
    vm = screens.counter("1", lang="en", tick_ms=TICK_MS)
    window = screens.counter_window(vm)
    form = window.sign_in_form
    assert form is not None
    assert form.staff_id.hasFocus()
    assert window.shown_sign_in_note() == "Type your staff id and PIN."
    assert window.shown_clerk() == ""
    for key in (Qt.Key.Key_F1, Qt.Key.Key_F8, Qt.Key.Key_F9):
        qtbot.keyClick(window, key)
    assert not vm.busy  # no key started anything
    assert states(screens) == {"A001": ("waiting", "licence-renewal")}

    with qtbot.waitSignal(vm.action_done, timeout=5000):
        type_in(qtbot, form, "c101", PIN)
    assert window.sign_in_form is None
    assert window.shown_clerk() == "Maryam Ahmed"
    assert form.pin.text() == ""  # never left on screen
    assert staff.signed_in(screens.store, screens.config, "1") == vm.clerk
    press(qtbot, window, vm, Qt.Key.Key_F1)  # opens the counter and calls
    assert window.shown_number() == "A001"


def test_a_wrong_pin_is_one_line_in_the_clerks_language(
    qtbot: QtBot, screens: Screens, clerks: dict[str, str], arabic: Translations
) -> None:
    vm = screens.counter("1", lang="ar", tick_ms=TICK_MS)
    window = screens.counter_window(vm)
    form = window.sign_in_form
    assert form is not None
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        type_in(qtbot, form, "c101", "1111")
    assert window.shown_sign_in_message() == "رقم الموظف أو الرمز السري غير صحيح."
    assert vm.clerk is None
    # An unknown id gets the same answer: ids cannot be guessed from it.
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        type_in(qtbot, form, "nobody", PIN)
    assert window.shown_sign_in_message() == "رقم الموظف أو الرمز السري غير صحيح."
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        type_in(qtbot, form, "c101", "12")
    assert window.shown_sign_in_message() == "الرمز السري من 4 إلى 8 أرقام."
    assert window.sign_in_form is form


def test_too_many_wrong_pins_lock_sign_in_with_a_countdown(
    qtbot: QtBot, screens: Screens, clerks: dict[str, str]
) -> None:
    clock = screens.clock
    vm = screens.counter("1", lang="en", tick_ms=TICK_MS)
    window = screens.counter_window(vm)
    form = window.sign_in_form
    assert form is not None
    for _ in range(3):  # the third wrong PIN in a row locks sign-in for 15 s
        with qtbot.waitSignal(vm.action_done, timeout=5000):
            type_in(qtbot, form, "c101", "1111")
    assert window.shown_sign_in_message() == "Too many wrong PINs: wait 15 s."
    assert not window.button(Action.SIGN_IN).isEnabled()
    vm.sign_in("c101", PIN)  # refused while locked, without asking the store
    assert not vm.busy

    clock.advance(timedelta(seconds=6))
    qtbot.waitUntil(lambda: window.shown_sign_in_message() == "Too many wrong PINs: wait 9 s.")
    clock.advance(timedelta(seconds=9))
    qtbot.waitUntil(lambda: window.button(Action.SIGN_IN).isEnabled())
    assert window.shown_sign_in_message() == ""

    # One more wrong PIN locks it longer; a terminal started meanwhile is told to wait too.
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        type_in(qtbot, form, "c101", "1111")
    assert vm.lock_seconds() == 30
    other = screens.counter("2", lang="en", tick_ms=TICK_MS)
    with qtbot.waitSignal(other.action_done, timeout=5000):
        other.sign_in("c101", PIN)  # the right PIN, but the account waits
    assert other.clerk is None
    assert other.lock_seconds() == 30
    clock.advance(timedelta(seconds=30))
    qtbot.waitUntil(lambda: window.button(Action.SIGN_IN).isEnabled())
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        type_in(qtbot, form, "c101", PIN)
    assert window.shown_clerk() == "Maryam Ahmed"


def test_with_no_staff_accounts_the_terminal_names_the_command_that_adds_one(
    qtbot: QtBot, screens: Screens
) -> None:
    vm = screens.counter("1", lang="en", tick_ms=TICK_MS)
    window = screens.counter_window(vm)
    assert vm.accounts_missing
    note = window.shown_sign_in_note()
    assert note.startswith("No staff accounts yet: add one with ")
    assert "taboor staff add ID --name-ar … --name-en …" in note
    assert "\n" not in note
    form = window.sign_in_form
    assert form is not None
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        type_in(qtbot, form, "c101", PIN)
    assert vm.accounts_missing
    assert vm.clerk is None

    staff.add_staff(
        screens.store, screens.clock, "c101", name_ar="مريم أحمد", name_en="Maryam Ahmed", pin=PIN
    )
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        type_in(qtbot, form, "c101", PIN)
    assert not vm.accounts_missing
    assert window.shown_clerk() == "Maryam Ahmed"


def test_a_restarted_terminal_asks_its_clerk_for_the_pin_again(
    qtbot: QtBot, screens: Screens, clerks: dict[str, str]
) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    issue(screens, "licence-renewal")
    # The terminal before the restart: signed in, a ticket called.
    staff.sign_in(store, clock, config, "1", "c101", PIN)
    uc.call_next(store, clock, config, "1")
    signed_in_events = kinds(screens).count(EventType.STAFF_SIGNED_IN)

    vm = screens.counter("1", lang="en", tick_ms=TICK_MS)
    window = screens.counter_window(vm)
    form = window.sign_in_form
    assert form is not None
    assert vm.clerk is None
    assert form.staff_id.text() == "c101"
    assert form.pin.hasFocus()
    note = "Maryam Ahmed is signed in at this counter: type the PIN to go on."
    assert window.shown_sign_in_note() == note
    qtbot.keyClick(window, Qt.Key.Key_F5)  # no-show: not before the PIN
    assert not vm.busy
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        qtbot.keyClicks(form.pin, PIN)
        qtbot.keyClick(form.pin, Qt.Key.Key_Return)
    assert window.shown_number() == "A001"
    assert window.shown_clerk() == "Maryam Ahmed"
    assert kinds(screens).count(EventType.STAFF_SIGNED_IN) == signed_in_events


def test_a_clerk_signed_out_elsewhere_is_asked_to_sign_in_again(
    qtbot: QtBot, screens: Screens, terminal: Terminal
) -> None:
    vm = terminal("1", lang="en")
    window = screens.counter_window(vm)
    # The same clerk signs in at counter 2: they leave counter 1.
    staff.sign_in(screens.store, screens.clock, screens.config, "2", "c101", PIN)
    qtbot.waitUntil(lambda: window.sign_in_form is not None)
    assert window.shown_sign_in_message() == "You were signed out of this counter elsewhere."
    assert window.shown_clerk() == ""


# -- breaks, signing out, transfer and language, by key ----------------------------


def test_a_break_by_its_key_shows_its_time_and_call_next_ends_it(
    qtbot: QtBot, screens: Screens, terminal: Terminal
) -> None:
    clock = screens.clock
    issue(screens, "licence-renewal")
    vm = terminal("1", lang="en")
    window = screens.counter_window(vm)
    assert not window.button(Action.BREAK).isEnabled()  # a closed counter takes no break
    press(qtbot, window, vm, Qt.Key.Key_F8)  # open
    press(qtbot, window, vm, Qt.Key.Key_F9)  # break
    assert vm.desk.on_break
    assert window.shown_break() == ("0:00", "Since 09:00")
    assert window.button(Action.BREAK).text() == "End break  (F9)"
    assert window.button(Action.CALL_NEXT).isEnabled()
    clock.advance(timedelta(minutes=2, seconds=5))
    qtbot.waitUntil(lambda: window.shown_break() == ("2:05", "Since 09:00"))

    press(qtbot, window, vm, Qt.Key.Key_F9)  # back
    assert window.shown_break() is None
    assert window.button(Action.BREAK).text() == "Break  (F9)"
    press(qtbot, window, vm, Qt.Key.Key_F9)  # another break
    assert window.shown_break() is not None
    press(qtbot, window, vm, Qt.Key.Key_F1)  # calling next ends it
    assert window.shown_break() is None
    assert window.shown_number() == "A001"
    assert not window.button(Action.BREAK).isEnabled()  # not with a ticket
    breaks = [k for k in kinds(screens) if k in (EventType.BREAK_STARTED, EventType.BREAK_ENDED)]
    assert breaks == [EventType.BREAK_STARTED, EventType.BREAK_ENDED] * 2


def test_a_break_started_elsewhere_shows_since_when(
    qtbot: QtBot, screens: Screens, terminal: Terminal
) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    uc.open_counter(store, clock, config, "1")
    clock.advance(timedelta(minutes=10))
    staff.start_break(store, clock, config, "1")  # from the command line, say
    clock.advance(timedelta(minutes=3))
    vm = terminal("1", lang="en")
    window = screens.counter_window(vm)
    assert window.shown_break() == ("3:00", "Since 09:10")


def test_sign_out_by_its_key_waits_for_the_ticket_to_be_finished(
    qtbot: QtBot, screens: Screens, terminal: Terminal
) -> None:
    issue(screens, "licence-renewal")
    vm = terminal("1", lang="en")
    window = screens.counter_window(vm)
    press(qtbot, window, vm, Qt.Key.Key_F1)
    press(qtbot, window, vm, Qt.Key.Key_F10)  # sign out: not with A001 at the counter
    assert window.shown_message() == "Finish ticket A001 first: done, no-show or transfer."
    assert window.sign_in_form is None
    press(qtbot, window, vm, Qt.Key.Key_F5)  # no-show
    press(qtbot, window, vm, Qt.Key.Key_F10)
    form = window.sign_in_form
    assert form is not None
    assert form.staff_id.hasFocus()
    assert window.shown_sign_in_message() == "Signed out. The counter is closed."
    assert staff.signed_in(screens.store, screens.config, "1") is None
    assert not vm.desk.is_open
    qtbot.keyClick(window, Qt.Key.Key_F1)  # keys do nothing until someone signs in
    assert not vm.busy


def test_the_transfer_picker_is_driven_by_the_keyboard(
    qtbot: QtBot, screens: Screens, terminal: Terminal
) -> None:
    issue(screens, "licence-renewal")
    vm = terminal("1", lang="en")
    window = screens.counter_window(vm)
    press(qtbot, window, vm, Qt.Key.Key_F1)
    qtbot.keyClick(window, Qt.Key.Key_F6)
    chooser = window.transfer_chooser
    assert chooser is not None
    assert chooser.services.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_F1)  # the keys of the buttons rest meanwhile
    assert not vm.busy
    qtbot.keyClick(chooser.services, Qt.Key.Key_Escape)
    assert window.transfer_chooser is None
    assert vm.desk.ticket is not None

    qtbot.keyClick(window, Qt.Key.Key_F6)
    chooser = window.transfer_chooser
    assert chooser is not None
    qtbot.keyClick(chooser.services, Qt.Key.Key_Down)
    qtbot.keyClick(chooser.services, Qt.Key.Key_Down)
    chosen = chooser.services.currentItem().data(Qt.ItemDataRole.UserRole)
    assert chooser.services.currentRow() == 2
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        qtbot.keyClick(chooser.services, Qt.Key.Key_Return)
    assert states(screens)["A001"] == ("waiting", chosen)
    texts = [b.text() for b in chooser.findChildren(QPushButton)]
    assert texts == ["Transfer  (Enter)", "Cancel  (Esc)"]


def test_every_button_shows_its_key(qtbot: QtBot, screens: Screens, terminal: Terminal) -> None:
    vm = terminal("1", lang="en")
    window = screens.counter_window(vm)
    keys = {
        Action.CALL_NEXT: "F1",
        Action.RECALL: "F2",
        Action.START: "F3",
        Action.FINISH: "F4",
        Action.NO_SHOW: "F5",
        Action.TRANSFER: "F6",
        Action.FINISH_AND_CALL_NEXT: "F7",
        Action.OPEN: "F8",
        Action.BREAK: "F9",
        Action.SIGN_OUT: "F10",
    }
    for action, key in keys.items():
        assert window.button(action).text().endswith(f"({key})"), action
    language = window.findChild(QPushButton, "language")
    assert language is not None
    assert language.text() == "العربية  (F11)"
    with qtbot.waitSignal(vm.language_changed):
        qtbot.keyClick(window, Qt.Key.Key_F11)
    assert vm.language == "ar"


def test_waiting_counts_follow_the_counters_services_for_today(
    qtbot: QtBot, screens: Screens, terminal: Terminal
) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    vm = terminal("1", lang="en")
    window = screens.counter_window(vm)
    qtbot.waitUntil(lambda: [q.code for q in vm.queues] == ["licence-renewal", "licence-lost"])
    # The supervisor moves counter 1 to traffic fines for the day.
    uc.set_counter_services(store, clock, config, "1", ["traffic-fines"])
    qtbot.waitUntil(lambda: [q.code for q in vm.queues] == ["traffic-fines"])
    uc.issue_ticket(store, clock, config, "traffic-fines")
    qtbot.waitUntil(lambda: [q.waiting for q in vm.queues] == [1])
    queues = window.findChild(QLabel, "queues")
    assert queues is not None
    qtbot.waitUntil(lambda: queues.text().startswith("Payment of traffic fines: 1 waiting"))
    press(qtbot, window, vm, Qt.Key.Key_F1)
    assert window.shown_number() == "E001"
