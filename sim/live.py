"""Live simulated visitors and clerks, in real time, for `taboor demo --simulate`.

Unlike the day simulator (``sim.day``), this runs on the real clock against
the demo's centre, next to the real screens: walk-ins arrive at the kiosk's
rate, booked visitors check in near their slot by its reference, and "robot"
clerks at the counters no person drives call, serve, sometimes see a no-show,
take breaks, and their visitors rate the service. ``speed`` makes walk-ins
come and services end that many times faster (appointment slots stay where
they are booked). Each step goes through the centre's port as a device does:
a kiosk's, and each robot counter's own (over HTTP, each with its token, as
the screens; in-process on one machine); a refusal is logged in one line and
the day goes on. Booked visitors know their own bookings: the demo hands the
simulator today's references and slots (:func:`bookings_file`), the store
need not be opened for them.
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from centre import usecases as uc
from centre.clock import Clock
from centre.config import CentreConfig
from centre.domain import TicketState
from centre.errors import BadInput, CentreUnreachable, TaboorError
from centre.port import CentrePort
from centre.process import stop_on_signals
from centre.store.unit_of_work import Store
from sim.scenarios import RATED_SHARE, RATING_WEIGHTS

log = logging.getLogger("taboor.simulate")

# Walk-ins an hour at speed 1: a steady mid-morning centre.
WALK_INS_PER_HOUR = 40.0
PRIORITY_SHARE = 0.1
NO_SHOW_SHARE = 0.06
WALK_TO_COUNTER_S = (8.0, 25.0)
BREAK_EVERY_S = 45 * 60.0
BREAK_FOR_S = 6 * 60.0
IDLE_RETRY_S = 6.0
# Real seconds before a step the server did not answer is tried again.
AWAY_RETRY_S = 2.0
# Booked visitors come this many minutes before their slot, at most.
EARLY_MINUTES = 15


@dataclass(order=True)
class _Step:
    due: float
    order: int
    action: Callable[[], None] = field(compare=False)


@dataclass(frozen=True)
class Booking:
    """A booking a simulated visitor holds: its reference (the QR) and its slot."""

    reference: str
    slot_start: datetime


def stored_bookings(store: Store, clock: Clock, config: CentreConfig) -> list[Booking]:
    """Today's bookings, read from this machine's store (the one-machine shape)."""
    with store.read() as repo:
        booked = repo.appointments_of_day(uc.business_day(config, clock.now()))
    return [Booking(a.reference, a.slot_start) for a in booked]


def write_bookings(path: Path, bookings: Sequence[Booking]) -> None:
    """Hand today's bookings to the simulator (references and slots only)."""
    rows = [{"reference": b.reference, "slot_start": b.slot_start.isoformat()} for b in bookings]
    path.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


