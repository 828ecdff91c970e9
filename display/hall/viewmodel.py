"""What the hall screen shows, kept current from the centre's event log."""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from centre import usecases as uc
from centre.config import CentreConfig, Names
from centre.domain import Event, EventType
from centre.phones import JoinLink
from centre.port import CentrePort
from centre.usecases import CALL_EVENTS
from display.announcer import Announcement, Announcer
from display.follower import EventFollower
from display.following import RETRY_MS, LogFollowingViewModel, Refresher, single_shot
from display.views import ServiceQueue, service_queues
from ui.signals import emit
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

RECENT_CALLS = 6
HIGHLIGHT_SECONDS = 8.0
# Calls waiting for their turn to be shown large and said; past it the oldest
# waiting one only shows in the list (a burst at opening time, a long outage).
MAX_WAITING_CALLS = 20
# Queue figures are refreshed this long after the last event, so a burst of
# tickets costs one query, not one each.
REFRESH_DELAY_MS = 300
# The paperless-ticket address is asked again no sooner than this after an answer,
# so a hall whose clock runs ahead of the server's asks once a second, not in a loop.
JOIN_MIN_DELAY_MS = 1000


@dataclass(frozen=True)
class Call:
    """A ticket called to a counter, as the hall shows it."""

    ticket_id: str
    number: str
    counter: str
    service: str
    at: datetime
    recall: bool = False


@dataclass(frozen=True)
class Message:
    """The hall's message line, in both languages (either may be empty)."""

    ar: str = ""
    en: str = ""


# What the hall reads at start: the queues, today's latest calls (newest first)
# and the supervisor's message (Arabic, English), if one is set.
_HallState = tuple[uc.QueueStatus, list[Event], tuple[str, str] | None]


