"""The counter terminal on a real store: every key acts, clerks never share a ticket or a freeze."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from centre import usecases as uc
from centre.domain import TicketState
from centre.offline import check_in_unverified
from display.counter_terminal import Action, CounterViewModel, CounterWindow
from display.follower import EventFollower, StoreLog, TimerWakeup
from tests.helpers import MORNING, make_appointment
from tests.unit.display.helpers import Screens
from ui.i18n import Translations

pytestmark = pytest.mark.usefixtures("qt_disconnects_guarded")


@pytest.fixture
def arabic(qapp: QApplication) -> Iterator[Translations]:
    translations = Translations(qapp)
    translations.use("ar")
    yield translations
    translations.use("en")


def issue(screens: Screens, service: str, count: int = 1) -> None:
    for _ in range(count):
        uc.issue_ticket(screens.store, screens.clock, screens.config, service)
        screens.clock.advance(timedelta(seconds=5))


def press(qtbot: QtBot, window: CounterWindow, vm: CounterViewModel, key: Qt.Key) -> None:
    with qtbot.waitSignal(vm.action_done, timeout=5000):
        qtbot.keyClick(window, key)


def states(screens: Screens) -> dict[str, tuple[str, str]]:
    views = uc.tickets_of_day(screens.store, screens.clock, screens.config)
    return {v.ticket.number: (v.ticket.state.value, v.ticket.service) for v in views}


def test_each_key_performs_its_action(qtbot: QtBot, screens: Screens) -> None:
    issue(screens, "licence-renewal", 5)
    vm = screens.counter("1", lang="en")
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


def test_buttons_follow_the_ticket(qtbot: QtBot, screens: Screens) -> None:
    issue(screens, "licence-renewal")
    vm = screens.counter("1", lang="en")
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
    qtbot: QtBot, screens: Screens
) -> None:
    issue(screens, "licence-renewal", 12)
    one, two = screens.counter("1"), screens.counter("2")
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


def stale_counter(screens: Screens, counter: str, lang: str = "en") -> CounterViewModel:
    """A terminal whose view of the store lags (it polls once a minute)."""
    follower = EventFollower(StoreLog(screens.store), TimerWakeup(), poll_seconds=60)
    screens.started.append(follower.stop)
    return screens.counter(counter, follower=follower, lang=lang)


def test_a_clerk_acting_on_a_ticket_another_terminal_moved_on_is_told_so(
    qtbot: QtBot, screens: Screens
) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    issue(screens, "licence-renewal", 3)
    vm = stale_counter(screens, "1")
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
    qtbot: QtBot, screens: Screens
) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    issue(screens, "licence-renewal")
    vm = stale_counter(screens, "1")
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
    qtbot: QtBot, screens: Screens, arabic: Translations
) -> None:
    issue(screens, "licence-renewal")
    uc.pause_service(screens.store, screens.clock, screens.config, "traffic-fines", "no staff")
    vm = screens.counter("1", lang="ar")
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
    qtbot: QtBot, screens: Screens, arabic: Translations
) -> None:
    vm = screens.counter("3", lang="ar")
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


def test_the_booking_shows_a_masked_cpr_and_a_running_timer(qtbot: QtBot, screens: Screens) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    cpr = "880312345"
    booking = make_appointment(store, cpr=cpr, service="licence-renewal", slot=MORNING)
    uc.store_appointments(store, [booking])
    uc.check_in_by_cpr(store, clock, config, cpr)
    uc.call_next(store, clock, config, "1")  # before the terminal starts: it reads it back
    vm = screens.counter("1", lang="en")
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
    clock.advance(timedelta(seconds=75))
    with qtbot.waitSignal(vm.elapsed_changed, timeout=2000, check_params_cb=lambda s: s == 75):
        pass


def test_a_locked_database_never_freezes_the_terminal(
    qtbot: QtBot, sqlite_screens: Screens, sqlite_url: str
) -> None:
    issue(sqlite_screens, "licence-renewal")
    vm = sqlite_screens.counter("1", lang="en")
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
    qtbot: QtBot, screens: Screens
) -> None:
    # The central link never came up here, so an unknown CPR gets a ticket to verify.
    check_in_unverified(screens.store, screens.clock, screens.config, "990000555", "A")
    vm = screens.counter("1", lang="en")
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
