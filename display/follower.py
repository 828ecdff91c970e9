"""Live updates: follow the centre's log and hand each new event to the screens once, in order.

A background thread reads the log after the last ``seq`` it delivered, waking
when the centre's :class:`centre.port.EventFeed` says the log may have grown
(in process: a 100 ms poll on SQLite, ``LISTEN`` on PostgreSQL, and at once
on this process's own commits; over HTTP: the server's event stream) and
looking anyway every ``poll_seconds``. The log is in ``seq`` order, so
reading "after the last seq" neither skips nor repeats one, also after an outage.
"""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

from centre.domain import Event
from centre.port import CentrePort, EventFeed
from ui.signals import emit

log = logging.getLogger(__name__)

# A read that has not answered for this long counts as a lost connection
# (SQLite waits its whole 30 s busy timeout; a silent network hangs longer).
STALE_SECONDS = 3.0
BATCH = 500
_RETRY_SECONDS = (0.25, 0.5, 1.0, 2.0)


class EventFollower(QObject):
    """Follows the event log from a background thread; its signals arrive on the GUI thread."""

    # list[Event]: events newer than any delivered before, in seq order, each exactly once
    events_arrived = Signal(object)
    # str: why (one line, English, for the log): the log cannot be read now
    connection_lost = Signal(str)
    # (no arguments) the log is readable again; events missed meanwhile follow in events_arrived
    connection_restored = Signal()

    # internal, emitted on the reading thread: list[Event] read / it read fine / str: why it failed
    _batch_read = Signal(object)
    _read_ok = Signal()
    _read_failed = Signal(str)

    def __init__(
        self,
        feed: EventFeed,
        *,
        stale_seconds: float = STALE_SECONDS,
        batch: int = BATCH,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._log = feed.log
        self._wakeup = feed.wakeup
        self._poll_seconds = feed.poll_seconds
        self._stale_seconds = stale_seconds
        self._batch = batch
        self._commit_listeners = feed.commit_listeners
        self._read_seq = 0  # owned by the reading thread
        self._delivered_seq = 0
        self._connected = True
        self._busy_since: float | None = None
        self._failing = False  # owned by the reading thread: its last attempt failed
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._batch_read.connect(self._deliver)
        self._read_ok.connect(self._on_read_ok)
        self._read_failed.connect(self._on_read_failed)
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(max(int(stale_seconds * 1000) // 4, 50))
        self._watchdog.timeout.connect(self._check_stale)

    @classmethod
    def for_port(
        cls, centre: CentrePort, *, name: str = "taboor-display", parent: QObject | None = None
    ) -> EventFollower:
        """A follower of ``centre``'s log, on a feed of its own.

        ``name`` says whose feed it is (in process on PostgreSQL: the listening
        connection's ``application_name``).
        """
        return cls(centre.event_feed(name), parent=parent)

    @property
    def last_seq(self) -> int:
        """The seq of the last event delivered (or the one following started after)."""
        return self._delivered_seq

    @property
    def is_connected(self) -> bool:
        """Whether the log was readable at the last attempt."""
        return self._connected

    @property
    def is_running(self) -> bool:
        """Whether it follows the log now."""
        return self._thread is not None

    def start(self, after_seq: int) -> None:
        """Deliver every event after ``after_seq``, then each new one as it is committed."""
        if self._thread is not None:
            raise RuntimeError("the follower is already running")
        self._read_seq = self._delivered_seq = after_seq
        self._stopping.clear()
        if self._commit_listeners is not None:
            self._commit_listeners.append(self._on_local_commit)
        self._thread = threading.Thread(target=self._run, name="event-follower", daemon=True)
        self._thread.start()
        self._watchdog.start()

    def stop(self) -> None:
        """Stop following and release the connection; no signal is emitted afterwards."""
        if self._thread is None:
            return
        self._stopping.set()
        self._wakeup.interrupt()
        self._watchdog.stop()
        if self._commit_listeners is not None and self._on_local_commit in self._commit_listeners:
            self._commit_listeners.remove(self._on_local_commit)
        # A read stuck on a dead database or link may outlive this wait; it is a daemon
        # thread and emits nothing once stopping is set.
        self._thread.join(timeout=2.0)
        self._wakeup.close()
        self._thread = None

    # -- the reading thread ------------------------------------------------

    def _on_local_commit(self, events: list[Event]) -> None:
        if events:
            self._wakeup.interrupt()

    def _run(self) -> None:
        failures = 0
        timeout = 0.0  # read at once on start
        while not self._stopping.is_set():
            try:
                self._wakeup.wait(timeout)
                if self._stopping.is_set():
                    break
                self._catch_up()
            except Exception as error:  # any failure: report it, back off, read again
                self._busy_since = None
                if self._stopping.is_set():
                    break
                reason = " ".join(str(error).split()) or type(error).__name__
                log.warning("event log unreadable: %s", reason)
                self._failing = True
                self._emit(self._read_failed, reason)
                delay = _RETRY_SECONDS[min(failures, len(_RETRY_SECONDS) - 1)]
                failures += 1
                self._stopping.wait(delay)
                timeout = 0.0  # after a failure, read as soon as the link is back
                continue
            failures = 0
            timeout = self._poll_seconds

    def _catch_up(self) -> None:
        first = True
        while not self._stopping.is_set():
            self._busy_since = time.monotonic()
            head, events = self._log.read_after(self._read_seq, self._batch)
            self._busy_since = None
            if first and (self._failing or not self._connected):
                # The screen may still believe it is connected (the failure
                # report is queued), or may have declared it lost itself.
                self._failing = False
                self._emit(self._read_ok)
            first = False
            if not events:
                return
            last = events[-1].seq
            if last is None or last <= self._read_seq:
                raise RuntimeError(f"the log went backwards: {last} after {self._read_seq}")
            self._read_seq = last
            self._emit(self._batch_read, events)
            if last >= head:
                return

    def _emit(self, signal: SignalInstance, *args: object) -> None:
        # Nothing reaches the screen once stopping: the receiver may be gone.
        if not self._stopping.is_set():
            emit(signal, *args)

    # -- the GUI thread ----------------------------------------------------

    def _deliver(self, events: list[Event]) -> None:
        if self._thread is None:
            return
        fresh = [e for e in events if e.seq is not None and e.seq > self._delivered_seq]
        if fresh:
            self._delivered_seq = fresh[-1].seq or self._delivered_seq
            emit(self.events_arrived, fresh)

    def _on_read_ok(self) -> None:
        if self._thread is not None and not self._connected:
            self._connected = True
            log.info("event log readable again")
            emit(self.connection_restored)

    def _on_read_failed(self, reason: str) -> None:
        if self._thread is not None and self._connected:
            self._connected = False
            emit(self.connection_lost, reason)

    def _check_stale(self) -> None:
        started = self._busy_since
        if started is not None and time.monotonic() - started > self._stale_seconds:
            self._on_read_failed(f"the centre has not answered for {self._stale_seconds:g} s")


__all__ = ["BATCH", "STALE_SECONDS", "EventFollower"]
