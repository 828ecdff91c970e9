"""The hall on a real store: calls show at once, recalls flash again, restarts lose nothing;
with a public address, the paperless-ticket QR shows and follows the code as it changes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PIL import ImageQt
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig, PublicConfig
from centre.errors import CentreUnreachable
from centre.local import LocalCentre
from centre.phones import JoinLink
from centre.store.tail import StoreLog
from centre.store.unit_of_work import Store
from display.follower import EventFollower
from display.hall import Call, HallViewModel, HallWindow, Message
from tests.unit.display.helpers import HangingLog, Screens, feed_of, screens_on
from tests.unit.printer.fakes import decode_qr_codes
from ui.tasks import TaskRunner

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


# -- the paperless-ticket QR ----------------------------------------------------

PUBLIC_URL = "https://dana.taboor.example"


def with_public_url(config: CentreConfig) -> CentreConfig:
    """``config`` with phones reaching the centre at :data:`PUBLIC_URL`."""
    return config.model_copy(update={"public": PublicConfig(url=PUBLIC_URL)})


@pytest.fixture
def public_screens(
    qtbot: QtBot, sqlite_store: Store, clock: FixedClock, config: CentreConfig
) -> Iterator[Screens]:
    """Screens of a centre that visitors' phones reach."""
    with screens_on(qtbot, sqlite_store, clock, with_public_url(config)) as made:
        yield made


def shown_qr_codes(window: HallWindow) -> list[str]:
    """What a phone held up to the whole screen reads."""
    return decode_qr_codes(ImageQt.fromqpixmap(window.grab()))


def joined(qtbot: QtBot, hall: HallViewModel) -> JoinLink:
    """The address the hall shows, once it has been read."""
    qtbot.waitUntil(lambda: hall.join is not None, timeout=3000)
    assert hall.join is not None
    return hall.join


def test_without_a_public_address_the_hall_shows_no_qr(
    qtbot: QtBot, sqlite_screens: Screens
) -> None:
    runner = TaskRunner("hall-test")
    hall = sqlite_screens.hall(runner=runner)
    window = sqlite_screens.hall_window(hall)
    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(lambda: runner.pending == 0)  # the address has been asked for
    assert hall.join is None
    assert window.shown_join() is None
    assert shown_qr_codes(window) == []


@pytest.mark.parametrize(("size", "portrait"), [((1920, 1080), False), ((1080, 1920), True)])
def test_the_hall_shows_the_paperless_qr_beside_the_calls(
    qtbot: QtBot, public_screens: Screens, size: tuple[int, int], portrait: bool
) -> None:
    hall = public_screens.hall()
    window = public_screens.hall_window(hall)
    window.resize(*size)
    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(lambda: window.is_portrait() == portrait)
    link = joined(qtbot, hall)
    assert link == public_screens.centre.join_link()
    assert link.url.startswith(f"{PUBLIC_URL}/j/")
    qtbot.waitUntil(lambda: window.shown_join() == link.url)
    # Once the screen has drawn it at its new size (a loaded machine lays out later).
    qtbot.waitUntil(lambda: shown_qr_codes(window) == [link.url])
    assert window.join_caption().en == "Take your ticket on your phone"
    assert window.join_caption().ar == "خذ تذكرتك على هاتفك"
    # Big enough to read from a few steps away, and clear of the calls.
    areas = window.areas()
    assert min(areas["join"].width(), areas["join"].height()) >= 240
    assert window.rect().contains(areas["join"])
    assert not areas["join"].intersects(areas["now"])
    assert not areas["join"].intersects(areas["recent"])


def test_the_qr_changes_when_its_code_expires(qtbot: QtBot, public_screens: Screens) -> None:
    hall = public_screens.hall()
    window = public_screens.hall_window(hall)
    with qtbot.waitExposed(window):
        window.show()
    first = joined(qtbot, hall)
    # The centre's clock passes expires_at: no minute of waiting, the hall asks again.
    public_screens.clock.set(first.expires_at + timedelta(seconds=1))
    with qtbot.waitSignal(hall.join_changed, timeout=3000) as changed:
        pass
    second: JoinLink = changed.args[0]
    assert second.url != first.url
    assert second.expires_at == first.expires_at + timedelta(seconds=60)
    qtbot.waitUntil(lambda: window.shown_join() == second.url)
    qtbot.waitUntil(lambda: shown_qr_codes(window) == [second.url])


class AwayCentre(LocalCentre):
    """The in-process centre, whose paperless-ticket address cannot be read while ``away``;
    ``slow`` holds each read until set; ``asked`` counts the reads and their threads."""

    def __init__(self, store: Store, clock: FixedClock, config: CentreConfig) -> None:
        super().__init__(store, clock, config)
        self.away = False
        self.slow = threading.Event()
        self.slow.set()
        self.asked: list[threading.Thread] = []

    def join_link(self) -> JoinLink | None:
        """As the store says, unless away (held while slow)."""
        self.asked.append(threading.current_thread())
        self.slow.wait(timeout=10)
        if self.away:
            raise CentreUnreachable("the centre server does not answer")
        return super().join_link()


@pytest.fixture
def away_hall(
    qtbot: QtBot, sqlite_store: Store, clock: FixedClock, config: CentreConfig
) -> Iterator[tuple[AwayCentre, HallViewModel]]:
    """A started hall on an :class:`AwayCentre` with a public address, asking again in 50 ms."""
    centre = AwayCentre(sqlite_store, clock, with_public_url(config))
    hall = HallViewModel(centre, EventFollower.for_port(centre), join_retry_ms=50)
    try:
        with qtbot.waitSignal(hall.loaded, timeout=5000):
            hall.start()
        yield centre, hall
    finally:
        centre.slow.set()
        hall.stop()


def test_a_centre_out_of_reach_keeps_the_qr_while_it_works_and_asks_again_soon(
    qtbot: QtBot, away_hall: tuple[AwayCentre, HallViewModel], clock: FixedClock
) -> None:
    centre, hall = away_hall
    first = joined(qtbot, hall)
    centre.away = True
    asked = len(centre.asked)
    clock.set(first.expires_at + timedelta(seconds=1))
    # Asked again and again, soon, while the centre is away; the code shown stays, since
    # the server still takes the previous code.
    qtbot.waitUntil(lambda: len(centre.asked) >= asked + 3, timeout=3000)
    assert hall.join == first
    # Once even the server would refuse it, a QR that leads nowhere is taken down.
    with qtbot.waitSignal(hall.join_changed, timeout=3000) as gone:
        clock.set(first.expires_at + timedelta(seconds=61))
    assert gone.args[0] is None
    # The centre is back: the QR with the code of now.
    with qtbot.waitSignal(hall.join_changed, timeout=3000) as back:
        centre.away = False
    assert back.args[0] == centre.join_link()


def test_reading_the_address_never_holds_up_the_screen(
    qtbot: QtBot, away_hall: tuple[AwayCentre, HallViewModel], clock: FixedClock
) -> None:
    centre, hall = away_hall
    first = joined(qtbot, hall)
    centre.slow.clear()
    clock.set(first.expires_at + timedelta(seconds=1))
    qtbot.waitUntil(lambda: len(centre.asked) >= 2, timeout=3000)
    # The read hangs on its worker; the hall's clock still ticks on the GUI thread.
    with qtbot.waitSignal(hall.time_changed, timeout=3000):
        pass
    assert hall.join == first
    with qtbot.waitSignal(hall.join_changed, timeout=3000):
        centre.slow.set()
    assert threading.main_thread() not in centre.asked
