"""One tail of the event log, fanned out to every stream the centre server serves.

The server's own commits are handed to the event loop as they commit,
without reading them back. A thread reads the log after the last event
handed over: on PostgreSQL's NOTIFY of a later seq and on a short poll, for
writes by other processes, and at once when one of the server's commits
does not follow on from the last event. The loop gives each batch to every subscriber. A
subscriber that falls too far behind (a client reading too slowly) is
dropped, so no client can grow the server's memory; it reconnects with
``Last-Event-ID`` and loses nothing.

Resuming after seq ``S`` with the head at ``H``: the subscription is
registered first (it receives every event after ``H`` as published), then
the events ``S < seq <= H`` come from the recent events kept in memory or,
for an older ``S``, from the store, so nothing is missed and nothing repeats.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from centre.domain import Event, EventType
from centre.port import EventFeed, EventLog
from centre.retry import RetrySchedule
from centre.store.tail import PgNotifyWakeup

log = logging.getLogger(__name__)

#: Events kept in memory for resuming streams without reading the store.
RECENT = 10_000
#: Events a subscriber may have waiting before it counts as too slow and is dropped.
BACKLOG_LIMIT = 5_000
#: Events read from the store at a time.
BATCH = 500
#: Waits between attempts to read the log after it failed.
RETRY = RetrySchedule(base=0.25, cap=5.0)


class Dropped(Exception):
    """The subscription was closed by the hub: revoked, too slow, or the server stopping."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(eq=False)
class Subscription:
    """One stream's place in the fan-out: events waiting to be sent, and why it ended."""

    device: str
    after: int
    limit: int = BACKLOG_LIMIT
    _pending: deque[Event] = field(default_factory=deque)
    _ready: asyncio.Event = field(default_factory=asyncio.Event)
    closed: str | None = None
    # The task sending this stream: cancelled when the subscription is dropped, so a
    # client that stopped reading (its sends blocked) is cut off, not kept.
    task: asyncio.Task[object] | None = None

    def offer(self, events: list[Event]) -> bool:
        """Queue ``events`` (on the loop); False when the subscriber is too far behind."""
        if self.closed is not None:
            return True
        if len(self._pending) + len(events) > self.limit:
            return False
        self._pending.extend(events)
        self._ready.set()
        return True

    def close(self, reason: str, *, cut: bool = False) -> None:
        """End the subscription; the stream sees :class:`Dropped` at its next read.

        ``cut``: also cancel the task sending it, which may be stuck sending to a
        client that stopped reading.
        """
        if self.closed is None:
            self.closed = reason
            self._pending.clear()
            self._ready.set()
            if cut and self.task is not None and self.task is not asyncio.current_task():
                self.task.cancel()

    async def next_batch(self, timeout: float) -> list[Event]:
        """The events queued since the last call (empty after ``timeout`` without any)."""
        if not self._pending and self.closed is None:
            self._ready.clear()
            try:
                # A timeout rather than wait_for: no task made per wait, for each of 1,000 streams.
                async with asyncio.timeout(timeout):
                    await self._ready.wait()
            except TimeoutError:
                return []
        if self.closed is not None:
            raise Dropped(self.closed)
        batch = list(self._pending)
        self._pending.clear()
        return batch


