"""The follower on a scripted log: order, exactly once, outages and catching up."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from centre.domain import Event
from centre.port import EventFeed
from centre.store.tail import TimerWakeup
from display.follower import EventFollower
from tests.unit.display.helpers import FakeLog, follower_of


class Recorder:
    """Keeps what a follower delivers and reports."""

    def __init__(self, follower: EventFollower) -> None:
        self.seqs: list[int] = []
        self.batches = 0
        self.lost: list[str] = []
        self.restored = 0
        follower.events_arrived.connect(self._arrived)
        follower.connection_lost.connect(self.lost.append)
        follower.connection_restored.connect(self._restored)

    def _arrived(self, events: list[Event]) -> None:
        self.batches += 1
        self.seqs.extend(e.seq or 0 for e in events)

    def _restored(self) -> None:
        self.restored += 1


@pytest.fixture
def log() -> FakeLog:
    return FakeLog()


@pytest.fixture
def follower(log: FakeLog) -> Iterator[EventFollower]:
    made = follower_of(log, batch=4, stale_seconds=0.4)
    yield made
    made.stop()


def test_delivers_every_event_after_the_start_in_order_once(
    qtbot: QtBot, log: FakeLog, follower: EventFollower
) -> None:
    log.append(10)
    seen = Recorder(follower)
    follower.start(after_seq=3)
    qtbot.waitUntil(lambda: seen.seqs[-1:] == [10], timeout=2000)
    log.append(5)
    qtbot.waitUntil(lambda: seen.seqs[-1:] == [15], timeout=2000)
    assert seen.seqs == list(range(4, 16))
    assert seen.batches >= 2  # read in batches of at most 4
    assert follower.last_seq == 15
    assert seen.lost == []


def test_an_outage_is_reported_once_then_caught_up_without_a_gap(
    qtbot: QtBot, log: FakeLog, follower: EventFollower
) -> None:
    log.append(2)
    seen = Recorder(follower)
    follower.start(after_seq=0)
    qtbot.waitUntil(lambda: seen.seqs == [1, 2], timeout=2000)
    log.failing = True
    with qtbot.waitSignal(follower.connection_lost, timeout=2000):
        pass
    log.append(3)  # committed while the screen could not read
    qtbot.wait(600)  # several failed retries: still one report
    assert len(seen.lost) == 1
    assert "went away" in seen.lost[0]
    assert not follower.is_connected
    with qtbot.waitSignal(follower.connection_restored, timeout=3000):
        log.heal()
    qtbot.waitUntil(lambda: seen.seqs[-1:] == [5], timeout=2000)
    assert seen.seqs == [1, 2, 3, 4, 5]
    assert seen.restored == 1
    assert follower.is_connected


def test_a_read_that_hangs_counts_as_lost_until_it_answers(
    qtbot: QtBot, log: FakeLog, follower: EventFollower
) -> None:
    seen = Recorder(follower)
    follower.start(after_seq=0)
    qtbot.waitUntil(lambda: log.reads > 0, timeout=2000)
    log.hang()
    log.append(2)
    with qtbot.waitSignal(follower.connection_lost, timeout=3000) as lost:
        pass
    assert "has not answered" in lost.args[0]
    with qtbot.waitSignal(follower.connection_restored, timeout=3000):
        log.heal()
    qtbot.waitUntil(lambda: seen.seqs == [1, 2], timeout=2000)


def test_nothing_arrives_after_stop(qtbot: QtBot, log: FakeLog, follower: EventFollower) -> None:
    seen = Recorder(follower)
    follower.start(after_seq=0)
    log.append(1)
    qtbot.waitUntil(lambda: seen.seqs == [1], timeout=2000)
    follower.stop()
    assert not follower.is_running
    log.append(3)
    qtbot.wait(200)
    assert seen.seqs == [1]


def test_a_local_commit_wakes_the_reader_at_once(qtbot: QtBot, log: FakeLog) -> None:
    listeners: list[Callable[[list[Event]], None]] = []
    # A poll so slow that only the local commit can explain a quick delivery.
    follower = EventFollower(EventFeed(log, TimerWakeup(), 30, commit_listeners=listeners))
    seen = Recorder(follower)
    follower.start(after_seq=0)
    try:
        qtbot.waitUntil(lambda: log.reads > 0, timeout=2000)
        assert len(listeners) == 1
        log.append(1)
        listeners[0]([log.events[0]])
        qtbot.waitUntil(lambda: seen.seqs == [1], timeout=1000)
    finally:
        follower.stop()
    assert listeners == []


def test_starting_twice_is_a_mistake(follower: EventFollower) -> None:
    follower.start(after_seq=0)
    with pytest.raises(RuntimeError, match="already running"):
        follower.start(after_seq=0)
