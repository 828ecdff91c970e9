"""The ticket state machine: legal moves record one event each, illegal moves are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from centre.domain import EventType, Priority, Source, Ticket, TicketState
from centre.errors import IllegalTransition
from tests.helpers import MORNING, day


def waiting_ticket() -> Ticket:
    return Ticket(
        id="t1",
        business_day=day(),
        number="A001",
        service="licence-renewal",
        source=Source.WALK_IN,
        priority=Priority.NORMAL,
        issued_at=MORNING,
        arrived_at=MORNING,
    )


def test_the_ordinary_life_of_a_ticket() -> None:
    ticket = waiting_ticket()
    ticket.record_issued()
    ticket.call("3", MORNING + timedelta(minutes=10))
    ticket.recall(MORNING + timedelta(minutes=11))
    ticket.start(MORNING + timedelta(minutes=12))
    ticket.finish(MORNING + timedelta(minutes=18))
    assert ticket.state is TicketState.SERVED
    assert [e.type for e in ticket.events] == [
        EventType.TICKET_ISSUED,
        EventType.CALLED,
        EventType.RECALLED,
        EventType.SERVING,
        EventType.SERVED,
    ]
    assert ticket.events[1].data["waited_s"] == 600
    assert ticket.events[-1].data["service_s"] == 360
    assert all(e.counter == "3" for e in ticket.events[1:])
    assert len({e.id for e in ticket.events}) == 5


def test_transfer_keeps_arrival_and_number() -> None:
    ticket = waiting_ticket()
    ticket.call("1", MORNING + timedelta(minutes=5))
    ticket.start(MORNING + timedelta(minutes=6))
    ticket.transfer("licence-lost", MORNING + timedelta(minutes=8))
    assert ticket.state is TicketState.WAITING
    assert ticket.service == "licence-lost"
    assert ticket.arrived_at == MORNING
    assert ticket.number == "A001"
    assert ticket.counter is None
    event = ticket.events[-1]
    assert event.type is EventType.TRANSFERRED
    assert event.data == {
        "from_service": "licence-renewal",
        "to_service": "licence-lost",
        "from_counter": "1",
    }


@pytest.mark.parametrize(
    ("setup", "move"),
    [
        ([], lambda t: t.start(MORNING)),
        ([], lambda t: t.finish(MORNING)),
        ([], lambda t: t.recall(MORNING)),
        ([], lambda t: t.no_show(MORNING)),
        ([], lambda t: t.transfer("licence-lost", MORNING)),
        (["call"], lambda t: t.finish(MORNING)),
        (["call"], lambda t: t.cancel(MORNING)),
        (["call"], lambda t: t.call("2", MORNING)),
        (["call", "start"], lambda t: t.recall(MORNING)),
        (["call", "start"], lambda t: t.no_show(MORNING)),
        (["call", "start", "finish"], lambda t: t.call("1", MORNING)),
        (["call", "no_show"], lambda t: t.start(MORNING)),
        (["cancel"], lambda t: t.call("1", MORNING)),
        (["call"], lambda t: t.transfer("licence-renewal", MORNING)),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(setup: list[str], move: object) -> None:
    ticket = waiting_ticket()
    steps = {
        "call": lambda t: t.call("1", MORNING),
        "start": lambda t: t.start(MORNING),
        "finish": lambda t: t.finish(MORNING),
        "no_show": lambda t: t.no_show(MORNING),
        "cancel": lambda t: t.cancel(MORNING),
    }
    for step in setup:
        steps[step](ticket)
    before = (ticket.state, ticket.service, ticket.counter, len(ticket.events))
    with pytest.raises(IllegalTransition):
        move(ticket)  # type: ignore[operator]
    assert (ticket.state, ticket.service, ticket.counter, len(ticket.events)) == before