class HallViewModel(LogFollowingViewModel[_HallState]):
    """What the hall screen shows, kept current from the event log.

    Each call made while the hall watches gets its turn: shown large and
    highlighted for ``highlight_seconds`` and, with an announcer, until it
    has been said aloud; calls that come meanwhile wait their turn (and are
    listed at once). The calls read at start are shown, never highlighted
    or said again.
    """

    # Call: a ticket called (or recalled) gets its turn now: shown large, highlighted (and said)
    call_shown = Signal(object)
    # Call | None: the call shown large (the newest call after a restart; None: no call yet)
    current_changed = Signal(object)
    # list[Call]: the latest calls, newest first, the one shown large and those waiting included
    calls_changed = Signal(object)
    # bool: whether the call shown large is highlighted (during its turn)
    highlight_changed = Signal(bool)
    # list[ServiceQueue]: each service's waiting count and estimate, in config order
    queues_changed = Signal(object)
    # Message: the message line
    message_changed = Signal(object)
    # datetime: the centre's local time, every second
    time_changed = Signal(object)
    # JoinLink | None: the paperless-ticket address to show as a QR (None: show none)
    join_changed = Signal(object)
    # connection_changed and loaded: see LogFollowingViewModel

    def __init__(
        self,
        centre: CentrePort,
        follower: EventFollower,
        *,
        announcer: Announcer | None = None,
        recent: int = RECENT_CALLS,
        highlight_seconds: float = HIGHLIGHT_SECONDS,
        refresh_delay_ms: int = REFRESH_DELAY_MS,
        max_waiting: int = MAX_WAITING_CALLS,
        join_retry_ms: int = RETRY_MS,
        runner: TaskRunner | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(
            centre,
            follower,
            name="hall",
            loads=runner,
            loads_name="hall-reads",
            parent=parent,
        )
        self._recent = recent
        self._calls: list[Call] = []
        self._current: Call | None = None
        self._waiting: deque[Call] = deque()
        self._max_waiting = max_waiting
        self._queues: list[ServiceQueue] = []
        self._highlighted = False
        self._announcer = announcer
        # The announcement of the current call, until it has been said.
        self._speaking: Announcement | None = None
        footer = self._config.centre.footer
        # The configured footer shows until the supervisor sets a message.
        self._footer = Message(footer.ar, footer.en) if footer else Message()
        self._message = self._footer
        self._day: date | None = None
        # The paperless-ticket QR: what is shown, and when (by the centre's clock) to ask again.
        self._join: JoinLink | None = None
        self._join_due: datetime | None = None
        self._join_reading = False
        self._join_retry_ms = join_retry_ms
        self._join_timer = single_shot(self, join_retry_ms, self._read_join)

        self._highlight_timer = single_shot(self, int(highlight_seconds * 1000), self._turn_over)
        self._refresher: Refresher[uc.QueueStatus] = Refresher(
            self,
            self._loads,
            refresh_delay_ms,
            centre.queue_status,
            self._set_queues,
            what="hall cannot refresh the queues",
            active=lambda: self._running,
        )
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._tick)
        if announcer is not None:
            announcer.finished.connect(self._said)

    # -- what it shows -------------------------------------------------------

    @property
    def config(self) -> CentreConfig:
        """The centre's configuration."""
        return self._config

    @property
    def calls(self) -> list[Call]:
        """The latest calls, newest first."""
        return list(self._calls)

    @property
    def current(self) -> Call | None:
        """The call shown large: the one having its turn, else the last to have had it."""
        return self._current

    @property
    def waiting(self) -> list[Call]:
        """The calls waiting for their turn, first first."""
        return list(self._waiting)

    @property
    def highlighted(self) -> bool:
        """Whether the call shown large is having its turn (highlighted)."""
        return self._highlighted

    @property
    def queues(self) -> list[ServiceQueue]:
        """Each service's queue."""
        return list(self._queues)

    @property
    def message(self) -> Message:
        """The message line."""
        return self._message

    @property
    def join(self) -> JoinLink | None:
        """The paperless-ticket address the hall shows as a QR (None: the centre has none)."""
        return self._join

    def local_time(self) -> datetime:
        """The centre's local time now."""
        return self._clock.now().astimezone(self._config.centre.zone)

    def counter_name(self, counter_id: str) -> Names | None:
        """The configured name of a counter, if it has one."""
        try:
            return self._config.counter(counter_id).name
        except KeyError:
            return None

    # -- control ---------------------------------------------------------

    def start(self) -> None:
        """Rebuild the screen from the centre, then follow the log from where it stood."""
        self._clock_timer.start()
        self._tick()
        super().start()
        self._read_join()

    def stop(self) -> None:
        """Stop following and drop work not started; the announcer falls silent."""
        timers = (self._clock_timer, self._highlight_timer, self._refresher.timer, self._join_timer)
        for timer in timers:
            timer.stop()
        self._waiting.clear()
        if self._announcer is not None:
            self._announcer.stop()
        super().stop()

    def set_message(self, message: Message) -> None:
        """Show ``message`` on the message line."""
        self._message = message
        emit(self.message_changed, message)

    # -- loading and following ---------------------------------------------

    def _read_state(self, head: int) -> _HallState:
        centre = self._centre
        return (
            centre.queue_status(),
            centre.recent_calls(head, self._recent + 1),
            centre.hall_message(),
        )

    def _show_state(self, state: _HallState) -> None:
        status, events, message = state
        # What was called before the hall (re)started: shown, not highlighted nor said again.
        self._calls = [c for c in (_call(e) for e in events) if c is not None]
        self._set_queues(status)
        emit(self.calls_changed, self.calls)
        if self._current is None and not self._waiting:
            self._current = self._calls[0] if self._calls else None
            emit(self.current_changed, self._current)
        if message is not None:
            self.set_message(Message(*message))

    def _apply(self, events: list[Event]) -> None:
        arrived: list[Call] = []
        queues_touched = False
        for event in events:
            if event.type is EventType.HALL_MESSAGE_SET:
                ar, en = str(event.data.get("ar", "")), str(event.data.get("en", ""))
                self.set_message(Message(ar, en) if ar or en else self._footer)
                continue
            call = _call(event) if event.type in CALL_EVENTS else None
            if call is not None:
                rest = [c for c in self._calls if c.ticket_id != call.ticket_id]
                self._calls = [call, *rest][: self._recent + 1]
                arrived.append(call)
            if event.type is not EventType.RECALLED:
                queues_touched = True
        if arrived:
            # Listed at once; shown large and said each in turn.
            emit(self.calls_changed, self.calls)
            for call in arrived:
                self._wait_turn(call)
                if not self._highlighted:
                    self._next_turn()
        if queues_touched:
            self._refresher.schedule()

    # -- turns: each call shown large and said, one after another --------------

    def _wait_turn(self, call: Call) -> None:
        for index, waiting in enumerate(self._waiting):
            if waiting.ticket_id == call.ticket_id:
                # Called again (a recall, another counter) before its turn: one turn, the latest.
                self._waiting[index] = call
                return
        if len(self._waiting) >= self._max_waiting:
            dropped = self._waiting.popleft()
            log.warning("too many calls at once: %s is listed, not shown large", dropped.number)
        self._waiting.append(call)

    def _next_turn(self) -> None:
        if not self._waiting:
            if self._highlighted:
                self._highlighted = False
                emit(self.highlight_changed, False)
            return
        call = self._waiting.popleft()
        self._current = call
        if self._announcer is not None:
            self._speaking = self._announcer.announce(call.number, call.counter, recall=call.recall)
        self._highlight_timer.start()
        emit(self.current_changed, call)
        if not self._highlighted:
            self._highlighted = True
            emit(self.highlight_changed, True)
        emit(self.call_shown, call)

    def _turn_over(self) -> None:
        # The turn lasts until the call has been said, however long that takes.
        if self._speaking is None:
            self._next_turn()

    def _said(self, announcement: Announcement) -> None:
        if announcement is self._speaking:
            self._speaking = None
            if not self._highlight_timer.isActive():
                self._next_turn()

    def _set_queues(self, status: uc.QueueStatus) -> None:
        self._queues = service_queues(status)
        emit(self.queues_changed, self.queues)

    def _on_lost(self, reason: str) -> None:
        log.warning("hall lost the event log: %s", reason)
        super()._on_lost(reason)

    def _on_restored(self) -> None:
        super()._on_restored()
        self._refresher.schedule()

    # -- the paperless-ticket QR: a new address every [public] join_seconds ------

    def _read_join(self) -> None:
        """Ask the centre for the address now (off the GUI thread, with the hall's other reads)."""
        if not self._running or self._join_reading:
            return
        self._join_reading = True
        self._join_timer.stop()
        self._loads.submit(self._centre.join_link, self._join_read, self._join_failed)

    def _join_read(self, link: JoinLink | None) -> None:
        self._join_reading = False
        self._show_join(link)
        if link is None:
            # No public address: the configuration says so for the hall's whole life.
            self._join_due = None
            return
        # Asked again when it expires: a single shot at expires_at, by the centre's clock.
        now = self._clock.now()
        self._join_due = max(link.expires_at, now + timedelta(milliseconds=JOIN_MIN_DELAY_MS))
        self._join_timer.start(int((self._join_due - now) / timedelta(milliseconds=1)))

    def _join_failed(self, error: Exception) -> None:
        # The centre away (or refusing): the code shown keeps working while the server
        # still takes it (the current and the previous code), so it stays until then.
        self._join_reading = False
        log.warning("hall cannot read the paperless-ticket address: %s", error)
        shown = self._join
        now = self._clock.now()
        if shown is not None:
            lasts = timedelta(seconds=self._config.public.join_seconds)
            if now >= shown.expires_at + lasts:
                self._show_join(None)
        self._join_due = now + timedelta(milliseconds=self._join_retry_ms)
        self._join_timer.start(self._join_retry_ms)

    def _show_join(self, link: JoinLink | None) -> None:
        if link != self._join:
            self._join = link
            emit(self.join_changed, link)

    def _join_overdue(self, now: datetime) -> bool:
        # The single shot counts real milliseconds; a clock that jumps (a test's, the
        # simulator's, a machine waking up) passes expires_at sooner: the tick catches it.
        due = self._join_due
        return due is not None and not self._join_reading and now >= due

    def _tick(self) -> None:
        if self._join_overdue(self._clock.now()):
            self._read_join()
        now = self.local_time()
        today = now.date()
        if self._day is not None and today != self._day and (self._calls or self._current):
            # A new business day: yesterday's calls leave the screen.
            self._calls = []
            self._waiting.clear()
            self._current = None
            self._speaking = None
            self._highlight_timer.stop()
            emit(self.calls_changed, self.calls)
            emit(self.current_changed, None)
            if self._highlighted:
                self._highlighted = False
                emit(self.highlight_changed, False)
            self._refresher.schedule()
        self._day = today
        emit(self.time_changed, now)


def _call(event: Event) -> Call | None:
    if not (event.ticket_id and event.ticket_number and event.counter and event.service):
        return None
    return Call(
        ticket_id=event.ticket_id,
        number=event.ticket_number,
        counter=event.counter,
        service=event.service,
        at=event.at,
        recall=event.type is EventType.RECALLED,
    )


__all__ = [
    "HIGHLIGHT_SECONDS",
    "JOIN_MIN_DELAY_MS",
    "RECENT_CALLS",
    "Call",
    "HallViewModel",
    "Message",
]
