"""The screen over a counter on a real store: its ticket comes, flashes and goes; visitors rate."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from centre import usecases as uc
from centre.domain import EventType
from centre.supervision import record_feedback
from display.counter_screen import CounterScreenViewModel, CounterScreenWindow
from tests.unit.display.helpers import Screens
from ui.i18n import Bilingual
from ui.tasks import TaskRunner

pytestmark = pytest.mark.usefixtures("qt_disconnects_guarded")


def test_the_counters_ticket_comes_flashes_and_goes(qtbot: QtBot, screens: Screens) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    uc.issue_ticket(store, clock, config, "traffic-fines")
    uc.issue_ticket(store, clock, config, "traffic-fines")
    screen = screens.counter_screen("7")
    window = screens.counter_screen_window(screen)
    assert window.shown_number() == ""
    assert window.shown_status() == Bilingual("هذا الكاونتر مغلق", "This counter is closed")

    with qtbot.waitSignal(screen.highlight_changed, timeout=1000):
        uc.call_next(store, clock, config, "7")
    assert window.shown_number() == "E001"
    assert window.shown_status().en == "Please come to this counter"
    assert screen.highlighted
    qtbot.waitUntil(lambda: not screen.highlighted, timeout=2000)
    with qtbot.waitSignal(screen.highlight_changed, timeout=1000):
        uc.recall(store, clock, config, "7")  # flashes again

    with qtbot.waitSignal(screen.ticket_changed, timeout=1000):
        uc.start_serving(store, clock, config, "7")
    assert window.shown_status() == Bilingual("قيد الخدمة الآن", "Now serving")
    with qtbot.waitSignal(screen.ticket_changed, timeout=1000):
        uc.finish(store, clock, config, "7")
    assert window.shown_number() == "—"
    assert window.shown_status().en == "Please wait for your number"

    # Another counter's calls are not this one's.
    uc.call_next(store, clock, config, "4")
    qtbot.wait(300)
    assert window.shown_number() == "—"
    with qtbot.waitSignal(screen.open_changed, timeout=1000):
        uc.close_counter(store, clock, config, "7")
    assert window.shown_status().en == "This counter is closed"


def test_a_restarted_screen_shows_the_ticket_being_served(qtbot: QtBot, screens: Screens) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    uc.issue_ticket(store, clock, config, "licence-renewal")
    uc.call_next(store, clock, config, "2")
    uc.start_serving(store, clock, config, "2")
    screen = screens.counter_screen("2")
    window = screens.counter_screen_window(screen)
    assert window.shown_number() == "A001"
    assert window.shown_status().en == "Now serving"
    assert not screen.highlighted


# -- rating the service -------------------------------------------------------------


def serve(screens: Screens, counter: str, lang: str = "ar") -> str:
    """A visitor called to ``counter`` and served there, not yet marked done; their number."""
    store, clock, config = screens.store, screens.clock, screens.config
    issued = uc.issue_ticket(store, clock, config, "traffic-fines", lang=lang)
    uc.call_next(store, clock, config, counter)
    uc.start_serving(store, clock, config, counter)
    return issued.ticket.number


def feedback(screens: Screens) -> list[tuple[str | None, int]]:
    return [
        (event.ticket_number, event.data["rating"])
        for event in uc.events_since(screens.store)
        if event.type is EventType.FEEDBACK
    ]


def rating_screen(
    screens: Screens, counter: str = "7", **options: Any
) -> tuple[CounterScreenViewModel, CounterScreenWindow]:
    screen = screens.counter_screen(counter, **options)
    return screen, screens.counter_screen_window(screen)


def test_done_asks_the_visitor_to_rate_and_a_tap_records_it(qtbot: QtBot, screens: Screens) -> None:
    number = serve(screens, "7", lang="en")
    screen, window = rating_screen(screens, thanks_seconds=0.05)
    assert window.rating_panel is None
    with qtbot.waitSignal(screen.rating_changed, timeout=5000):
        uc.finish(screens.store, screens.clock, screens.config, "7")
    panel = window.rating_panel
    assert panel is not None
    assert panel.question() == ("How was our service today?", "كيف كانت خدمتنا اليوم؟")
    assert sorted(panel.faces) == [1, 2, 3, 4, 5]
    assert all(face.width() >= 110 and face.height() >= 110 for face in panel.faces.values())
    assert panel.skip.text() == "Skip  ·  تخطي"
    # An English ticket reads left to right: very unhappy on the left.
    assert panel.faces[1].x() < panel.faces[5].x()

    with qtbot.waitSignal(screen.rating_recorded, timeout=5000):
        qtbot.mouseClick(panel.faces[4], Qt.MouseButton.LeftButton)
    assert panel.thanking
    assert panel.thanks.text() == Bilingual("شكراً", "Thank you")
    assert feedback(screens) == [(number, 4)]
    qtbot.mouseClick(panel.faces[1], Qt.MouseButton.LeftButton)  # a second tap: nothing
    qtbot.waitUntil(lambda: window.rating_panel is None)  # the thanks go
    assert window.shown_status().en == "Please wait for your number"
    assert feedback(screens) == [(number, 4)]


def test_an_arabic_ticket_is_asked_in_arabic_first_and_a_touch_rates(
    qtbot: QtBot, screens: Screens
) -> None:
    number = serve(screens, "7", lang="ar")
    screen, window = rating_screen(screens)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(screen.rating_changed, timeout=5000):
        uc.finish(screens.store, screens.clock, screens.config, "7")
    panel = window.rating_panel
    assert panel is not None
    assert panel.question() == ("كيف كانت خدمتنا اليوم؟", "How was our service today?")
    assert panel.faces[1].x() > panel.faces[5].x()  # read from the right
    # A finger, not a mouse: Qt turns the touch into a click.
    face = panel.faces[2]
    device = QTest.createTouchDevice()
    at = face.mapTo(window, face.rect().center())
    with qtbot.waitSignal(screen.rating_recorded, timeout=5000):
        QTest.touchEvent(window, device).press(0, at, window).commit()
        QTest.touchEvent(window, device).release(0, at, window).commit()
    assert feedback(screens) == [(number, 2)]


def test_skip_and_the_time_out_record_nothing(qtbot: QtBot, screens: Screens) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    screen, window = rating_screen(screens, rating_seconds=0.2)
    serve(screens, "7")
    with qtbot.waitSignal(screen.rating_changed, timeout=5000):
        uc.finish(store, clock, config, "7")
    panel = window.rating_panel
    assert panel is not None
    qtbot.mouseClick(panel.skip, Qt.MouseButton.LeftButton)
    assert window.rating_panel is None

    serve(screens, "7")
    with qtbot.waitSignal(screen.rating_changed, timeout=5000):
        uc.finish(store, clock, config, "7")
    assert window.rating_panel is not None
    qtbot.waitUntil(lambda: window.rating_panel is None)  # nobody tapped
    assert feedback(screens) == []


def test_the_next_call_takes_the_faces_away(qtbot: QtBot, screens: Screens) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    screen, window = rating_screen(screens, rating_floor_seconds=0)
    serve(screens, "7")
    uc.issue_ticket(store, clock, config, "traffic-fines")
    with qtbot.waitSignal(screen.rating_changed, timeout=5000):
        uc.finish(store, clock, config, "7")
    assert window.rating_panel is not None
    with qtbot.waitSignal(screen.rating_changed, timeout=5000):
        uc.call_next(store, clock, config, "7")
    assert window.rating_panel is None
    assert window.shown_number() == "E002"
    assert window.shown_status().en == "Please come to this counter"


def test_done_and_call_next_still_gives_the_visitor_time_to_rate(
    qtbot: QtBot, screens: Screens
) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    _screen, window = rating_screen(screens, rating_floor_seconds=0.5)
    serve(screens, "7")
    uc.issue_ticket(store, clock, config, "traffic-fines")
    # F7: done and call next, committed back to back.
    uc.finish(store, clock, config, "7")
    uc.call_next(store, clock, config, "7")
    qtbot.waitUntil(lambda: window.shown_number() == "E002", timeout=5000)
    qtbot.waitUntil(lambda: window.rating_panel is not None, timeout=5000)
    panel = window.rating_panel
    assert panel is not None
    qtbot.mouseClick(panel.faces[5], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [rating for _, rating in feedback(screens)] == [5])
    qtbot.waitUntil(lambda: window.rating_panel is None, timeout=10000)


def test_a_ticket_rated_already_is_thanked_quietly(qtbot: QtBot, screens: Screens) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    number = serve(screens, "7")
    ratings = TaskRunner("test-ratings")
    screen, window = rating_screen(screens, ratings=ratings)
    with qtbot.waitSignal(screen.rating_changed, timeout=5000):
        uc.finish(store, clock, config, "7")
    record_feedback(store, clock, config, number, 5)  # another way, just before the tap
    panel = window.rating_panel
    assert panel is not None
    with qtbot.assertNotEmitted(screen.rating_recorded):
        qtbot.mouseClick(panel.faces[1], Qt.MouseButton.LeftButton)
        assert panel.thanking  # the visitor is thanked all the same
        qtbot.waitUntil(lambda: ratings.pending == 0)  # the refused write is back
    assert feedback(screens) == [(number, 5)]


def test_a_ticket_done_before_the_screen_started_is_not_rated(
    qtbot: QtBot, screens: Screens
) -> None:
    store, clock, config = screens.store, screens.clock, screens.config
    serve(screens, "7")
    uc.finish(store, clock, config, "7")  # before the screen starts: in the log, not live
    screen, window = rating_screen(screens)
    asked: list[object] = []
    screen.rating_changed.connect(asked.append)
    # Something live after it, which the screen shows: any replay would have come first.
    with qtbot.waitSignal(screen.ticket_changed, timeout=5000):
        serve(screens, "7")
    assert asked == []
    assert window.rating_panel is None
