"""The event hub: the server's own commits go out as they commit, a gap is read from the log."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from centre.domain import Event, EventType
from centre.port import EventFeed
from centre.store.tail import TimerWakeup
from server.hub import EventHub


class FakeLog:
    """A log in memory that counts its reads."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.reads = 0
        self._lock = threading.Lock()

    def append(self, count: int) -> list[Event]:
        """``count`` new events, as a commit appends them."""
        with self._lock:
            made = [
                replace(
                    Event.new(EventType.COUNTER_OPENED, datetime.now(UTC), counter="1"),
                    seq=len(self.events) + n + 1,
                )
                for n in range(count)
            ]
            self.events.extend(made)
        return made

    def read_after(self, seq: int, limit: int) -> tuple[int, list[Event]]:
        with self._lock:
            self.reads += 1
            head = len(self.events)
            return head, [e for e in self.events if (e.seq or 0) > seq][:limit]


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


class Running:
    """A hub on a loop of its own, with what it handed over."""

    def __init__(self, log: FakeLog) -> None:
        self.log = log
        self.listeners: list[Callable[[list[Event]], None]] = []
        self.heard: list[int] = []
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        # A poll far off: only the server's own commits and gaps make the hub read.
        feed = EventFeed(log, TimerWakeup(), 60.0, self.listeners)
        self.hub = EventHub(feed, on_events=self._heard)

    def _heard(self, events: list[Event]) -> None:
        self.heard.extend(e.seq or 0 for e in events)

    def commit(self, events: list[Event]) -> None:
        """What the store does after a commit: tell its listeners."""
        for listener in self.listeners:
            listener(events)

    def start(self) -> None:
        self._thread.start()
        self.hub.start(self.loop, 0)
        wait_until(lambda: self.log.reads >= 1)  # its first look at the log

    def published(self) -> int:
        return self.hub.head

    def stop(self) -> None:
        self.hub.stop()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


@pytest.fixture
def running() -> Iterator[Running]:
    made = Running(FakeLog())
    made.start()
    yield made
    made.stop()


def test_the_servers_own_commits_go_out_without_reading_the_log(running: Running) -> None:
    reads = running.log.reads
    for count in (1, 3, 1):
        running.commit(running.log.append(count))
    assert running.heard == [1, 2, 3, 4, 5]
    wait_until(lambda: running.published() == 5)
    assert running.log.reads == reads


def test_events_another_process_wrote_in_between_are_read_from_the_log(running: Running) -> None:
    running.commit(running.log.append(1))
    running.log.append(2)  # another process: no listener hears these
    running.commit(running.log.append(1))
    wait_until(lambda: running.heard == [1, 2, 3, 4])
    wait_until(lambda: running.published() == 4)


def test_commits_heard_out_of_order_go_out_in_order_once(running: Running) -> None:
    first = running.log.append(1)
    second = running.log.append(1)
    running.commit(second)  # its thread got there first
    wait_until(lambda: running.heard == [1, 2])
    running.commit(first)
    running.commit(running.log.append(1))
    wait_until(lambda: running.heard == [1, 2, 3])
    wait_until(lambda: running.published() == 3)
    assert running.heard == [1, 2, 3]


def test_a_subscriber_gets_each_event_once_in_order(running: Running) -> None:
    async def subscribe() -> object:
        subscription, _head = running.hub.subscribe("hall-1", None)
        return subscription

    subscription = asyncio.run_coroutine_threadsafe(subscribe(), running.loop).result(10)
    writers = [
        threading.Thread(target=lambda: [running.commit(running.log.append(1)) for _ in range(50)])
        for _ in range(4)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=10)

    async def drain() -> list[int]:
        got: list[int] = []
        while len(got) < 200:
            batch = await subscription.next_batch(5)  # type: ignore[attr-defined]
            assert batch, "the hub stopped handing events over"
            got.extend(e.seq or 0 for e in batch)
        return got

    seqs = asyncio.run_coroutine_threadsafe(drain(), running.loop).result(20)
    assert seqs == list(range(1, 201))
    # The hub gives a batch to the loop before it tells ``on_events``: the last may be
    # on its way still.
    wait_until(lambda: len(running.heard) >= 200)
    assert running.heard == list(range(1, 201))
