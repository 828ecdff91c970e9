"""What the screen over a counter shows: its ticket, and the rating asked of the visitor served."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import timedelta

from PySide6.QtCore import QObject, Signal

from centre import usecases as uc
from centre.domain import Event, EventType, TicketState
from centre.errors import AlreadyRated, NotServed
from centre.port import CentrePort
from display.follower import EventFollower
from display.following import LogFollowingViewModel, single_shot
from ui.signals import emit
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

HIGHLIGHT_SECONDS = 8.0
# How long the faces wait for a tap, and how long the thanks stay.
RATING_SECONDS = 20.0
THANKS_SECONDS = 3.0
# The faces stay at least this long, even when the clerk calls the next visitor at once
# ("done and call next"): the visitor who was served is still at the counter.
RATING_FLOOR_SECONDS = 8.0
RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class CounterCall:
    """The ticket at a counter: called to it, or being served there."""

    number: str
    service: str
    state: TicketState


@dataclass(frozen=True)
class RatingPrompt:
    """The visitor just served is asked to rate the service (or thanked for it)."""

    ticket_id: str
    number: str
    # The ticket's language: it goes first, since the visitor's is not otherwise known.
    lang: str
    thanked: bool = False


class CounterScreenViewModel(LogFollowingViewModel[uc.CounterDesk]):
    """What the screen over one counter shows, kept current from the event log.

    A ticket marked done at the counter while the screen watches (never one
    found in the log on start) brings up the rating faces; a tap records the
    rating off the GUI thread. They go after ``rating_seconds`` untouched, on
    skip, a little after a tap, or at once when the counter calls again.
    """

    # CounterCall | None: the ticket at the counter now (None: no ticket)
    ticket_changed = Signal(object)
    # bool: whether the ticket is highlighted (for a few seconds after a call or recall)
    highlight_changed = Signal(bool)
    # bool: whether the counter is open
    open_changed = Signal(bool)
    # RatingPrompt | None: the rating asked for, or the thanks for it (None: neither shows)
    rating_changed = Signal(object)
    # int: a visitor's rating, 1 to 5, is recorded by the centre
    rating_recorded = Signal(int)
    # connection_changed and loaded: see LogFollowingViewModel

    def __init__(
        self,
        centre: CentrePort,
        follower: EventFollower,
        counter_id: str,
        *,
        highlight_seconds: float = HIGHLIGHT_SECONDS,
        rating_seconds: float = RATING_SECONDS,
        thanks_seconds: float = THANKS_SECONDS,
        rating_floor_seconds: float = RATING_FLOOR_SECONDS,
        runner: TaskRunner | None = None,
        ratings: TaskRunner | None = None,
        parent: QObject | None = None,
    ) -> None:
        counter = uc.resolve_counter(centre.config, counter_id)
        super().__init__(
            centre,
            follower,
            name=f"counter screen {counter.id}",
            loads=runner,
            loads_name=f"counter-screen-{counter.id}",
            parent=parent,
        )
        self._counter = counter
        self._ticket: CounterCall | None = None
        self._open = False
        self._highlighted = False
        self._highlight_timer = single_shot(
            self, int(highlight_seconds * 1000), lambda: self._set_highlight(False)
        )
        # Ratings are written apart from the reads, so a slow write delays no ticket.
        self._ratings = ratings or TaskRunner(f"counter-screen-{counter.id}-ratings", parent=self)
        self._rating: RatingPrompt | None = None
        # Moves on whenever the prompt closes, so a late answer cannot bring it back.
        self._prompt_token = 0
        self._rating_window = timedelta(seconds=rating_seconds)
        self._rating_timer = single_shot(self, int(rating_seconds * 1000), self.skip_rating)
        self._thanks_timer = single_shot(self, int(thanks_seconds * 1000), self._close_rating)
        self._rating_floor_s = rating_floor_seconds
        self._rating_since: float | None = None
        self._floor_timer = single_shot(self, 0, self._close_unless_thanked)

    @property
    def counter_id(self) -> str:
        """The counter this screen is over."""
        return self._counter.id

    @property
    def ticket(self) -> CounterCall | None:
        """The ticket at the counter."""
        return self._ticket

    @property
    def is_open(self) -> bool:
        """Whether the counter is open."""
        return self._open

    @property
    def highlighted(self) -> bool:
        """Whether the ticket is highlighted."""
        return self._highlighted

    @property
    def rating(self) -> RatingPrompt | None:
        """The rating asked for (or thanked for), if any."""
        return self._rating

    def stop(self) -> None:
        """Stop following; a rating not yet written is given a moment to finish."""
        for timer in (
            self._highlight_timer,
            self._rating_timer,
            self._thanks_timer,
            self._floor_timer,
        ):
            timer.stop()
        super().stop()
        self._ratings.shutdown()

    def rate(self, rating: int) -> None:
        """The visitor tapped a face: 1 (very unhappy) to 5 (very happy)."""
        prompt = self._rating
        if prompt is None or prompt.thanked or rating not in RATINGS:
            return
        self._rating_timer.stop()
        self._set_rating(replace(prompt, thanked=True))
        self._thanks_timer.start()
        centre = self._centre

        def job() -> int:
            centre.record_feedback(prompt.ticket_id, rating)
            return rating

        self._ratings.submit(job, lambda done: emit(self.rating_recorded, done), self._not_rated)

    def skip_rating(self) -> None:
        """The visitor would rather not rate (or did not, in time): the faces go."""
        if self._rating is not None and not self._rating.thanked:
            self._close_rating()

    def _not_rated(self, error: Exception) -> None:
        if isinstance(error, (AlreadyRated, NotServed)):
            # Rated already (twice tapped, or another way), or the ticket moved on: nothing to say.
            log.info("counter screen %s: rating not recorded: %s", self._counter.id, error)
        else:
            log.warning("counter screen %s cannot record a rating: %s", self._counter.id, error)

    def _ask_rating(self, event: Event) -> None:
        ticket_id, number = event.ticket_id, event.ticket_number
        if ticket_id is None or number is None:
            return
        if self._clock.now() - event.at > self._rating_window:
            # Caught up after a lost connection: that visitor has long gone.
            return
        self._close_rating()
        token = self._prompt_token
        self._rating_since = time.monotonic()
        centre = self._centre

        def language() -> str:
            return centre.find_ticket(ticket_id).lang

        def ask(lang: str) -> None:
            if token == self._prompt_token and self._running:
                self._set_rating(RatingPrompt(ticket_id, number, lang))
                self._rating_timer.start()

        def ask_anyway(error: Exception) -> None:
            log.warning("counter screen %s cannot read %s: %s", self._counter.id, number, error)
            ask("ar")

        self._ratings.submit(language, ask, ask_anyway)

    def _close_rating(self) -> None:
        self._prompt_token += 1
        self._rating_since = None
        self._rating_timer.stop()
        self._thanks_timer.stop()
        self._floor_timer.stop()
        self._set_rating(None)

    def _rating_gives_way(self) -> None:
        # The next visitor is called: the faces go, but not before the floor.
        if self._rating_since is None:
            self._close_rating()
            return
        left = self._rating_floor_s - (time.monotonic() - self._rating_since)
        if left <= 0:
            self._close_rating()
        else:
            self._floor_timer.start(int(left * 1000))

    def _close_unless_thanked(self) -> None:
        # A visitor who just tapped a face sees the thanks to its end.
        if self._rating is None or not self._rating.thanked:
            self._close_rating()

    def _set_rating(self, prompt: RatingPrompt | None) -> None:
        if prompt != self._rating:
            self._rating = prompt
            emit(self.rating_changed, prompt)

    def _read_state(self, head: int) -> uc.CounterDesk:
        return self._centre.counter_desk(self._counter.id)

    def _show_state(self, state: uc.CounterDesk) -> None:
        ticket = state.ticket
        self._set_open(state.is_open or ticket is not None)
        self._set_ticket(
            CounterCall(ticket.number, ticket.service, ticket.state) if ticket is not None else None
        )

    def _apply(self, events: list[Event]) -> None:
        mine = self._counter.id
        for event in events:
            kind = event.type
            if kind is EventType.TRANSFERRED:
                if event.data.get("from_counter") == mine:
                    self._set_ticket(None)
                continue
            if event.counter != mine:
                continue
            if kind is EventType.COUNTER_OPENED:
                self._set_open(True)
            elif kind is EventType.COUNTER_CLOSED:
                self._set_open(False)
                self._set_ticket(None)
            elif kind is EventType.CALLED and event.ticket_number and event.service:
                # The next visitor is called: the last one's rating gives way.
                self._rating_gives_way()
                self._set_open(True)
                self._set_ticket(
                    CounterCall(event.ticket_number, event.service, TicketState.CALLED)
                )
                self._set_highlight(True)
            elif kind is EventType.RECALLED and self._ticket is not None:
                self._set_highlight(True)
            elif kind is EventType.SERVING and self._ticket is not None:
                self._set_ticket(
                    CounterCall(self._ticket.number, self._ticket.service, TicketState.SERVING)
                )
            elif kind is EventType.SERVED:
                self._set_ticket(None)
                self._ask_rating(event)
            elif kind is EventType.NO_SHOW:
                self._set_ticket(None)

    def _set_ticket(self, ticket: CounterCall | None) -> None:
        if ticket != self._ticket:
            self._ticket = ticket
            emit(self.ticket_changed, ticket)
        if ticket is None and self._highlighted:
            self._set_highlight(False)

    def _set_highlight(self, highlighted: bool) -> None:
        self._highlighted = highlighted
        if highlighted:
            self._highlight_timer.start()
        else:
            self._highlight_timer.stop()
        emit(self.highlight_changed, highlighted)

    def _set_open(self, is_open: bool) -> None:
        if is_open != self._open:
            self._open = is_open
            emit(self.open_changed, is_open)


__all__ = ["RATINGS", "CounterCall", "CounterScreenViewModel", "RatingPrompt"]