class EventHub:
    """Follows the store's log in one thread and fans each event out to every subscriber.

    ``on_events`` hears every batch handed over, in seq order, each event once.
    """

    def __init__(
        self,
        feed: EventFeed,
        *,
        recent: int = RECENT,
        backlog_limit: int = BACKLOG_LIMIT,
        on_events: Callable[[list[Event]], None] | None = None,
    ) -> None:
        self._feed = feed
        self._backlog_limit = backlog_limit
        self._recent: deque[Event] = deque(maxlen=recent)
        self._subscribers: set[Subscription] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._head = 0  # the last seq published (owned by the loop)
        self._read_seq = 0  # the last seq handed to the loop (guarded by _handing)
        # Held while handing events over, so batches reach the loop in seq order
        # whether the tail thread read them or a committing thread brought them.
        self._handing = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._on_events = on_events
        self.healthy = True

    @property
    def head(self) -> int:
        """The seq of the last event published."""
        return self._head

    @property
    def subscribers(self) -> int:
        """How many streams follow the hub now."""
        return len(self._subscribers)

    @property
    def log(self) -> EventLog:
        """The log the hub reads (for resuming from further back than it keeps)."""
        return self._feed.log

    def start(self, loop: asyncio.AbstractEventLoop, after_seq: int) -> None:
        """Follow the log from ``after_seq`` on, publishing on ``loop``."""
        self._loop = loop
        self._head = self._read_seq = after_seq
        if self._feed.commit_listeners is not None:
            self._feed.commit_listeners.append(self._on_local_commit)
        if isinstance(self._feed.wakeup, PgNotifyWakeup):
            # The NOTIFY of a commit handed over already is old news: no read for it.
            self._feed.wakeup.heard_through(lambda: self._read_seq)
        self._thread = threading.Thread(target=self._run, name="event-hub", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop tailing and end every stream."""
        self._stopping.set()
        self._feed.wakeup.interrupt()
        listeners = self._feed.commit_listeners
        if listeners is not None and self._on_local_commit in listeners:
            listeners.remove(self._on_local_commit)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._feed.wakeup.close()
        self.end_streams("the server is stopping")

    def wake(self) -> None:
        """Read the log now (safe from any thread)."""
        self._feed.wakeup.interrupt()

    # -- subscribing (on the loop) --------------------------------------------

    def subscribe(self, device: str, after: int | None) -> tuple[Subscription, int]:
        """A subscription receiving every event published from now on, and the head it starts at.

        The caller sends the events after ``after`` up to that head first
        (:meth:`recent_after`, or the store for older ones).
        """
        head = self._head
        start = head if after is None or after > head else after
        subscription = Subscription(device, start, self._backlog_limit)
        self._subscribers.add(subscription)
        return subscription, head

    def unsubscribe(self, subscription: Subscription) -> None:
        """Forget a subscription (its stream ended)."""
        self._subscribers.discard(subscription)

    def recent_after(self, seq: int, head: int) -> list[Event] | None:
        """The events after ``seq`` up to ``head`` from memory (``None``: some are gone)."""
        if seq >= head:
            return []
        if not self._recent or (self._recent[0].seq or 0) > seq + 1:
            return None
        return [e for e in self._recent if seq < (e.seq or 0) <= head]

    def end_streams(self, reason: str) -> None:
        """End every stream now (the server is shutting down; clients resume elsewhere)."""
        for subscriber in list(self._subscribers):
            subscriber.close(reason)
        self._subscribers.clear()

    def close_device(self, device: str, reason: str) -> int:
        """End every stream of ``device`` (revoked); returns how many."""
        ended = 0
        for subscriber in list(self._subscribers):
            if subscriber.device == device:
                subscriber.close(reason)
                self._subscribers.discard(subscriber)
                ended += 1
        return ended

    # -- publishing (on the loop) ---------------------------------------------

    def _publish(self, events: list[Event]) -> None:
        fresh = [e for e in events if (e.seq or 0) > self._head]
        if not fresh:
            return
        self._head = fresh[-1].seq or self._head
        self._recent.extend(fresh)
        for subscriber in list(self._subscribers):
            if not subscriber.offer(fresh):
                log.warning("stream of %s dropped: it reads too slowly", subscriber.device)
                subscriber.close("too slow: reconnect and resume", cut=True)
                self._subscribers.discard(subscriber)
        for event in fresh:
            if event.type is EventType.DEVICE_REVOKED:
                name = str(event.data.get("device", ""))
                if self.close_device(name, "this device was revoked"):
                    log.info("closed the streams of revoked device %s", name)

    # -- the tail thread -------------------------------------------------------

    def _on_local_commit(self, events: list[Event]) -> None:
        # On the committing thread, just after its commit: events that follow on from
        # the last handed over go straight to the loop. A gap (another process wrote
        # in between, or a later commit's thread got here first) is read from the log.
        if not events:
            return
        with self._handing:
            fresh = [e for e in events if (e.seq or 0) > self._read_seq]
            if not fresh:
                return
            if (fresh[0].seq or 0) == self._read_seq + 1:
                self._hand_over(fresh)
                return
        self._feed.wakeup.interrupt()

    def _hand_over(self, events: list[Event]) -> None:
        # Holding _handing; ``events`` follow on from _read_seq, in order.
        self._read_seq = events[-1].seq or self._read_seq
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(self._publish, events)
        if self._on_events is not None:
            self._on_events(events)

    def _run(self) -> None:
        failures = 0
        timeout = 0.0
        while not self._stopping.is_set():
            try:
                self._feed.wakeup.wait(timeout)
                if self._stopping.is_set():
                    break
                self._catch_up()
            except Exception as error:  # any failure: log it, back off, read again
                if self._stopping.is_set():
                    break
                if self.healthy:
                    log.warning("cannot read the event log: %s", " ".join(str(error).split()))
                self.healthy = False
                self._stopping.wait(RETRY.delay(failures))
                failures += 1
                timeout = 0.0
                continue
            if not self.healthy:
                log.info("the event log is readable again")
            self.healthy = True
            failures = 0
            timeout = self._feed.poll_seconds

    def _catch_up(self) -> None:
        while not self._stopping.is_set():
            head, events = self._feed.log.read_after(self._read_seq, BATCH)
            with self._handing:
                # Commits of this process may have been handed over during the read.
                fresh = [e for e in events if (e.seq or 0) > self._read_seq]
                if fresh:
                    self._hand_over(fresh)
                if self._read_seq >= head or not events:
                    return


async def stream_events(
    hub: EventHub,
    subscription: Subscription,
    head: int,
    read_older: Callable[[int, int], Awaitable[list[Event]]],
    *,
    keepalive_seconds: float,
) -> AsyncIterator[list[Event] | None]:
    """The batches of one stream: first the backlog up to ``head``, then live; ``None``: idle.

    ``read_older(after, limit)`` reads the store when the backlog reaches
    further back than the hub keeps in memory. Raises :class:`Dropped` when
    the hub ends the subscription.
    """
    sent = subscription.after
    while sent < head:
        backlog = hub.recent_after(sent, head)
        if backlog is None:
            backlog = [e for e in await read_older(sent, BATCH) if (e.seq or 0) <= head]
        backlog = backlog[:BATCH]
        if not backlog:
            break
        sent = backlog[-1].seq or sent
        yield backlog
    while True:
        batch = await subscription.next_batch(keepalive_seconds)
        if not batch:
            yield None
            continue
        fresh = [e for e in batch if (e.seq or 0) > sent]
        if fresh:
            sent = fresh[-1].seq or sent
            yield fresh


__all__ = ["BACKLOG_LIMIT", "RECENT", "Dropped", "EventHub", "Subscription", "stream_events"]
