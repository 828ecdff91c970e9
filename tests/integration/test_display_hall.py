"""The hall on a real store: calls show at once, recalls flash again, restarts lose nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from centre import usecases as uc
from centre.store.tail import StoreLog
from display.follower import EventFollower
from display.hall import Call, HallViewModel, Message
from tests.unit.display.helpers import HangingLog, Screens, feed_of

pytestmark = pytest.mark.usefixtures("qt_disconnects_guarded")


def issue(screens: Screens, *services: str) -> None:
    for service in services:
        uc.issue_ticket(screens.store, screens.clock, screens.config, service)
        screens.clock.advance(timedelta(seconds=10))


def call(screens: Screens, counter: str) -> uc.TicketView:
    called = uc.call_next(screens.store, screens.clock, screens.config, counter)
    assert called is not None
    return called


def test_a_call_shows_on_the_hall_within_the_poll_period(qtbot: QtBot, screens: Screens) -> None:
    hall = screens.hall()
    window = screens.hall_window(hall)
    issue(screens, "licence-renewal", "traffic-fines")
    # Another process would not wake the hall itself: the poll (SQLite) or
    # NOTIFY (PostgreSQL) must bring the call, well within a second.
    with qtbot.waitSignal(hall.call_shown, timeout=1000) as shown:
        called = call(screens, "3")
    current: Call = shown.args[0]
    assert (current.number, current.counter, current.recall) == (called.ticket.number, "3", False)
    assert hall.highlighted
    assert window.shown_number() == called.ticket.number
    assert window.shown_counter() == "3"
    # The queue figures follow: one left waiting for licence renewal.
    qtbot.waitUntil(
        lambda: (_waiting(hall, "licence-renewal"), _waiting(hall, "traffic-fines")) == (0, 1)
    )


def _waiting(hall: HallViewModel, service: str) -> int | None:
    for queue in hall.queues:
        if queue.code == service:
            return queue.waiting
    return None


def test_a_recall_highlights_the_number_again(qtbot: QtBot, screens: Screens) -> None:
    hall = screens.hall(highlight_seconds=0.2)
    issue(screens, "licence-renewal", "licence-renewal")
    with qtbot.waitSignal(hall.call_shown, timeout=1000):
        first = call(screens, "1")
    with qtbot.waitSignal(hall.call_shown, timeout=1000):
        call(screens, "2")
    with qtbot.waitSignal(hall.highlight_changed, timeout=2000, check_params_cb=lambda on: not on):
        pass
    with qtbot.waitSignal(hall.call_shown, timeout=1000) as shown:
        uc.recall(screens.store, screens.clock, screens.config, "1")
    assert shown.args[0].recall
    assert shown.args[0].number == first.ticket.number
    assert hall.highlighted
    # The recalled number is the current one again, listed once.
    numbers = [c.number for c in hall.calls]
    assert numbers[0] == first.ticket.number
    assert numbers.count(first.ticket.number) == 1


def test_a_hall_restarted_mid_day_shows_what_it_showed(qtbot: QtBot, screens: Screens) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    issue(screens, *["licence-renewal", "traffic-fines", "vehicle-registration"] * 3)
    for counter in ["1", "3", "4", "5", "7", "2", "6"]:
        uc.call_next(store, clock, config, counter)
        clock.advance(timedelta(seconds=30))
    uc.start_serving(store, clock, config, "1")
    uc.finish(store, clock, config, "1")
    uc.call_next(store, clock, config, "1")
    before = screens.hall()
    uc.recall(screens.store, screens.clock, screens.config, "4")
    qtbot.waitUntil(lambda: bool(before.calls) and before.calls[0].counter == "4", timeout=1000)
    qtbot.waitUntil(lambda: _waiting(before, "licence-renewal") is not None)
    before.stop()

    after = screens.hall()
    assert [(c.number, c.counter) for c in after.calls] == [
        (c.number, c.counter) for c in before.calls
    ]
    assert len(after.calls) == 7  # the one called now and the six before it
    assert not after.highlighted  # nothing was called since the restart
    assert [(q.code, q.waiting) for q in after.queues] == [
        (q.code, q.waiting) for q in before.queues
    ]
    # And it follows from there.
    with qtbot.waitSignal(after.call_shown, timeout=1000):
        uc.recall(screens.store, screens.clock, screens.config, "7")


def test_the_hall_speaks_both_languages_and_turns_portrait(qtbot: QtBot, screens: Screens) -> None:
    hall = screens.hall()
    window = screens.hall_window(hall)
    with qtbot.waitExposed(window):
        window.show()
    hall.set_message(Message(ar="المركز مغلق يوم الجمعة", en="Closed on Friday"))
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft  # the demo centre is ar first
    assert not window.is_portrait()
    window.resize(1080, 1920)
    qtbot.waitUntil(window.is_portrait)
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: not window.is_portrait())
    assert hall.message == Message(ar="المركز مغلق يوم الجمعة", en="Closed on Friday")
    assert hall.local_time().utcoffset() == timedelta(hours=3)


def test_yesterdays_calls_are_not_shown(qtbot: QtBot, screens: Screens) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    clock.advance(timedelta(days=-1))
    issue(screens, "licence-renewal", "licence-renewal")
    call(screens, "1")
    clock.advance(timedelta(days=1))
    uc.roll_day(store, clock, config)  # yesterday's called ticket is closed as a no-show
    issue(screens, "traffic-fines")
    today = call(screens, "7")
    hall = screens.hall()
    assert [c.number for c in hall.calls] == [today.ticket.number]


def test_the_hall_says_when_it_cannot_follow_the_centre(
    qtbot: QtBot, sqlite_screens: Screens
) -> None:
    log = HangingLog(StoreLog(sqlite_screens.store))
    follower = EventFollower(feed_of(log), stale_seconds=0.3)
    sqlite_screens.started.append(log.heal)
    hall = sqlite_screens.hall(follower=follower)
    window = sqlite_screens.hall_window(hall)
    with qtbot.waitExposed(window):
        window.show()
    assert not window.shows_offline()
    with qtbot.waitSignal(hall.connection_changed, timeout=3000):
        log.hang()
    assert window.shows_offline()
    issue(sqlite_screens, "licence-renewal")
    with qtbot.waitSignal(hall.call_shown, timeout=3000):
        call(sqlite_screens, "1")
        log.heal()
    assert not window.shows_offline()


def test_the_supervisors_message_shows_live_and_after_a_restart(
    qtbot: QtBot, screens: Screens
) -> None:
    hall = screens.hall()
    footer = hall.message
    with qtbot.waitSignal(hall.message_changed, timeout=1000) as changed:
        uc.set_hall_message(
            screens.store, screens.clock, "نظام الدفع متوقف مؤقتاً", "Payments are down for now"
        )
    assert changed.args[0] == Message("نظام الدفع متوقف مؤقتاً", "Payments are down for now")
    # A hall started later shows the message from the store.
    later = screens.hall()
    qtbot.waitUntil(lambda: later.message.en == "Payments are down for now")
    # Clearing it brings the configured footer back.
    with qtbot.waitSignal(hall.message_changed, timeout=1000) as cleared:
        uc.set_hall_message(screens.store, screens.clock)
    assert cleared.args[0] == footer
