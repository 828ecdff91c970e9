"""The calling policy, by example and by property against the whole queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from centre.rules.policy import CounterView, choose_next
from tests.helpers import MORNING

SERVICES = ("a", "b", "c")


@dataclass(frozen=True)
class Waiting:
    id: str
    service: str
    arrived_at: datetime
    due_at: datetime | None = None
    is_priority: bool = False

    @property
    def arrival_seq(self) -> int:
        return int(self.id.lstrip("abcdefghijklmnopqrstuvwxyz-") or 0)


def counter(
    weights: dict[str, float] | None = None,
    max_wait_min: int = 60,
    share: float = 0.34,
    contested: tuple[int, int] = (0, 0),
) -> CounterView:
    weights = weights or {"a": 1.0, "b": 1.0}
    return CounterView(
        weights=weights,
        max_wait={s: timedelta(minutes=max_wait_min) for s in weights},
        priority_share=share,
        contested_calls=contested[0],
        contested_priority=contested[1],
    )


def at(minutes: float) -> datetime:
    return MORNING + timedelta(minutes=minutes)


def pick(tickets: list[Waiting], view: CounterView, now: datetime) -> str | None:
    chosen = choose_next(tickets, view, now)
    return chosen[0].id if chosen else None


def test_nobody_waiting() -> None:
    assert choose_next([], counter(), at(0)) is None
    assert pick([Waiting("x", "c", at(0))], counter(), at(5)) is None  # not served here


def test_arrival_order_within_a_service() -> None:
    tickets = [Waiting("late", "a", at(3)), Waiting("early", "a", at(1))]
    assert pick(tickets, counter(), at(10)) == "early"


def test_due_appointment_goes_first() -> None:
    tickets = [
        Waiting("walk-in", "a", at(0)),
        Waiting("booked", "a", at(5), due_at=at(9)),
        Waiting("booked-later", "b", at(2), due_at=at(30)),
    ]
    assert pick(tickets, counter(), at(10)) == "booked"
    # before its slot, an appointment waits by arrival like anyone else
    assert pick(tickets, counter(), at(8)) == "walk-in"


def test_overdue_jumps_ahead_of_everything() -> None:
    tickets = [
        Waiting("booked", "a", at(50), due_at=at(55)),
        Waiting("old", "b", at(0)),
        Waiting("elderly", "a", at(40), is_priority=True),
    ]
    chosen = choose_next(tickets, counter(max_wait_min=45), at(56))
    assert chosen is not None
    assert chosen[0].id == "old"
    assert chosen[1].reason == "overdue"


def test_weights_favour_a_service() -> None:
    tickets = [Waiting("a1", "a", at(5)), Waiting("b1", "b", at(0))]
    # b has waited 10 min, a 5 min; a weighs 3: 15 > 10
    assert pick(tickets, counter({"a": 3.0, "b": 1.0}), at(10)) == "a1"
    assert pick(tickets, counter({"a": 1.0, "b": 1.0}), at(10)) == "b1"


def test_weight_zero_only_when_nothing_else_waits() -> None:
    view = counter({"a": 0.0, "b": 1.0})
    assert pick([Waiting("a1", "a", at(0)), Waiting("b1", "b", at(9))], view, at(10)) == "b1"
    assert pick([Waiting("a1", "a", at(0))], view, at(10)) == "a1"


def test_priority_gets_its_share_and_no_more() -> None:
    normal = [Waiting(f"n{i}", "a", at(i)) for i in range(30)]
    elderly = [Waiting(f"p{i}", "a", at(i + 0.5), is_priority=True) for i in range(30)]
    pool = normal + elderly
    priority_calls, sequence = 0, []
    for calls in range(30):
        view = counter(share=1 / 3, contested=(calls, priority_calls))
        chosen = choose_next(pool, view, at(40))
        assert chosen is not None
        ticket, choice = chosen
        assert choice.contested
        pool.remove(ticket)
        priority_calls += int(choice.priority)
        sequence.append(ticket.id[0])
    assert priority_calls == 10
    assert "ppp" not in "".join(sequence)
    assert "nnn" not in "".join(sequence)


def test_priority_alone_is_served() -> None:
    tickets = [Waiting("p", "a", at(0), is_priority=True)]
    assert pick(tickets, counter(share=0.0), at(1)) == "p"


# -- properties ---------------------------------------------------------------


@st.composite
def queues(draw: st.DrawFn) -> tuple[list[Waiting], CounterView, datetime]:
    size = draw(st.integers(0, 25))
    tickets = []
    for i in range(size):
        arrived = draw(st.integers(0, 120))
        due = draw(st.one_of(st.none(), st.integers(0, 150)))
        tickets.append(
            Waiting(
                id=f"t{i:02d}",
                service=draw(st.sampled_from(SERVICES)),
                arrived_at=at(arrived),
                due_at=at(due) if due is not None else None,
                is_priority=draw(st.booleans()),
            )
        )
    served = draw(st.lists(st.sampled_from(SERVICES), min_size=1, max_size=3, unique=True))
    weights = {s: draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0])) for s in served}
    calls = draw(st.integers(0, 20))
    view = CounterView(
        weights=weights,
        max_wait={s: timedelta(minutes=draw(st.integers(5, 90))) for s in served},
        priority_share=draw(st.sampled_from([0.0, 0.25, 0.34, 0.5, 1.0])),
        contested_calls=calls,
        contested_priority=draw(st.integers(0, calls)),
    )
    return tickets, view, at(draw(st.integers(0, 200)))


def heads(tickets: list[Waiting], services: list[str], now: datetime) -> list[Waiting]:
    """What the store hands the policy: the head of each queue, as its indexes give them."""
    found: dict[str, Waiting] = {}
    for service in services:
        mine = sorted(
            (t for t in tickets if t.service == service),
            key=lambda t: (t.arrived_at, t.arrival_seq),
        )
        picks = [
            mine[:1],
            [t for t in mine if t.is_priority][:1],
            [t for t in mine if not t.is_priority][:1],
            sorted(
                (t for t in mine if t.due_at is not None and t.due_at <= now),
                key=lambda t: (t.due_at, t.arrived_at, t.arrival_seq),
            )[:1],
        ]
        for group in picks:
            for t in group:
                found[t.id] = t
    return list(found.values())


@settings(max_examples=400)
@given(queues())
def test_queue_heads_give_the_same_answer_as_the_whole_queue(
    case: tuple[list[Waiting], CounterView, datetime],
) -> None:
    tickets, view, now = case
    whole = choose_next(tickets, view, now)
    from_heads = choose_next(heads(tickets, list(view.weights), now), view, now)
    assert (whole and whole[0].id) == (from_heads and from_heads[0].id)
    assert (whole and whole[1]) == (from_heads and from_heads[1])


@settings(max_examples=400)
@given(queues())
def test_no_ticket_is_passed_over_once_past_the_maximum_wait(
    case: tuple[list[Waiting], CounterView, datetime],
) -> None:
    tickets, view, now = case
    eligible = [t for t in tickets if t.service in view.weights]
    overdue = [t for t in eligible if now - t.arrived_at > view.max_wait[t.service]]
    chosen = choose_next(tickets, view, now)
    assert (chosen is None) == (not eligible)
    if overdue:
        assert chosen is not None
        assert chosen[0] == min(overdue, key=lambda t: (t.arrived_at, t.arrival_seq))
