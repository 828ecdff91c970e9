"""Shared fakes and factories of the display tests: a scriptable log, screens that clean up."""

from __future__ import annotations

import contextlib
import threading
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import SignalInstance
from pytestqt import wait_signal
from pytestqt.qtbot import QtBot

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import Event, EventType
from centre.errors import CentreUnreachable
from centre.local import LocalCentre
from centre.port import EventFeed, EventLog
from centre.store.tail import StoreLog, TimerWakeup
from centre.store.unit_of_work import Store
from centre.supervision import DayReport
from display.announcer import Voice
from display.counter_screen import CounterScreenViewModel, CounterScreenWindow
from display.follower import EventFollower
from display.hall import HallViewModel, HallWindow
from display.terminal import CounterViewModel, CounterWindow
from tests.helpers import MORNING
from ui.fonts import FontBook
from ui.signals import disconnect


def guard_pytestqt_disconnects(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make pytest-qt's waits give back the reference PySide6 6.12 loses on each disconnect.

    Without it, a run of many ``waitSignal`` calls aborts Python at exit
    ("bool_dealloc"); see :mod:`ui.signals`.
    """

    def silent_disconnect(signal: SignalInstance, slot: Callable[..., object]) -> None:
        with contextlib.suppress(TypeError, RuntimeError):
            disconnect(signal, slot)

    monkeypatch.setattr(wait_signal, "_silent_disconnect", silent_disconnect)


@cache
def font_book() -> FontBook:
    """The fonts, loaded once per test run (the application outlives every test)."""
    return FontBook.load()


def event(seq: int, kind: EventType = EventType.TICKET_ISSUED, **fields: Any) -> Event:
    """An event as the store would give it, with ``seq``."""
    return Event(id=f"e{seq}", type=kind, at=MORNING + timedelta(seconds=seq), seq=seq, **fields)


@dataclass
class FakeLog:
    """An event log in memory that can fail or hang on demand, like a database going away."""

    events: list[Event] = field(default_factory=list)
    failing: bool = False
    reads: int = 0
    _open: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._open.set()

    def append(self, count: int = 1) -> None:
        """Append ``count`` events with the next seqs."""
        start = len(self.events) + 1
        self.events.extend(event(seq) for seq in range(start, start + count))

    def hang(self) -> None:
        """Make reads block until :meth:`heal`."""
        self._open.clear()

    def heal(self) -> None:
        """Reads answer again."""
        self.failing = False
        self._open.set()

    def read_after(self, seq: int, limit: int) -> tuple[int, list[Event]]:
        """As :meth:`StoreLog.read_after`."""
        self._open.wait(timeout=30)
        self.reads += 1
        if self.failing:
            raise ConnectionError("the database went away")
        head = len(self.events)
        return head, [e for e in self.events if (e.seq or 0) > seq][:limit]


class HangingLog:
    """A real store's log that can be made to hang, as a locked or unreachable database does."""

    def __init__(self, log: EventLog) -> None:
        self._log = log
        self._open = threading.Event()
        self._open.set()

    def hang(self) -> None:
        """Make reads block until :meth:`heal`."""
        self._open.clear()

    def heal(self) -> None:
        """Reads answer again."""
        self._open.set()

    def read_after(self, seq: int, limit: int) -> tuple[int, list[Event]]:
        """Read the real log once the fault is healed."""
        self._open.wait(timeout=30)
        return self._log.read_after(seq, limit)


def feed_of(log: EventLog, poll_seconds: float = 0.05) -> EventFeed:
    """A feed of ``log`` that polls (what SQLite does)."""
    return EventFeed(log, TimerWakeup(), poll_seconds)


def follower_of(log: EventLog, poll_seconds: float = 0.05, **options: Any) -> EventFollower:
    """A follower of ``log`` that polls (what SQLite does)."""
    return EventFollower(feed_of(log, poll_seconds), **options)


class FlakyCentre(LocalCentre):
    """The in-process centre, whose calls fail on demand as they do when its server is lost.

    ``failing`` maps a port method's name to the error it raises until
    removed; with ``down`` set, every read raises :class:`CentreUnreachable`
    too (the log included), as when the server is gone altogether.
    ``calls`` lists the actions asked of it, by name.
    """

    def __init__(self, store: Store, clock: FixedClock, config: CentreConfig) -> None:
        super().__init__(store, clock, config)
        self.failing: dict[str, Exception] = {}
        self.down = False
        self.calls: list[str] = []

    def _act(self, name: str) -> None:
        self.calls.append(name)
        error = self.failing.get(name)
        if error is not None:
            raise error
        self._read()

    def _read(self) -> None:
        if self.down:
            raise CentreUnreachable("the centre server does not answer")

    def event_feed(self, name: str) -> EventFeed:
        """The store's feed, whose log fails while the centre is down."""
        feed = super().event_feed(name)
        return EventFeed(_DownLog(feed.log, self), feed.wakeup, feed.poll_seconds)

    def last_seq(self) -> int:
        """As the store says, unless down."""
        self._read()
        return super().last_seq()

    def queue_status(self) -> uc.QueueStatus:
        """As the store says, unless down."""
        self._read()
        return super().queue_status()

    def counter_desk(self, counter_id: str) -> uc.CounterDesk:
        """As the store says, unless down."""
        self._read()
        return super().counter_desk(counter_id)

    def has_staff_accounts(self) -> bool:
        """As the store says, unless down."""
        self._read()
        return super().has_staff_accounts()

    def day_report(self) -> DayReport:
        """As the store says, unless down."""
        self._read()
        return super().day_report()

    def hall_message(self) -> tuple[str, str] | None:
        """As the store says, unless down."""
        self._read()
        return super().hall_message()

    def recall(self, counter_id: str, *, expected: str | None = None) -> uc.TicketView:
        """Recall, unless told to fail."""
        self._act("recall")
        return super().recall(counter_id, expected=expected)

    def call_next(self, counter_id: str) -> uc.TicketView | None:
        """Call next, unless told to fail."""
        self._act("call_next")
        return super().call_next(counter_id)

    def pause_service(self, service: str, reason: str = "") -> None:
        """Pause, unless told to fail."""
        self._act("pause_service")
        super().pause_service(service, reason)

    def supervisor_sign_out(self) -> None:
        """Sign the supervisor out, unless told to fail."""
        self._act("supervisor_sign_out")
        super().supervisor_sign_out()


class _DownLog:
    """A log that cannot be read while its centre is down."""

    def __init__(self, log: EventLog, centre: FlakyCentre) -> None:
        self._log = log
        self._centre = centre

    def read_after(self, seq: int, limit: int) -> tuple[int, list[Event]]:
        """The log after ``seq``, unless the centre is down."""
        if self._centre.down:
            raise CentreUnreachable("the centre server does not answer")
        return self._log.read_after(seq, limit)


@dataclass
class Screens:
    """Makes view-models and windows on one store; stops and closes them all after the test.

    The screens reach the store through :attr:`centre`, the in-process port.
    """

    qtbot: QtBot
    store: Store
    clock: FixedClock
    config: CentreConfig
    started: list[Callable[[], None]] = field(default_factory=list)
    centre: LocalCentre = field(init=False)

    def __post_init__(self) -> None:
        self.centre = LocalCentre(self.store, self.clock, self.config)

    def follower(self, **options: Any) -> EventFollower:
        """A follower of the centre, as a screen gets it."""
        follower = EventFollower.for_port(self.centre, **options)
        self.started.append(follower.stop)
        return follower

    def hall(self, *, follower: EventFollower | None = None, **options: Any) -> HallViewModel:
        """A started hall view-model (its state read from the store)."""
        options.setdefault("highlight_seconds", 0.3)
        options.setdefault("refresh_delay_ms", 20)
        vm = HallViewModel(self.centre, follower or self.follower(), **options)
        self._start(vm)
        return vm

    def hall_window(self, vm: HallViewModel) -> HallWindow:
        """The hall window of ``vm``."""
        window = HallWindow(vm, font_book())
        self.qtbot.addWidget(window)
        return window

    def counter(
        self, counter_id: str, *, follower: EventFollower | None = None, **options: Any
    ) -> CounterViewModel:
        """A started counter terminal view-model."""
        options.setdefault("refresh_delay_ms", 20)
        vm = CounterViewModel(self.centre, follower or self.follower(), counter_id, **options)
        self._start(vm)
        return vm

    def counter_window(self, vm: CounterViewModel) -> CounterWindow:
        """The terminal window of ``vm``, shown and active (so its shortcuts work)."""
        window = CounterWindow(vm, font_book())
        self.qtbot.addWidget(window)
        with self.qtbot.waitExposed(window):
            window.show()
        window.activateWindow()
        self.qtbot.waitUntil(window.isActiveWindow)
        return window

    def counter_screen(self, counter_id: str, **options: Any) -> CounterScreenViewModel:
        """A started counter screen view-model."""
        options.setdefault("highlight_seconds", 0.3)
        vm = CounterScreenViewModel(self.centre, self.follower(), counter_id, **options)
        self._start(vm)
        return vm

    def counter_screen_window(self, vm: CounterScreenViewModel) -> CounterScreenWindow:
        """The window over the counter."""
        window = CounterScreenWindow(vm, font_book())
        self.qtbot.addWidget(window)
        return window

    def _start(self, vm: HallViewModel | CounterViewModel | CounterScreenViewModel) -> None:
        self.started.append(vm.stop)
        with self.qtbot.waitSignal(vm.loaded, timeout=5000):
            vm.start()

    def close(self) -> None:
        """Stop everything started."""
        for stop in reversed(self.started):
            stop()


@contextmanager
def screens_on(
    qtbot: QtBot, store: Store, clock: FixedClock, config: CentreConfig
) -> Iterator[Screens]:
    """A :class:`Screens` factory that cleans up after itself."""
    screens = Screens(qtbot, store, clock, config)
    try:
        yield screens
    finally:
        screens.close()


__all__ = [
    "FakeLog",
    "FlakyCentre",
    "HangingLog",
    "Screens",
    "StoreLog",
    "event",
    "feed_of",
    "follower_of",
    "font_book",
    "guard_pytestqt_disconnects",
    "screens_on",
]


class HeldLog:
    """A real log whose reads can be held: what is committed meanwhile comes in one batch."""

    def __init__(self, log: StoreLog) -> None:
        self._log = log
        self._changed = threading.Condition()
        self._held = False
        self._reading = 0

    def hold(self) -> None:
        """Hold the next reads, once the one under way (if any) has answered."""
        with self._changed:
            self._held = True
            self._changed.wait_for(lambda: self._reading == 0, timeout=5)

    def release(self) -> None:
        """Let reads go on."""
        with self._changed:
            self._held = False
            self._changed.notify_all()

    def read_after(self, seq: int, limit: int) -> tuple[int, list[Event]]:
        """Read the real log when not held."""
        with self._changed:
            self._changed.wait_for(lambda: not self._held, timeout=30)
            self._reading += 1
        try:
            return self._log.read_after(seq, limit)
        finally:
            with self._changed:
                self._reading -= 1
                self._changed.notify_all()


# -- what the announcer said --------------------------------------------------


def pcm_of(path: Path) -> bytes:
    """The frames of a WAV file written by the file speaker."""
    with wave.open(str(path), "rb") as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (
            1,
            2,
            22050,
        )
        return reader.readframes(reader.getnframes())


def assert_said(pcm: bytes, voice: Voice, names: list[str]) -> None:
    """``pcm`` is exactly the clips ``names``, in order, with nothing but short silences around."""
    cursor = 0
    for name in names:
        clip = voice.pcm(name)
        found = pcm.find(clip, cursor)
        assert found >= 0, f"{name} is not said after byte {cursor}"
        assert not any(pcm[cursor:found]), f"something else is said before {name}"
        assert found - cursor <= 22050 * 2, f"more than a second's pause before {name}"
        cursor = found + len(clip)
    assert not any(pcm[cursor:]), "something is said after the last clip"
    assert len(pcm) - cursor <= 22050 * 2


def written(folder: Path) -> list[Path]:
    """The announcements the file speaker wrote, in order."""
    return sorted(folder.glob("*.wav"))
