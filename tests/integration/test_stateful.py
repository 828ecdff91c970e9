"""Random sequences of commands through the real use cases and store, checking the invariants.

After every step: each ticket is in exactly the state its events replay to,
numbers are unique per day, the event log rises by one without gaps, each
counter has at most one current ticket, and when a call is made while some
ticket has waited past its service's maximum, an overdue ticket is called.
"""

from __future__ import annotations

import contextlib
from collections import Counter as Tally
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from centre import usecases as uc
from centre.domain import ACTIVE_STATES, EventType, TicketState
from centre.errors import Refused
from centre.store.unit_of_work import Store
from tests.helpers import clock_at, demo_config

CONFIG = demo_config()
WALK_IN_SERVICES = [s.code for s in CONFIG.services if s.walk_in]
COUNTERS = [c.id for c in CONFIG.counters]
REPLAY = {
    EventType.TICKET_ISSUED: TicketState.WAITING,
    EventType.CHECKED_IN: TicketState.WAITING,
    EventType.CALLED: TicketState.CALLED,
    EventType.RECALLED: TicketState.CALLED,
    EventType.SERVING: TicketState.SERVING,
    EventType.SERVED: TicketState.SERVED,
    EventType.NO_SHOW: TicketState.NO_SHOW,
    EventType.TRANSFERRED: TicketState.WAITING,
    EventType.CANCELLED: TicketState.CANCELLED,
}


class CentreDay(RuleBasedStateMachine):
    """A centre morning driven by random clerks and visitors."""

    def __init__(self) -> None:
        super().__init__()
        self.store = Store.open("sqlite://")
        self.clock = clock_at()

    def teardown(self) -> None:
        self.store.close()

    @rule(
        service=st.sampled_from(WALK_IN_SERVICES),
        priority=st.sampled_from(["normal", "normal", "normal", "elderly", "pregnant"]),
    )
    def issue(self, service: str, priority: str) -> None:
        uc.issue_ticket(self.store, self.clock, CONFIG, service, priority)

    @rule(counter=st.sampled_from(COUNTERS))
    def call(self, counter: str) -> None:
        served = CONFIG.counter(counter).services
        now = self.clock.now()
        waiting = [
            v.ticket
            for v in uc.tickets_of_day(self.store, self.clock, CONFIG)
            if v.ticket.state is TicketState.WAITING and v.ticket.service in served
        ]
        overdue = [
            t
            for t in waiting
            if now - t.arrived_at > timedelta(minutes=CONFIG.service(t.service).max_wait_minutes)
        ]
        try:
            view = uc.call_next(self.store, self.clock, CONFIG, counter)
        except Refused:
            return  # the counter still has its current ticket
        assert (view is None) == (not waiting)
        if overdue:
            assert view is not None
            assert view.ticket.id == min(overdue, key=lambda t: (t.arrived_at, t.arrival_seq)).id

    @rule(
        counter=st.sampled_from(COUNTERS),
        action=st.sampled_from(["recall", "start", "finish", "no_show"]),
    )
    def act(self, counter: str, action: str) -> None:
        function = {
            "recall": uc.recall,
            "start": uc.start_serving,
            "finish": uc.finish,
            "no_show": uc.no_show,
        }[action]
        with contextlib.suppress(Refused):
            function(self.store, self.clock, CONFIG, counter)

    @rule(counter=st.sampled_from(COUNTERS), service=st.sampled_from(WALK_IN_SERVICES))
    def transfer(self, counter: str, service: str) -> None:
        with contextlib.suppress(Refused):
            uc.transfer(self.store, self.clock, CONFIG, counter, service)

    @rule(minutes=st.integers(1, 30))
    def time_passes(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))

    @invariant()
    def log_and_tables_agree(self) -> None:
        tickets = [v.ticket for v in uc.tickets_of_day(self.store, self.clock, CONFIG)]
        log = uc.events_since(self.store)
        assert [e.seq for e in log] == list(range(1, len(log) + 1))
        replayed: dict[str, TicketState] = {}
        for event in log:
            if event.ticket_id is not None:
                replayed[event.ticket_id] = REPLAY[event.type]
        assert replayed == {t.id: t.state for t in tickets}
        numbers = Tally(t.number for t in tickets)
        assert all(n == 1 for n in numbers.values())
        active = Tally(t.counter for t in tickets if t.state in ACTIVE_STATES)
        assert all(n == 1 for n in active.values())


CentreDay.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCentreDay = CentreDay.TestCase
