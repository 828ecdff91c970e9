"""The screen over a counter on a real store: its ticket appears, flashes, and goes."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from centre import usecases as uc
from tests.unit.display.helpers import Screens
from ui.i18n import Bilingual

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
