"""The hall on a real store says each live call aloud and gives calls made at once a turn each."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from centre import usecases as uc
from centre.store.tail import StoreLog
from display.announcer import Announcer, FileSpeaker, Voice
from display.follower import EventFollower
from display.hall import Call, HallViewModel, HallWindow
from display.voices import VOICE_DIR
from tests.unit.display.helpers import HeldLog, Screens, assert_said, feed_of, pcm_of, written

pytestmark = pytest.mark.usefixtures("qt_disconnects_guarded")

# The file speaker takes this share of an announcement's length: calls keep their order, fast.
PACE = 0.03


@pytest.fixture(scope="module")
def voice() -> Voice:
    """The shipped voice, Arabic then English as the demo centre says."""
    return Voice.load(VOICE_DIR, ["ar", "en"])


@pytest.fixture
def said(tmp_path: Path) -> Path:
    """The folder the hall's file speaker writes announcements into."""
    return tmp_path / "said"


@pytest.fixture
def announcer(voice: Voice, said: Path) -> Iterator[Announcer]:
    """An announcer writing WAV files (what ``TABOOR_SPEAKER=file:DIR`` gives a hall)."""
    made = Announcer(voice, FileSpeaker(said, pace=PACE), languages=["ar", "en"])
    yield made
    made.stop()


def issue(screens: Screens, *services: str) -> None:
    for service in services:
        uc.issue_ticket(screens.store, screens.clock, screens.config, service)
        screens.clock.advance(timedelta(seconds=10))


def call(screens: Screens, counter: str) -> str:
    called = uc.call_next(screens.store, screens.clock, screens.config, counter)
    assert called is not None
    return called.ticket.number


def titles(folder: Path) -> list[str]:
    """The announcements written, in order, as ``<ticket>-counter-<id>``."""
    return [path.stem.split("-", 1)[1] for path in written(folder)]


def record(announcer: Announcer) -> tuple[list[str], Callable[[HallViewModel], None]]:
    """What happens, in order: "shown A001" (its turn starts), "said A001" (its announcement ends).

    Connected to the announcer before the hall is made, and so told of an end
    before the hall is, which starts the next turn then.
    """
    seen: list[str] = []
    announcer.finished.connect(lambda a: seen.append(f"said {a.number}"))

    def watch(hall: HallViewModel) -> None:
        hall.call_shown.connect(lambda c: seen.append(f"shown {c.number}"))

    return seen, watch


def idle(announcer: Announcer) -> Callable[[], bool]:
    return lambda: announcer.playing is None and not announcer.queued


def held_hall(screens: Screens, **options: Any) -> tuple[HallViewModel, HeldLog]:
    """A hall whose reads of the log can be held, so that calls made meanwhile reach it at once."""
    log = HeldLog(StoreLog(screens.store))
    follower = EventFollower(feed_of(log))
    hall = screens.hall(follower=follower, **options)
    screens.started.append(log.release)  # before the hall stops (they stop in reverse)
    return hall, log


def snapshots(hall: HallViewModel, window: HallWindow) -> list[tuple[str, bool, list[str]]]:
    """What the window shows as each call gets its turn: (number large, highlighted, listed)."""
    seen: list[tuple[str, bool, list[str]]] = []
    hall.call_shown.connect(
        lambda _: seen.append(
            (
                window.shown_number(),
                window.shows_highlight(),
                [number for number, _ in window.shown_recent()],
            )
        )
    )
    return seen


def test_a_live_call_is_said_with_the_chime_in_arabic_then_english(
    qtbot: QtBot, screens: Screens, announcer: Announcer, voice: Voice, said: Path
) -> None:
    hall = screens.hall(announcer=announcer)
    issue(screens, "licence-renewal", "traffic-fines")
    number = call(screens, "3")
    assert number == "A001"
    qtbot.waitUntil(lambda: len(written(said)) == 1)
    qtbot.waitUntil(idle(announcer))
    assert titles(said) == ["A001-counter-3"]
    assert_said(
        pcm_of(written(said)[0]),
        voice,
        [
            *["chime", "ar/ticket", "ar/letter-a", "ar/1", "ar/counter", "ar/3"],
            *["en/ticket", "en/letter-a", "en/1", "en/counter", "en/3"],
        ],
    )
    assert hall.current is not None
    assert hall.current.number == "A001"


def test_a_recall_is_said_again(
    qtbot: QtBot, screens: Screens, announcer: Announcer, said: Path
) -> None:
    screens.hall(announcer=announcer, highlight_seconds=0.05)
    issue(screens, "licence-renewal")
    call(screens, "1")
    qtbot.waitUntil(lambda: len(written(said)) == 1)
    qtbot.waitUntil(idle(announcer))
    uc.recall(screens.store, screens.clock, screens.config, "1")
    qtbot.waitUntil(lambda: len(written(said)) == 2)
    qtbot.waitUntil(idle(announcer))
    assert titles(said) == ["A001-counter-1", "A001-counter-1"]


