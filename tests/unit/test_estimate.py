"""The estimated wait: the live queues played forward, by example and by property."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from centre.rules.estimate import (
    CLOSED_BACK_S,
    CURRENT_READS_MAX,
    CurrentReads,
    LiveQueues,
    OpenCounter,
    QueueNow,
    busy_for_seconds,
    counter_free_in,
    to_minutes,
    typical_service_seconds,
)

SERVICES = ("a", "b", "c")


def queue(service: str, waiting: int = 0, oldest_min: float = 0, ticket_s: float = 300) -> QueueNow:
    return QueueNow(service, waiting, oldest_min * 60, ticket_s, max_wait_s=3600)


def live(counters: list[OpenCounter], *queues: QueueNow) -> LiveQueues:
    known = {q.service: q for q in queues}
    for service in SERVICES:
        known.setdefault(service, queue(service))
    return LiveQueues(counters, known)


# -- by example --------------------------------------------------------------


def test_no_counter_serving_the_service_gives_none() -> None:
    centre = live([OpenCounter("1", {"b": 1.0})], queue("a", 3, 10))
    assert centre.wait_seconds("a", 2) is None
    assert centre.wait_minutes("a", 2) is None
    assert live([], queue("a", 3, 10)).wait_seconds("a", 0) is None


def test_an_idle_counter_calls_the_first_ticket_at_once() -> None:
    centre = live([OpenCounter("1", {"a": 1.0})], queue("a", 1))
    assert centre.wait_seconds("a", 0) == 0


def test_one_counter_works_through_the_queue_ahead() -> None:
    centre = live([OpenCounter("1", {"a": 1.0}, free_in_s=100)], queue("a", 4, 5))
    assert centre.wait_seconds("a", 3) == pytest.approx(100 + 3 * 300)


def test_two_counters_share_the_queue() -> None:
    counters = [OpenCounter("1", {"a": 1.0}), OpenCounter("2", {"a": 1.0})]
    assert live(counters, queue("a", 4, 5)).wait_seconds("a", 3) == pytest.approx(300)


def test_a_shared_counter_helps_only_when_its_other_queue_is_empty() -> None:
    counters = [OpenCounter("1", {"a": 1.0}), OpenCounter("2", {"a": 1.0, "b": 1.0})]
    quiet_b = live(counters, queue("a", 6, 10)).wait_seconds("a", 5)
    busy_b = live(counters, queue("a", 6, 10), queue("b", 20, 30)).wait_seconds("a", 5)
    assert quiet_b is not None
    assert busy_b is not None
    assert busy_b > quiet_b


def test_the_weights_of_a_shared_counter_steer_its_time() -> None:
    def wait(weight_a: float) -> float:
        counters = [OpenCounter("1", {"a": weight_a, "b": 1.0})]
        result = live(counters, queue("a", 5, 10), queue("b", 5, 10)).wait_seconds("a", 4)
        assert result is not None
        return result

    assert wait(3.0) < wait(1.0)


def test_a_priority_visitor_is_called_before_those_ahead() -> None:
    counters = [OpenCounter("1", {"a": 1.0}, free_in_s=60)]
    centre = live(counters, queue("a", 10, 20))
    assert centre.wait_seconds("a", 9, priority=True) == pytest.approx(60)
    assert centre.wait_seconds("a", 9) == pytest.approx(60 + 9 * 300)


def test_overdue_tickets_go_before_a_priority_visitor() -> None:
    counters = [OpenCounter("1", {"a": 1.0})]
    # Ten waiting for up to 90 minutes: the oldest are past the hour's maximum.
    centre = live(counters, queue("a", 10, 90))
    waited = centre.wait_seconds("a", 9, priority=True)
    assert waited is not None
    assert waited > 0


def test_a_due_appointment_waits_for_its_slot_or_its_turn() -> None:
    counters = [OpenCounter("1", {"a": 1.0})]
    centre = live(counters, queue("a", 10, 20))
    due_soon = centre.wait_seconds("a", 9, due_in_s=600)
    assert due_soon is not None
    assert 600 <= due_soon <= 900
    # Nobody ahead: called at once, by arrival, even before its slot.
    alone = live(counters, queue("a", 1)).wait_seconds("a", 0, due_in_s=1800)
    assert alone == 0


def test_a_counter_on_a_break_counts_from_its_return() -> None:
    open_now = live([OpenCounter("1", {"a": 1.0})], queue("a", 2, 5)).wait_seconds("a", 1)
    back_later = live([OpenCounter("1", {"a": 1.0}, free_in_s=900)], queue("a", 2, 5)).wait_seconds(
        "a", 1
    )
    assert open_now is not None
    assert back_later == pytest.approx(open_now + 900)


def test_a_long_queue_is_extrapolated_at_the_pace_played() -> None:
    centre = live([OpenCounter("1", {"a": 1.0})], queue("a", 20_000, 600))
    thousand = centre.wait_seconds("a", 1_000)
    two_thousand = centre.wait_seconds("a", 2_000)
    assert thousand is not None
    assert two_thousand is not None
    assert two_thousand == pytest.approx(2 * thousand, rel=0.01)


def test_minutes_round_to_the_nearest() -> None:
    assert [to_minutes(s) for s in (0, 29, 30, 89, 91, -5)] == [0, 0, 1, 1, 2, 0]


def test_typical_time_starts_from_the_configuration() -> None:
    assert typical_service_seconds([], 6) == 360
    assert typical_service_seconds([0, -1], 6) == 360


def test_typical_time_follows_many_recent_times() -> None:
    assert 500 < typical_service_seconds([600.0] * 20, 6) < 600


def test_typical_time_shrugs_off_one_outlier() -> None:
    steady = typical_service_seconds([300.0] * 19 + [300.0], 5)
    with_outlier = typical_service_seconds([300.0] * 19 + [30_000.0], 5)
    assert with_outlier < steady * 1.1


def test_typical_time_is_a_mean_not_a_median_of_skewed_times() -> None:
    skewed = [200.0, 220.0, 250.0, 260.0, 300.0, 320.0, 400.0, 500.0, 700.0, 900.0] * 2
    assert typical_service_seconds(skewed, 6) > sorted(skewed)[len(skewed) // 2]


def test_a_busy_counter_past_its_typical_time_still_takes_a_while() -> None:
    assert busy_for_seconds(300, 100) == 200
    assert busy_for_seconds(300, 1_000) == pytest.approx(90)
    assert busy_for_seconds(300, None) > 300


def test_free_in_from_what_is_known_of_a_counter() -> None:
    queues = {"a": queue("a", 3, 5), "b": queue("b")}
    assert counter_free_in(queues, ["a"], "a", busy_for_s=42) == 42
    assert counter_free_in(queues, ["a"], "a", busy_for_s=None) == 150
    assert counter_free_in(queues, ["b"], "b", busy_for_s=None) == 0
    assert counter_free_in(queues, ["a"], "a", busy_for_s=0, closed=True) == CLOSED_BACK_S
    on_break = counter_free_in(queues, ["a"], "a", busy_for_s=0, on_break=True, on_break_for_s=60)
    assert on_break > 600


def test_current_reads_stop_once_they_cannot_matter() -> None:
    reads = CurrentReads("a", ahead=1, serving=20)
    assert not reads.wants(["b"])
    assert reads.wants(["a", "b"])
    reads.saw(idle=True)
    assert reads.wants(["a"])
    reads.saw(idle=True)
    assert not reads.wants(["a"])  # two idle counters for one ahead: called at once
    capped = CurrentReads("a", ahead=5, serving=20)
    for _ in range(CURRENT_READS_MAX):
        assert capped.wants(["a"])
        capped.saw(idle=False)
    assert not capped.wants(["a"])
    assert not CurrentReads("a", ahead=10, serving=2).wants(["a"])  # a long queue
    assert CurrentReads(None, ahead=0, serving=0).wants(["z"])


# -- by property -------------------------------------------------------------


counters_st = st.lists(
    st.builds(
        lambda i, served, weight, free: OpenCounter(
            str(i), {s: weight if s == served[0] else 1.0 for s in served}, free
        ),
        st.integers(0, 99),
        st.lists(st.sampled_from(SERVICES), min_size=1, max_size=3, unique=True),
        st.floats(0.5, 3),
        st.floats(0, 900),
    ),
    min_size=1,
    max_size=5,
)
queues_st = st.tuples(
    *(
        st.builds(
            lambda service, waiting, oldest, ticket: queue(
                service, waiting, oldest if waiting else 0, ticket
            ),
            st.just(service),
            st.integers(0, 40),
            st.floats(0, 120),
            st.floats(60, 900),
        )
        for service in SERVICES
    )
)


@settings(max_examples=150, deadline=None)
@given(counters_st, queues_st, st.integers(0, 60))
def test_never_sooner_with_more_people_ahead(
    counters: list[OpenCounter], queues: tuple[QueueNow, ...], ahead: int
) -> None:
    centre = live(counters, *queues)
    first = centre.wait_seconds("a", ahead)
    later = live(counters, *queues).wait_seconds("a", ahead + 1)
    if not any("a" in c.weights for c in counters):
        assert first is None
        assert later is None
        return
    assert first is not None
    assert later is not None
    assert math.isfinite(later)
    assert 0 <= first <= later


@settings(max_examples=100, deadline=None)
@given(counters_st, queues_st, st.integers(0, 30))
def test_a_priority_visitor_is_never_told_longer(
    counters: list[OpenCounter], queues: tuple[QueueNow, ...], ahead: int
) -> None:
    normal = live(counters, *queues).wait_seconds("a", ahead)
    # The same ticket: it has waited as long as its place in the queue says.
    own = queues[0]
    spacing = own.oldest_wait_s / (own.waiting - 1) if own.waiting > 1 else 0.0
    waited = own.oldest_wait_s - ahead * spacing if ahead < own.waiting else 0.0
    priority = live(counters, *queues).wait_seconds("a", ahead, priority=True, waited_s=waited)
    if normal is None:
        assert priority is None
    else:
        assert priority is not None
        assert priority <= normal + 1e-6


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(1, 20_000), max_size=30), st.floats(0.5, 60))
def test_typical_time_stays_within_what_was_seen_and_configured(
    recent: list[float], configured: float
) -> None:
    typical = typical_service_seconds(recent, configured)
    low = min([*recent, configured * 60])
    high = max([*recent, configured * 60])
    # A log-normal mean may lie above every sample, never far above.
    assert low * 0.99 <= typical <= high * 2
