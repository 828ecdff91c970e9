"""The base of the view-models that read their state from the centre, then follow its event log."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from centre.domain import Event
from centre.port import CentrePort
from display.follower import EventFollower
from display.refusals import explain
from ui.i18n import check_language
from ui.signals import emit
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

RETRY_MS = 2000

State = TypeVar("State")
Read = TypeVar("Read")


def single_shot(parent: QObject, interval_ms: int, slot: Callable[[], object]) -> QTimer:
    """A single-shot timer of ``parent`` calling ``slot`` ``interval_ms`` after each start."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer


class Refresher(Generic[Read]):
    """Reads something off the GUI thread a short while after it is asked, then shows it.

    Requests that come while a read waits or runs are folded into one more read
    after it, so a burst of events costs two reads, not one each. A failed read
    is logged; the next request (an event, a tick, the log coming back) reads again.
    """

    def __init__(
        self,
        parent: QObject,
        runner: TaskRunner,
        delay_ms: int,
        read: Callable[[], Read],
        show: Callable[[Read], None],
        *,
        what: str,
        active: Callable[[], bool],
    ) -> None:
        self.timer = single_shot(parent, delay_ms, self.now)
        self._runner = runner
        self._read = read
        self._show = show
        self._what = what
        self._active = active
        self._reading = False
        self._again = False

    def schedule(self) -> None:
        """Read after the delay (no-op when a read is already due)."""
        if self._active() and not self.timer.isActive():
            self.timer.start()

    def now(self) -> None:
        """Read now, or once more after the read under way."""
        if not self._active():
            return
        if self._reading:
            self._again = True
            return
        self._reading = True
        self._runner.submit(self._read, self._done, self._failed)

    def _done(self, value: Read) -> None:
        self._reading = False
        self._show(value)
        self._follow_up()

    def _failed(self, error: Exception) -> None:
        # The follower reports a lost connection; the next request reads again.
        self._reading = False
        log.warning("%s: %s", self._what, error)
        self._follow_up()

    def _follow_up(self) -> None:
        if self._again:
            self._again = False
            self.schedule()


class LogFollowingViewModel(QObject, Generic[State]):
    """Reads its state from the centre off the GUI thread, then follows the log from there.

    Everything goes through ``centre`` (:class:`centre.port.CentrePort`), in
    process or over HTTP alike. A subclass reads its state in
    :meth:`_read_state`, shows it in :meth:`_show_state` and applies live
    events in :meth:`_apply`. A failed read (the centre unreachable, say) is
    retried every ``RETRY_MS`` until one succeeds; meanwhile the screen shows
    its last state and :attr:`connection_changed` says it is not live.
    """

    # bool: whether it follows the centre's log live
    connection_changed = Signal(bool)
    # (no arguments) the state was read from the centre; live events follow
    loaded = Signal()

    def __init__(
        self,
        centre: CentrePort,
        follower: EventFollower,
        *,
        name: str,
        loads: TaskRunner | None,
        loads_name: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._centre = centre
        self._config = centre.config
        self._clock = centre.clock
        self._follower = follower
        self._name = name
        self._loads = loads or TaskRunner(loads_name, parent=self)
        self._connected = True
        self._running = False
        self._retry_timer = single_shot(self, RETRY_MS, self._load)
        follower.events_arrived.connect(self._apply)
        follower.connection_lost.connect(self._on_lost)
        follower.connection_restored.connect(self._on_restored)

    @property
    def connected(self) -> bool:
        """Whether it follows the log live."""
        return self._connected

    def start(self) -> None:
        """Read the state from the centre, then follow the log from where it stood."""
        self._running = True
        self._load()

    def stop(self) -> None:
        """Stop following and drop reads not started."""
        self._running = False
        self._retry_timer.stop()
        self._follower.stop()
        self._loads.shutdown()

    # -- for subclasses ------------------------------------------------------

    def _read_state(self, head: int) -> State:
        """The state to show, read from the centre just after ``head`` (off the GUI thread)."""
        raise NotImplementedError

    def _show_state(self, state: State) -> None:
        """Show ``state``, just read (on the GUI thread)."""
        raise NotImplementedError

    def _apply(self, events: list[Event]) -> None:
        """Bring what is shown up to date with ``events``, just appended to the log."""
        raise NotImplementedError

    def _on_lost(self, _reason: str) -> None:
        self._set_connected(False)

    def _on_restored(self) -> None:
        self._set_connected(True)

    def _check_connection(self) -> None:
        """The centre did not answer an action: read the state again to learn whether it is back.

        If it still does not answer, :attr:`connection_changed` says the screen is
        not live (it keeps what it shows) and the read is retried until it answers.
        """
        self._load()

    # -- loading -------------------------------------------------------------

    def _load(self) -> None:
        if not self._running:
            return
        centre, read_state = self._centre, self._read_state

        def load() -> tuple[int, State]:
            # The head first: whatever the state misses after it, the follower delivers.
            head = centre.last_seq()
            return head, read_state(head)

        self._loads.submit(load, self._loaded, self._load_failed)

    def _loaded(self, snapshot: tuple[int, State]) -> None:
        head, state = snapshot
        self._show_state(state)
        self._set_connected(True)
        if not self._follower.is_running:
            self._follower.start(head)
        emit(self.loaded)

    def _load_failed(self, error: Exception) -> None:
        log.warning("%s cannot read the centre: %s", self._name, error)
        self._set_connected(False)
        self._retry_timer.start()

    def _set_connected(self, connected: bool) -> None:
        if connected != self._connected:
            self._connected = connected
            emit(self.connection_changed, connected)


class StaffViewModel(LogFollowingViewModel[State]):
    """A screen staff work at (a clerk's terminal, the supervisor's): their language, their actions.

    Actions run one at a time (:attr:`busy`); each ends with
    :attr:`action_done`, and says what happened, or why not, in one line of
    the staff member's language (:attr:`message_shown`, :meth:`explain`).
    """

    # bool: whether an action is running
    busy_changed = Signal(bool)
    # str, bool: one line in the staff member's language (empty clears it); whether it is an error
    message_shown = Signal(str, bool)
    # str (the screen's name of the action): the action's outcome is shown
    action_done = Signal(str)
    # str: the staff member's language, "ar" or "en"
    language_changed = Signal(str)
    # connection_changed and loaded: see LogFollowingViewModel

    def __init__(
        self,
        centre: CentrePort,
        follower: EventFollower,
        *,
        lang: str,
        name: str,
        loads: TaskRunner | None,
        loads_name: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(
            centre, follower, name=name, loads=loads, loads_name=loads_name, parent=parent
        )
        self._lang = check_language(lang)
        self._busy = False

    @property
    def language(self) -> str:
        """The staff member's language."""
        return self._lang

    @property
    def busy(self) -> bool:
        """Whether an action is running."""
        return self._busy

    def set_language(self, lang: str) -> None:
        """Speak ``lang`` to the staff member from now on."""
        if check_language(lang) != self._lang:
            self._lang = lang
            emit(self.language_changed, lang)

    def explain(self, error: Exception) -> str:
        """One line in the staff member's language saying why an action failed."""
        return explain(error, self._config, self._lang, where=self._name)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            emit(self.busy_changed, busy)


__all__ = ["RETRY_MS", "LogFollowingViewModel", "StaffViewModel", "single_shot"]