def test_calls_replayed_when_the_hall_restarts_are_not_said_again(
    qtbot: QtBot, screens: Screens, announcer: Announcer, said: Path
) -> None:
    issue(screens, "licence-renewal", "licence-renewal", "traffic-fines")
    first, second = call(screens, "1"), call(screens, "2")
    uc.recall(screens.store, screens.clock, screens.config, "1")
    # The hall starts (again) mid-day: it shows what was called, and says none of it.
    hall = screens.hall(announcer=announcer, highlight_seconds=0.05)
    assert [c.number for c in hall.calls] == [first, second]
    assert hall.current is not None
    assert hall.current.number == first
    assert not hall.highlighted
    assert announcer.playing is None
    # The first call made after it started is said, and only that one.
    third = call(screens, "7")
    qtbot.waitUntil(lambda: len(written(said)) == 1)
    qtbot.waitUntil(idle(announcer))
    assert titles(said) == [f"{third}-counter-7"]


def test_two_calls_at_once_each_get_a_turn_in_step_with_its_announcement(
    qtbot: QtBot, screens: Screens, announcer: Announcer, said: Path
) -> None:
    seen, watch = record(announcer)
    hall, log = held_hall(screens, announcer=announcer, highlight_seconds=0.05)
    watch(hall)
    window = screens.hall_window(hall)
    shows = snapshots(hall, window)
    issue(screens, "licence-renewal", "licence-renewal")
    # Two clerks press "call" together: both committed before the hall hears of either.
    log.hold()
    first, second = call(screens, "1"), call(screens, "2")
    log.release()
    qtbot.waitUntil(lambda: len(shows) == 2)
    # The first is shown large and highlighted, the second listed at once, waiting its turn;
    # then the second has its turn (the first listed), once the first has been said to the end.
    assert shows == [(first, True, [second]), (second, True, [first])]
    assert window.shown_counter() == "2"
    qtbot.waitUntil(lambda: not hall.highlighted)
    assert seen == [f"shown {first}", f"said {first}", f"shown {second}", f"said {second}"]
    assert titles(said) == [f"{first}-counter-1", f"{second}-counter-2"]
    assert not window.shows_highlight()
    assert window.shown_number() == second
    assert hall.waiting == []


def test_without_an_announcer_calls_at_once_take_turns_by_the_clock(
    qtbot: QtBot, screens: Screens
) -> None:
    hall = screens.hall(highlight_seconds=0.1)
    shown: list[Call] = []
    hall.call_shown.connect(shown.append)
    issue(screens, "licence-renewal", "licence-renewal", "traffic-fines")
    numbers = [call(screens, counter) for counter in ("1", "2", "3")]
    qtbot.waitUntil(lambda: len(shown) == 3)
    assert [c.number for c in shown] == numbers
    assert [c.counter for c in shown] == ["1", "2", "3"]
    qtbot.waitUntil(lambda: not hall.highlighted)
    assert hall.current == shown[-1]
    assert hall.waiting == []


def test_a_recall_before_its_turn_keeps_one_turn_and_a_recall_after_gets_another(
    qtbot: QtBot, screens: Screens, announcer: Announcer, said: Path
) -> None:
    hall, log = held_hall(screens, announcer=announcer, highlight_seconds=0.05)
    shown: list[Call] = []
    hall.call_shown.connect(shown.append)
    issue(screens, "licence-renewal", "licence-renewal")
    log.hold()
    first, second = call(screens, "1"), call(screens, "2")
    uc.recall(screens.store, screens.clock, screens.config, "2")
    log.release()
    qtbot.waitUntil(lambda: len(shown) == 2 and not hall.highlighted)
    assert [(c.number, c.recall) for c in shown] == [(first, False), (second, True)]
    uc.recall(screens.store, screens.clock, screens.config, "1")
    qtbot.waitUntil(lambda: len(shown) == 3)
    assert (shown[-1].number, shown[-1].recall) == (first, True)
    assert hall.highlighted
    qtbot.waitUntil(idle(announcer))
    qtbot.waitUntil(lambda: not hall.highlighted)
    assert titles(said) == [f"{first}-counter-1", f"{second}-counter-2", f"{first}-counter-1"]


def test_a_burst_of_calls_is_listed_at_once_and_each_said_in_turn(
    qtbot: QtBot, screens: Screens, announcer: Announcer, said: Path
) -> None:
    hall, log = held_hall(screens, announcer=announcer, highlight_seconds=0.0, max_waiting=4)
    window = screens.hall_window(hall)
    shows = snapshots(hall, window)
    issue(screens, *["licence-renewal", "vehicle-registration", "traffic-fines"] * 2)
    log.hold()
    numbers = [call(screens, counter) for counter in ("1", "2", "3", "4", "5", "7")]
    log.release()
    qtbot.waitUntil(lambda: len(shows) == 5, timeout=10_000)
    qtbot.waitUntil(lambda: not hall.highlighted and announcer.playing is None)
    # Six at once, all listed from the first turn on; four wait their turn, and the oldest
    # beyond that is listed only (the hall's queue is bounded).
    assert shows[0] == (numbers[0], True, numbers[:0:-1])
    assert [number for number, _, _ in shows] == [numbers[0], *numbers[2:]]
    assert [title.split("-")[0] for title in titles(said)] == [numbers[0], *numbers[2:]]
