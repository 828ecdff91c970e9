"""One simulated day in this process: an event queue drives the real use cases on a fixed clock."""

from __future__ import annotations

import heapq
import itertools
import time as wallclock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from centre import staff
from centre import supervision as sv
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import Ticket
from centre.errors import OutsideWindow, Refused
from centre.store.unit_of_work import Store
from sim.plan import BreakPlan, DayPlan, Visitor
from sim.scenarios import Scenario

# A clerk calls the next visitor this long after finishing one.
NEXT_CALL_S = 10.0
# A called visitor who does not come is called again after this long, then marked no-show.
RECALL_AFTER_S = 60.0
# Every simulated clerk's PIN (invented).
CLERK_PIN = "4821"

Action = Callable[..., None]


def _clerk(counter_id: str) -> str:
    return f"sim-{counter_id}"[: staff.STAFF_ID_MAX]


@dataclass
class TicketRecord:
    """What the visitor was told when the ticket was issued, and what became of it."""

    ticket_id: str
    number: str
    # The service the ticket was issued for (a transfer does not change it).
    service: str
    kind: str  # walk_in, priority, appointment (a ticket checked in for a booking)
    issued_s: float
    ahead: int
    eta_minutes: int | None
    naive_minutes: float | None
    # The ticket's first call: the instant of its first ``called`` event, and where.
    first_called_at: datetime | None = None
    first_counter: str | None = None
    transferred: bool = False
    rating: int | None = None


@dataclass
class CounterBook:
    """A counter's day as the simulator saw it: time open and time with a visitor."""

    id: str
    services: tuple[str, ...]
    state: str = "closed"  # closed, idle, calling, serving, away
    ticket_id: str | None = None
    open_s: float = 0.0
    busy_s: float = 0.0
    available_since: float = 0.0
    busy_since: float = 0.0
    call_pending: bool = False
    idle_since: float = 0.0
    away: list[BreakPlan] = field(default_factory=list)


@dataclass
class DayResult:
    """A finished day: the tickets as the store has them and what the simulator recorded."""

    scenario: Scenario
    seed: int
    config: CentreConfig
    plan: DayPlan
    tickets: list[Ticket]
    records: dict[str, TicketRecord]
    counters: dict[str, CounterBook]
    turned_away: dict[str, int]
    never_came: int
    events: int
    wall_seconds: float


def run_day(
    store: Store, config: CentreConfig, scenario: Scenario, plan: DayPlan, seed: int
) -> DayResult:
    """Play ``plan`` on ``store`` (empty, schema made) as fast as it goes."""
    started = wallclock.perf_counter()
    with store.read() as repo:
        events_before = repo.last_seq()
    uc.store_appointments(store, plan.appointments)
    day = _Day(store, config, scenario, plan)
    day.run()
    with store.read() as repo:
        tickets = repo.tickets_of_day(plan.day)
        events = repo.last_seq()
    return DayResult(
        scenario=scenario,
        seed=seed,
        config=config,
        plan=plan,
        tickets=tickets,
        records=day.records,
        counters=day.counters,
        turned_away=day.turned_away,
        never_came=sum(1 for v in plan.visitors if not v.comes),
        events=events - events_before,
        wall_seconds=wallclock.perf_counter() - started,
    )