def bookings_file(path: Path) -> list[Booking]:
    """The bookings :func:`write_bookings` wrote."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [Booking(r["reference"], datetime.fromisoformat(r["slot_start"])) for r in rows]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BadInput(f"cannot read the bookings file {path}: {error}") from None


@dataclass
class LiveOptions:
    """What `taboor simulate --live` was asked."""

    speed: float = 1.0
    clerk_pin: str = ""
    clerk_of: Callable[[str], str] | None = None
    seed: int | None = None
    stop_after_s: float | None = None


class LiveCentre:
    """Schedules visitors and robot clerks on the real clock.

    ``kiosk``: the port the visitors take tickets through; ``counters``: each
    robot counter and its own port; ``bookings``: today's bookings, asked
    again every half minute.
    """

    def __init__(
        self,
        kiosk: CentrePort,
        counters: Mapping[str, CentrePort],
        bookings: Callable[[], Sequence[Booking]],
        options: LiveOptions,
    ) -> None:
        if options.speed <= 0:
            raise ValueError("speed must be positive")
        self.kiosk, self.counters, self.bookings = kiosk, counters, bookings
        self.config, self.clock, self.options = kiosk.config, kiosk.clock, options
        self.random = random.Random(options.seed)
        self._steps: list[_Step] = []
        self._order = itertools.count()
        self._running = True
        self._checked_in: set[str] = set()
        self.counts: dict[str, int] = {"issued": 0, "checked_in": 0, "served": 0, "refused": 0}

    # -- scheduling -------------------------------------------------------

    def after(self, seconds: float, action: Callable[[], None]) -> None:
        """Do ``action`` ``seconds`` from now (real seconds)."""
        heapq.heappush(self._steps, _Step(time.monotonic() + seconds, next(self._order), action))

    def stop(self) -> None:
        """End the loop after the current step."""
        self._running = False

    def run(self) -> None:
        """Run until stopped (SIGTERM, SIGINT or ``stop_after_s``)."""
        started = time.monotonic()
        self.after(0, self.next_walk_in)
        self.after(0, self.bookings_due)
        for counter in self.counters:
            self.after(self.random.uniform(0, 3), partial(self.open_counter, counter))
        while self._running and self._steps:
            if self.options.stop_after_s is not None and (
                time.monotonic() - started >= self.options.stop_after_s
            ):
                break
            step = self._steps[0]
            wait = step.due - time.monotonic()
            if wait > 0:
                time.sleep(min(wait, 0.25))
                continue
            heapq.heappop(self._steps)
            self._do(step.action)

    def _do(self, action: Callable[[], None]) -> None:
        try:
            action()
        except CentreUnreachable as error:
            # The server is away (restarting, say): the same step again shortly.
            log.info("centre away, trying again: %s", error)
            self.after(AWAY_RETRY_S, action)
        except TaboorError as error:
            self.counts["refused"] += 1
            log.info("refused: %s", error)

    def _scaled(self, seconds: float) -> float:
        return seconds / self.options.speed

    # -- visitors ---------------------------------------------------------

    def next_walk_in(self) -> None:
        """A walk-in takes a ticket; the next one is drawn."""
        services = [s for s in self.config.services if s.walk_in]
        service = self.random.choices(services, weights=[s.service_minutes for s in services])[0]
        priority = "normal"
        classes = self.config.policy.priority_classes
        if classes and self.random.random() < PRIORITY_SHARE:
            priority = self.random.choice(classes)
        lang = "ar" if self.random.random() < 0.6 else "en"
        self.after(
            self._scaled(self.random.expovariate(WALK_INS_PER_HOUR / 3600)), self.next_walk_in
        )
        self.kiosk.issue_ticket(service.code, priority, lang)
        self.counts["issued"] += 1

    def bookings_due(self) -> None:
        """Booked visitors whose slot is near come and check in by their reference."""
        self.after(30.0, self.bookings_due)
        now = self.clock.now()
        due = [
            b
            for b in self.bookings()
            if b.reference not in self._checked_in
            and now <= b.slot_start <= now + timedelta(minutes=EARLY_MINUTES)
        ]
        for booking in due:
            self._checked_in.add(booking.reference)
            if self.random.random() < NO_SHOW_SHARE:
                continue
            early = (booking.slot_start - now).total_seconds()
            delay = self.random.uniform(0, max(early - 60, 0))
            self.after(delay, partial(self.check_in, booking.reference))

    def check_in(self, reference: str) -> None:
        """A booked visitor checks in at the kiosk."""
        self.kiosk.check_in_by_qr(reference)
        self.counts["checked_in"] += 1

    # -- robot clerks -----------------------------------------------------

    def open_counter(self, counter: str) -> None:
        """A robot clerk signs in (when the demo's staff exist) and opens the counter."""
        port = self.counters[counter]
        if self.options.clerk_of is not None and self.options.clerk_pin:
            try:
                port.sign_in(counter, self.options.clerk_of(counter), self.options.clerk_pin)
            except TaboorError as error:
                log.info("counter %s: no clerk signed in: %s", counter, error)
        port.open_counter(counter)
        self.after(
            self._scaled(self.random.uniform(0.6, 1.4) * BREAK_EVERY_S),
            lambda: self.take_break(counter),
        )
        self.call(counter)

    def call(self, counter: str) -> None:
        """Call the next ticket, or look again a little later."""
        port = self.counters[counter]
        desk = port.counter_desk(counter)
        if desk.on_break:
            return
        if desk.ticket is not None:
            # Called already, its answer lost (the server was away): carry on with it.
            ticket = desk.ticket.id
            if desk.ticket.state is TicketState.SERVING:
                self.after(self._scaled(60.0), lambda: self.finish(counter, ticket))
            else:
                self.after(self._scaled(5.0), lambda: self.serve(counter, ticket))
            return
        called = port.call_next(counter)
        if called is None:
            self.after(self._scaled(IDLE_RETRY_S), lambda: self.call(counter))
            return
        ticket = called.ticket.id
        walk = self._scaled(self.random.uniform(*WALK_TO_COUNTER_S))
        if self.random.random() < NO_SHOW_SHARE:
            self.after(walk, lambda: self.recall(counter, ticket))
            return
        self.after(walk, lambda: self.serve(counter, ticket))

    def recall(self, counter: str, ticket: str) -> None:
        """Nobody came: call again once, then mark a no-show."""
        port = self.counters[counter]
        port.recall(counter, expected=ticket)

        def give_up() -> None:
            port.no_show(counter, expected=ticket)
            self.after(self._scaled(3.0), lambda: self.call(counter))

        self.after(self._scaled(max(WALK_TO_COUNTER_S)), give_up)

    def serve(self, counter: str, ticket: str) -> None:
        """The visitor reached the counter; the service takes its time."""
        view = self.counters[counter].start_serving(counter, expected=ticket)
        minutes = self.config.service(view.ticket.service).service_minutes
        # Skewed like real service times: most short, a few long.
        seconds = minutes * 60 * self.random.lognormvariate(-0.18, 0.6)
        self.after(self._scaled(seconds), lambda: self.finish(counter, ticket))

    def finish(self, counter: str, ticket: str) -> None:
        """Done; most visitors rate the service; the clerk calls the next."""
        view = self.counters[counter].finish(counter, expected=ticket)
        self.counts["served"] += 1
        if view.ticket.state is TicketState.SERVED and self.random.random() < RATED_SHARE:
            rating = self.random.choices(range(1, 6), weights=RATING_WEIGHTS)[0]
            self.after(self._scaled(4.0), lambda: self.rate(counter, ticket, rating))
        self.after(self._scaled(self.random.uniform(2.0, 6.0)), lambda: self.call(counter))

    def rate(self, counter: str, ticket: str, rating: int) -> None:
        """The visitor taps a face on the screen over the counter."""
        self.counters[counter].record_feedback(ticket, rating)

    def take_break(self, counter: str) -> None:
        """A break once the current visitor is done."""
        port = self.counters[counter]
        if port.counter_desk(counter).ticket is not None:
            self.after(self._scaled(30.0), lambda: self.take_break(counter))
            return
        port.start_break(counter, "rest")
        self.after(self._scaled(BREAK_FOR_S), lambda: self.back(counter))

    def back(self, counter: str) -> None:
        """Back from the break: call the next visitor."""
        self.counters[counter].end_break(counter)
        self.after(self._scaled(BREAK_EVERY_S), lambda: self.take_break(counter))
        self.call(counter)


def run_live(
    kiosk: CentrePort,
    counters: Mapping[str, CentrePort],
    bookings: Callable[[], Sequence[Booking]],
    options: LiveOptions,
) -> int:
    """Run the live simulation until SIGTERM/SIGINT; returns the exit code."""
    live = LiveCentre(kiosk, counters, bookings, options)
    with stop_on_signals(live.stop, name="live-stop"):
        live.run()
    log.info("simulated: %s", ", ".join(f"{k} {v}" for k, v in live.counts.items()))
    return 0


__all__ = [
    "Booking",
    "LiveCentre",
    "LiveOptions",
    "bookings_file",
    "run_live",
    "stored_bookings",
    "write_bookings",
]
