"""The counter terminal's view-model: the clerk signed in, the desk, the clerk's actions."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import NoReturn

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from centre import usecases as uc
from centre.config import ServiceConfig
from centre.domain import ACTIVE_STATES, Event, EventType, TicketState
from centre.errors import (
    CentreUnreachable,
    NoCurrentTicket,
    SignInLocked,
    TaboorError,
    TicketMoved,
    WrongPin,
)
from centre.port import CentrePort
from centre.staff import StaffMember
from display.follower import EventFollower
from display.following import Refresher, StaffViewModel
from display.views import DeskView, ServiceQueue, service_queues
from ui.signals import emit
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

REFRESH_DELAY_MS = 300
# The timers on screen (the ticket's, the break's, a sign-in lock's countdown) move this often.
TICK_MS = 1000


class Action(StrEnum):
    """What a clerk can do at the counter."""

    CALL_NEXT = "call_next"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    FINISH_AND_CALL_NEXT = "finish_and_call_next"
    NO_SHOW = "no_show"
    TRANSFER = "transfer"
    OPEN = "open"
    CLOSE = "close"
    # Starts a break, or ends the one under way.
    BREAK = "break"
    SIGN_IN = "sign_in"
    SIGN_OUT = "sign_out"


@dataclass(frozen=True)
class _Outcome:
    desk: DeskView
    nobody_waiting: bool = False


@dataclass(frozen=True)
class _Loaded:
    desk: DeskView
    has_accounts: bool


@dataclass(frozen=True)
class _SignedIn:
    # None: the centre has no staff accounts at all.
    clerk: StaffMember | None
    desk: DeskView


class CounterViewModel(StaffViewModel[_Loaded]):
    """One counter's terminal: the clerk signed in at it, its desk, and the clerk's actions.

    Nothing can be done until a clerk signs in here with their PIN; a
    terminal started while the centre says someone is signed in at the
    counter asks for the PIN again (signing in again as the same clerk
    changes nothing in the centre). Every action runs on a worker thread (a
    locked database or a slow network may make one wait), one at a time in
    the order pressed; the desk shown is read back from the centre after each.
    """

    # DeskView: the counter, whether it is open, its ticket and that ticket's booking
    desk_changed = Signal(object)
    # list[ServiceQueue]: the queues of the services this counter serves
    queues_changed = Signal(object)
    # int: seconds since the current ticket was called, or since serving started
    elapsed_changed = Signal(int)
    # StaffMember | None: the clerk signed in at this terminal (None: it asks for a PIN)
    clerk_changed = Signal(object)
    # str, bool: one line for whoever is signing in (empty clears it); whether it is an error
    sign_in_message = Signal(str, bool)
    # int: seconds before sign-in may be tried again after too many wrong PINs (0: now)
    lock_changed = Signal(int)
    # bool: whether the centre has no staff accounts at all (nobody can sign in)
    accounts_missing_changed = Signal(bool)
    # int: seconds since the counter's break started (-1: not on a break)
    break_elapsed_changed = Signal(int)
    # busy_changed, message_shown, action_done (an Action value), language_changed: see
    # StaffViewModel; connection_changed and loaded: see LogFollowingViewModel

    def __init__(
        self,
        centre: CentrePort,
        follower: EventFollower,
        counter_id: str,
        *,
        lang: str = "ar",
        actions: TaskRunner | None = None,
        reads: TaskRunner | None = None,
        refresh_delay_ms: int = REFRESH_DELAY_MS,
        tick_ms: int = TICK_MS,
        parent: QObject | None = None,
    ) -> None:
        counter = uc.resolve_counter(centre.config, counter_id)
        super().__init__(
            centre,
            follower,
            lang=lang,
            name=f"counter {counter.id}",
            loads=actions,
            loads_name=f"counter-{counter.id}",
            parent=parent,
        )
        self._counter = counter
        # The desk is read on the actions' runner, so a read never overtakes an action.
        self._actions = self._loads
        self._reads = reads or TaskRunner(f"counter-{self._counter.id}-reads", parent=self)
        self._desk = DeskView(self._counter.id, False, None, None, None)
        self._queues: list[ServiceQueue] = []
        # The services the counter calls today, as the last queue read had them.
        self._services = tuple(self._counter.services)
        self._clerk: StaffMember | None = None
        self._accounts_missing = False
        self._locked_until: datetime | None = None
        self._lock_shown = 0

        self._refresher: Refresher[uc.QueueStatus] = Refresher(
            self,
            self._reads,
            refresh_delay_ms,
            centre.queue_status,
            self._queues_read,
            what=f"counter {self._counter.id} cannot read the queues",
            active=lambda: self._running,
        )
        self._elapsed_timer = QTimer(self)
        self._elapsed_timer.setInterval(tick_ms)
        self._elapsed_timer.timeout.connect(self._tick)

    # -- state ---------------------------------------------------------------

    @property
    def counter_id(self) -> str:
        """The counter this terminal is for."""
        return self._counter.id

    @property
    def desk(self) -> DeskView:
        """The counter as last read."""
        return self._desk

    @property
    def queues(self) -> list[ServiceQueue]:
        """The queues of the counter's services."""
        return list(self._queues)

    @property
    def clerk(self) -> StaffMember | None:
        """The clerk signed in at this terminal (``None`` until someone signs in here)."""
        return self._clerk

    @property
    def accounts_missing(self) -> bool:
        """Whether the centre has no staff accounts, as last seen."""
        return self._accounts_missing

    def lock_seconds(self) -> int:
        """Seconds before sign-in may be tried again (0: now)."""
        if self._locked_until is None:
            return 0
        return max(math.ceil((self._locked_until - self._clock.now()).total_seconds()), 0)

    def elapsed_seconds(self) -> int | None:
        """Seconds since the current ticket was called, or since serving started."""
        ticket = self._desk.ticket
        if ticket is None:
            return None
        since = ticket.started_at or ticket.called_at
        if since is None:
            return None
        return max(int((self._clock.now() - since).total_seconds()), 0)

    def break_seconds(self) -> int | None:
        """Seconds since the counter's break started (``None``: not on a break)."""
        since = self._desk.break_since
        if not self._desk.on_break or since is None:
            return None
        return max(int((self._clock.now() - since).total_seconds()), 0)

    def can(self, action: Action) -> bool:
        """Whether ``action`` makes sense for the clerk and the desk as shown."""
        if self._clerk is None:
            return action is Action.SIGN_IN and self.lock_seconds() == 0
        ticket = self._desk.ticket
        state = ticket.state if ticket is not None else None
        allowed = {
            Action.CALL_NEXT: ticket is None,
            Action.RECALL: state is TicketState.CALLED,
            Action.START: state is TicketState.CALLED,
            Action.FINISH: state is TicketState.SERVING,
            Action.FINISH_AND_CALL_NEXT: state is TicketState.SERVING,
            Action.NO_SHOW: state is TicketState.CALLED,
            Action.TRANSFER: state in ACTIVE_STATES,
            Action.OPEN: not self._desk.is_open,
            Action.CLOSE: self._desk.is_open and ticket is None,
            Action.BREAK: self._desk.is_open and ticket is None,
            Action.SIGN_IN: False,
            # Even with a ticket: the clerk is told to finish it first.
            Action.SIGN_OUT: True,
        }
        return allowed[action]

    def transfer_targets(self) -> list[ServiceConfig]:
        """The services the current ticket may be sent to: every other one of the centre."""
        ticket = self._desk.ticket
        current = ticket.service if ticket is not None else None
        return [s for s in self._config.services if s.code != current]

    # -- control ---------------------------------------------------------------

    def start(self) -> None:
        """Read the desk, the queues and whether anyone can sign in, then follow the log."""
        self._elapsed_timer.start()
        super().start()

    def stop(self) -> None:
        """Stop following; actions not started are dropped."""
        for timer in (self._refresher.timer, self._elapsed_timer):
            timer.stop()
        super().stop()
        self._reads.shutdown()

    # -- signing in ------------------------------------------------------------

    def sign_in(self, staff_id: str, pin: str) -> None:
        """Sign the clerk with this staff id and PIN in at this counter."""
        if self._busy or not self._running or self.lock_seconds() > 0:
            return
        translate = QCoreApplication.translate
        staff_id = staff_id.strip()
        if not staff_id:
            emit(self.sign_in_message, translate("CounterViewModel", "Type your staff id."), True)
            emit(self.action_done, Action.SIGN_IN.value)
            return
        centre, counter = self._centre, self._counter.id

        def job() -> _SignedIn:
            try:
                member = centre.sign_in(counter, staff_id, pin)
            except WrongPin:
                if not centre.has_staff_accounts():
                    return _SignedIn(None, self._read_desk())
                raise
            return _SignedIn(member, self._read_desk())

        self._set_busy(True)
        self._actions.submit(job, self._signed_in, self._sign_in_failed)

    def _signed_in(self, outcome: _SignedIn) -> None:
        self._set_busy(False)
        self._set_accounts_missing(outcome.clerk is None)
        if outcome.clerk is not None:
            self._set_clerk(outcome.clerk)
            emit(self.sign_in_message, "", False)
            emit(self.message_shown, "", False)
        self._set_desk(outcome.desk)
        emit(self.action_done, Action.SIGN_IN.value)

    def _sign_in_failed(self, error: Exception) -> None:
        self._set_busy(False)
        seconds = error.params.get("seconds") if isinstance(error, TaboorError) else None
        if isinstance(seconds, int) and seconds > 0:
            self._locked_until = self._clock.now() + timedelta(seconds=seconds)
            self._count_down()
        # After too many wrong PINs the countdown says it all.
        text = "" if isinstance(error, SignInLocked) else self.explain(error)
        if isinstance(error, CentreUnreachable):
            self._check_connection()
        emit(self.sign_in_message, text, bool(text))
        emit(self.action_done, Action.SIGN_IN.value)

    def sign_out(self) -> None:
        """The clerk leaves: the counter closes (refused while it has a ticket)."""
        self._perform(
            Action.SIGN_OUT, self._on_counter(self._centre.sign_out), expects_ticket=False
        )

    # -- the clerk's actions -----------------------------------------------

    def call_next(self) -> None:
        """Call the next ticket to this counter."""
        self._perform(Action.CALL_NEXT, lambda _seen: self._call_next_now(), expects_ticket=False)

    def recall(self) -> None:
        """Call the current ticket again."""
        self._perform(Action.RECALL, self._on_ticket(self._centre.recall))

    def start_serving(self) -> None:
        """The called visitor has come: serving starts."""
        self._perform(Action.START, self._on_ticket(self._centre.start_serving))

    def finish(self) -> None:
        """Serving the current ticket is done."""
        self._perform(Action.FINISH, self._on_ticket(self._centre.finish))

    def finish_and_call_next(self) -> None:
        """Finish the current ticket and call the next, in one keystroke."""

        def work(seen_id: str | None) -> bool:
            self._centre.finish(self._counter.id, expected=seen_id)
            return self._call_next_now()

        self._perform(Action.FINISH_AND_CALL_NEXT, work)

    def no_show(self) -> None:
        """The called visitor did not come."""
        self._perform(Action.NO_SHOW, self._on_ticket(self._centre.no_show))

    def transfer(self, service: str) -> None:
        """Send the current ticket to ``service``'s queue, keeping its arrival time."""
        self._perform(Action.TRANSFER, self._on_ticket(self._centre.transfer, service))

    def open_counter(self) -> None:
        """Open the counter for calling."""
        self._perform(
            Action.OPEN, self._on_counter(self._centre.open_counter), expects_ticket=False
        )

    def close_counter(self) -> None:
        """Close the counter (it must have no ticket)."""
        self._perform(
            Action.CLOSE, self._on_counter(self._centre.close_counter), expects_ticket=False
        )

    def take_break(self) -> None:
        """Start a break (the counter calls nobody), or end the one under way."""
        centre = self._centre
        use_case = centre.end_break if self._desk.on_break else centre.start_break
        self._perform(Action.BREAK, self._on_counter(use_case), expects_ticket=False)

    def _on_ticket(
        self, use_case: Callable[..., object], *args: str
    ) -> Callable[[str | None], bool]:
        # A job for the worker: the use case on the ticket the clerk saw, which
        # it checks is still the counter's in its own transaction (another
        # terminal may have moved it on). False: nothing to tell.
        def work(seen_id: str | None) -> bool:
            use_case(self._counter.id, *args, expected=seen_id)
            return False

        return work

    def _on_counter(self, use_case: Callable[..., object]) -> Callable[[str | None], bool]:
        # A job for the worker: the use case on this counter, whatever its ticket.
        def work(_seen_id: str | None) -> bool:
            use_case(self._counter.id)
            return False

        return work

    def _call_next_now(self) -> bool:
        # Runs on the worker: True when nobody was waiting.
        return self._centre.call_next(self._counter.id) is None

    def _perform(
        self, action: Action, work: Callable[[str | None], bool], *, expects_ticket: bool = True
    ) -> None:
        if self._busy or not self._running or self._clerk is None:
            # One action at a time: a key pressed while one runs would act on a
            # desk the clerk has not seen yet. And nothing before signing in.
            return
        seen = self._desk.ticket
        seen_id = seen.id if seen is not None else None

        def job() -> _Outcome:
            if expects_ticket and seen_id is None:
                # The clerk saw no ticket: act on none, whatever the counter has now.
                self._refuse_unseen()
            nobody = work(seen_id)
            return _Outcome(self._read_desk(), nobody_waiting=nobody)

        self._set_busy(True)
        self._actions.submit(job, partial(self._performed, action), partial(self._failed, action))

    def _refuse_unseen(self) -> NoReturn:
        # Runs on the worker, for a ticket action pressed with no ticket shown.
        current = self._read_desk().ticket
        if current is None:
            raise NoCurrentTicket(
                f"counter {self._counter.id} has no current ticket", counter=self._counter.id
            )
        raise TicketMoved(
            f"counter {self._counter.id} now has {current.number}, not the ticket acted on",
            counter=self._counter.id,
            number=current.number,
            acted_on=None,
        )

    def _read_desk(self) -> DeskView:
        # Runs on the worker.
        return DeskView.of(self._centre.counter_desk(self._counter.id), self._config)

    def _performed(self, action: Action, outcome: _Outcome) -> None:
        self._set_busy(False)
        if action is Action.SIGN_OUT:
            # The desk first: the form then starts empty, not with the id just signed out.
            self._desk = outcome.desk
            self._set_clerk(None)
            emit(
                self.sign_in_message,
                QCoreApplication.translate(
                    "CounterViewModel", "Signed out. The counter is closed."
                ),
                False,
            )
        self._set_desk(outcome.desk)
        if outcome.nobody_waiting:
            emit(
                self.message_shown,
                QCoreApplication.translate(
                    "CounterViewModel", "Nobody is waiting for this counter."
                ),
                False,
            )
        else:
            emit(self.message_shown, "", False)
        self._schedule_refresh()
        emit(self.action_done, action.value)

    def _failed(self, action: Action, error: Exception) -> None:
        self._set_busy(False)
        emit(self.message_shown, self.explain(error), True)
        if isinstance(error, CentreUnreachable):
            # The desk stays as it was; the screen says whether it is still cut off.
            self._check_connection()
        else:
            self._refresh_desk()
        emit(self.action_done, action.value)

    # -- loading and following ---------------------------------------------

    def _load(self) -> None:
        super()._load()
        self._refresh_queues()

    def _read_state(self, head: int) -> _Loaded:
        has_accounts = self._centre.has_staff_accounts()
        return _Loaded(self._read_desk(), has_accounts)

    def _show_state(self, state: _Loaded) -> None:
        self._set_accounts_missing(not state.has_accounts)
        self._set_desk(state.desk)

    def _apply(self, events: list[Event]) -> None:
        mine = self._counter.id
        services = set(self._services)
        desk_touched = queues_touched = False
        for event in events:
            moved_from = (
                event.data.get("from_counter") if event.type is EventType.TRANSFERRED else None
            )
            if mine in (event.counter, moved_from):
                desk_touched = True
            touched = {event.service, event.data.get("from_service"), event.data.get("to_service")}
            if touched & services or event.type in (
                EventType.COUNTER_OPENED,
                EventType.COUNTER_CLOSED,
                EventType.COUNTER_SERVICES_CHANGED,
                EventType.SERVICE_PAUSED,
                EventType.SERVICE_RESUMED,
            ):
                queues_touched = True
        if desk_touched:
            self._refresh_desk()
        if queues_touched:
            self._schedule_refresh()

    def _refresh_desk(self) -> None:
        if not self._running:
            return
        # On the actions' thread, so it can never overtake an action's result.
        self._actions.submit(self._read_desk, self._set_desk, self._refresh_failed)

    def _refresh_failed(self, error: Exception) -> None:
        log.warning("counter %s cannot read its desk: %s", self._counter.id, error)

    def _schedule_refresh(self) -> None:
        self._refresher.schedule()

    def _refresh_queues(self) -> None:
        self._refresher.now()

    def _queues_read(self, status: uc.QueueStatus) -> None:
        # Today's services of the counter: the supervisor may have changed them.
        for snapshot in status.counters:
            if snapshot.counter.id == self._counter.id:
                self._services = tuple(snapshot.counter.services)
        self._queues = service_queues(status, list(self._services))
        emit(self.queues_changed, self.queues)

    def _on_restored(self) -> None:
        super()._on_restored()
        self._refresh_desk()
        self._schedule_refresh()

    def _set_desk(self, desk: DeskView) -> None:
        self._desk = desk
        if self._clerk is not None and desk.staff_id != self._clerk.id:
            # Signed out elsewhere: by the supervisor, by another clerk signing in
            # here, or by this clerk signing in at another counter.
            self._set_clerk(None)
            emit(
                self.sign_in_message,
                QCoreApplication.translate(
                    "CounterViewModel", "You were signed out of this counter elsewhere."
                ),
                False,
            )
        emit(self.desk_changed, desk)
        self._tick()

    def _set_clerk(self, clerk: StaffMember | None) -> None:
        if clerk != self._clerk:
            self._clerk = clerk
            emit(self.clerk_changed, clerk)

    def _set_accounts_missing(self, missing: bool) -> None:
        if missing != self._accounts_missing:
            self._accounts_missing = missing
            emit(self.accounts_missing_changed, missing)

    def _tick(self) -> None:
        elapsed = self.elapsed_seconds()
        emit(self.elapsed_changed, -1 if elapsed is None else elapsed)
        on_break = self.break_seconds()
        emit(self.break_elapsed_changed, -1 if on_break is None else on_break)
        self._count_down()

    def _count_down(self) -> None:
        seconds = self.lock_seconds()
        if seconds == 0:
            self._locked_until = None
        if seconds != self._lock_shown:
            self._lock_shown = seconds
            emit(self.lock_changed, seconds)
            if seconds == 0:
                emit(self.sign_in_message, "", False)


__all__ = ["REFRESH_DELAY_MS", "TICK_MS", "Action", "CounterViewModel"]