class _Day:
    def __init__(
        self, store: Store, config: CentreConfig, scenario: Scenario, plan: DayPlan
    ) -> None:
        self.store = store
        self.config = config
        self.scenario = scenario
        self.plan = plan
        self.clock = FixedClock(plan.opens_at)
        self.now = 0.0
        self._queue: list[tuple[float, int, Action, tuple[Any, ...]]] = []
        self._order = itertools.count()
        self.counters = {c.id: CounterBook(c.id, tuple(c.services)) for c in config.counters}
        self.records: dict[str, TicketRecord] = {}
        self.visitor_of: dict[str, Visitor] = {}
        self.waiting: dict[str, int] = {s.code: 0 for s in config.services}
        self.turned_away: dict[str, int] = {}
        self.closing = False
        self._signing_in = {b.counter for b in plan.breaks if b.outage}

    # -- the event queue ----------------------------------------------------

    def at(self, seconds: float, action: Action, *args: Any) -> None:
        heapq.heappush(self._queue, (seconds, next(self._order), action, args))

    def run(self) -> None:
        self._hire()
        for visitor in self.plan.visitors:
            if visitor.comes:
                self.at(visitor.arrive_s, self.arrive, visitor)
        for counter in self.counters:
            self.at(0.0, self.open, counter)
        for pause in self.plan.breaks:
            if pause.counter in self.counters:
                self.at(pause.start_s, self.break_due, pause)
        self.at(self.plan.open_s + self.scenario.grace_minutes * 60, self.close_day)
        while self._queue:
            self.now, _, action, args = heapq.heappop(self._queue)
            self.clock.set(self.plan.at(self.now))
            action(*args)

    def _hire(self) -> None:
        # A clerk account for each counter that signs in (scrypt makes each one slow), once
        # however many days are played on the store.
        for counter in sorted(self._signing_in):
            if staff.staff_member(self.store, _clerk(counter)) is not None:
                continue
            staff.add_staff(
                self.store,
                self.clock,
                _clerk(counter),
                name_ar=f"موظف {counter}",
                name_en=f"Clerk {counter}",
                pin=CLERK_PIN,
            )

    # -- visitors -----------------------------------------------------------

    def arrive(self, visitor: Visitor, as_walk_in: bool = False) -> None:
        try:
            if visitor.kind == "appointment" and not as_walk_in:
                assert visitor.cpr is not None
                view = uc.check_in_by_cpr(
                    self.store, self.clock, self.config, visitor.cpr, lang=visitor.lang
                )
            else:
                view = uc.issue_ticket(
                    self.store,
                    self.clock,
                    self.config,
                    visitor.service,
                    priority=visitor.priority,
                    lang=visitor.lang,
                )
        except OutsideWindow as refused:
            self._outside_window(visitor, refused)
            return
        except Refused as refused:
            self._turn_away(refused.code)
            return
        ticket = view.ticket
        self.visitor_of[ticket.id] = visitor
        self.records[ticket.id] = TicketRecord(
            ticket_id=ticket.id,
            number=ticket.number,
            service=ticket.service,
            # A booked visitor too late for the booking takes a walk-in ticket.
            kind="walk_in" if as_walk_in else visitor.kind,
            issued_s=self.now,
            ahead=view.ahead,
            eta_minutes=view.eta_minutes,
            naive_minutes=self._naive(ticket.service, view.ahead),
        )
        self.waiting[ticket.service] += 1
        self.dispatch()

    def _outside_window(self, visitor: Visitor, refused: OutsideWindow) -> None:
        service = self.config.service(visitor.service)
        if refused.params.get("when") == "early" and visitor.slot_s is not None:
            # Told when check-in opens, the visitor waits for it and tries again.
            again = visitor.slot_s - service.checkin.early_minutes * 60 + 30
            self.at(max(again, self.now + 30), self.arrive, visitor)
        elif service.walk_in:
            self.arrive(visitor, as_walk_in=True)
        else:
            self._turn_away("late")

    def _turn_away(self, reason: str) -> None:
        self.turned_away[reason] = self.turned_away.get(reason, 0) + 1

    def _naive(self, service: str, ahead: int) -> float | None:
        # The figure a simple display would show: people ahead x the configured
        # service time / counters staffed now that serve the service.
        staffed = sum(
            1
            for c in self.counters.values()
            if service in c.services and c.state in ("idle", "calling", "serving")
        )
        if staffed == 0:
            return None
        return ahead * self.config.service(service).service_minutes / staffed

    # -- counters -----------------------------------------------------------

    def dispatch(self) -> None:
        """Wake idle clerks, one per waiting ticket they could call (no stampede)."""
        budget = {code: n for code, n in self.waiting.items() if n > 0}
        if not budget:
            return
        idle = [c for c in self.counters.values() if c.state == "idle"]
        for counter in idle:
            if counter.call_pending:
                self._spend(budget, counter)
        for counter in sorted(idle, key=lambda c: (c.idle_since, c.id)):
            if not counter.call_pending and self._spend(budget, counter):
                counter.call_pending = True
                self.at(self.now, self.call, counter.id)

    @staticmethod
    def _spend(budget: dict[str, int], counter: CounterBook) -> bool:
        for code in counter.services:
            if budget.get(code, 0) > 0:
                budget[code] -= 1
                return True
        return False

    def open(self, counter_id: str) -> None:
        if counter_id in self._signing_in:
            # Only where it tells something (a counter closed with its clerk still
            # signed in is out for a while): checking a PIN takes 50 ms on purpose.
            staff.sign_in(
                self.store, self.clock, self.config, counter_id, _clerk(counter_id), CLERK_PIN
            )
        uc.open_counter(self.store, self.clock, self.config, counter_id)
        book = self.counters[counter_id]
        book.state = "idle"
        book.available_since = self.now
        book.idle_since = self.now
        book.call_pending = True
        self.at(self.now, self.call, counter_id)

    def call(self, counter_id: str) -> None:
        book = self.counters[counter_id]
        book.call_pending = False
        if book.state != "idle":
            return
        if book.away:
            self._go_away(book, book.away.pop(0))
            return
        if self.closing:
            self._close(book)
            return
        if not any(self.waiting[code] for code in book.services):
            # Nobody waits for this counter: the clerk would only hear "nobody to call".
            book.idle_since = self.now
            return
        view = uc.call_next(self.store, self.clock, self.config, counter_id)
        if view is None:
            book.idle_since = self.now
            self.dispatch()
            return
        ticket = view.ticket
        self.waiting[ticket.service] -= 1
        book.state = "calling"
        book.ticket_id = ticket.id
        book.busy_since = self.now
        visitor = self.visitor_of[ticket.id]
        record = self.records[ticket.id]
        if record.first_called_at is None:
            # Ticket.call stamps called_at and its ``called`` event with the same instant.
            record.first_called_at = ticket.called_at
            record.first_counter = counter_id
        # Sent on from a counter, the visitor is in the hall and comes when called.
        gone = not record.transferred and (
            visitor.absent or self.now - record.issued_s > visitor.patience_s
        )
        if gone:
            self.at(self.now + RECALL_AFTER_S, self.recall, counter_id, ticket.id)
        else:
            self.at(self.now + visitor.walk_s, self.start, counter_id, ticket.id)
        self.dispatch()

    def start(self, counter_id: str, ticket_id: str) -> None:
        uc.start_serving(self.store, self.clock, self.config, counter_id, expected=ticket_id)
        self.counters[counter_id].state = "serving"
        visitor = self.visitor_of[ticket_id]
        if self.records[ticket_id].transferred:
            self.at(self.now + visitor.then_s, self.finish, counter_id, ticket_id)
        elif visitor.transfer_to is not None:
            onward = visitor.transfer_to
            self.at(self.now + visitor.service_s, self.send_on, counter_id, ticket_id, onward)
        else:
            self.at(self.now + visitor.service_s, self.finish, counter_id, ticket_id)

    def send_on(self, counter_id: str, ticket_id: str, target: str) -> None:
        """The clerk transfers the visitor to the other service the visitor needs."""
        uc.transfer(self.store, self.clock, self.config, counter_id, target, expected=ticket_id)
        self.records[ticket_id].transferred = True
        self.waiting[target] += 1
        self._free(counter_id)
        self.dispatch()

    def finish(self, counter_id: str, ticket_id: str) -> None:
        view = uc.finish(self.store, self.clock, self.config, counter_id, expected=ticket_id)
        self._free(counter_id)
        record = self.records[ticket_id]
        first_call = record.first_called_at or view.ticket.issued_at
        waited = (first_call - view.ticket.issued_at).total_seconds()
        max_wait = self.config.service(record.service).max_wait_minutes
        rating = self.visitor_of[ticket_id].rating(kept_waiting=waited > max_wait * 60)
        if rating is not None:
            # Tapped on the screen over the counter as the visitor leaves.
            sv.record_feedback(self.store, self.clock, self.config, ticket_id, rating)
            record.rating = rating

    def recall(self, counter_id: str, ticket_id: str) -> None:
        uc.recall(self.store, self.clock, self.config, counter_id, expected=ticket_id)
        self.at(self.now + RECALL_AFTER_S, self.no_show, counter_id, ticket_id)

    def no_show(self, counter_id: str, ticket_id: str) -> None:
        uc.no_show(self.store, self.clock, self.config, counter_id, expected=ticket_id)
        self._free(counter_id)

    def _free(self, counter_id: str) -> None:
        book = self.counters[counter_id]
        book.busy_s += self.now - book.busy_since
        book.state = "idle"
        book.ticket_id = None
        book.idle_since = self.now
        book.call_pending = True
        self.at(self.now + NEXT_CALL_S, self.call, counter_id)

    def break_due(self, pause: BreakPlan) -> None:
        book = self.counters[pause.counter]
        if book.state in ("closed", "away") or self.closing:
            return
        book.away.append(pause)
        if book.state == "idle" and not book.call_pending:
            book.call_pending = True
            self.at(self.now, self.call, book.id)

    def _go_away(self, book: CounterBook, pause: BreakPlan) -> None:
        book.open_s += self.now - book.available_since
        if pause.outage:
            uc.close_counter(self.store, self.clock, self.config, book.id)
        else:
            staff.start_break(self.store, self.clock, self.config, book.id)
        book.state = "away"
        self.at(self.now + pause.seconds, self.come_back, book.id, pause)

    def come_back(self, counter_id: str, pause: BreakPlan) -> None:
        book = self.counters[counter_id]
        if self.closing:
            staff.sign_out(self.store, self.clock, self.config, counter_id)
            book.state = "closed"
            return
        if pause.outage:
            uc.open_counter(self.store, self.clock, self.config, counter_id)
        else:
            staff.end_break(self.store, self.clock, self.config, counter_id)
        book.state = "idle"
        book.available_since = self.now
        book.idle_since = self.now
        book.call_pending = True
        self.at(self.now, self.call, counter_id)

    def close_day(self) -> None:
        self.closing = True
        for book in self.counters.values():
            if book.state == "idle":
                self._close(book)

    def _close(self, book: CounterBook) -> None:
        book.open_s += self.now - book.available_since
        staff.sign_out(self.store, self.clock, self.config, book.id)
        book.state = "closed"
