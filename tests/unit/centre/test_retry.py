"""The one retry schedule: waits doubling from a base up to a cap, with optional full jitter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from centre.retry import RetrySchedule


def test_waits_double_from_the_base_up_to_the_cap() -> None:
    schedule = RetrySchedule(base=0.5, cap=4.0)
    assert [schedule.delay(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_jitter_draws_below_the_ceiling() -> None:
    draws = iter([0.0, 0.5, 0.25])
    schedule = RetrySchedule(base=2.0, cap=100.0, jitter=True, random=lambda: next(draws))
    assert [schedule.delay(n) for n in range(3)] == [0.0, 2.0, 2.0]
    assert schedule.ceiling(2) == 8.0


def test_a_zero_base_retries_at_once() -> None:
    schedule = RetrySchedule(base=0.0, cap=0.0)
    assert [schedule.delay(n) for n in range(3)] == [0.0, 0.0, 0.0]


def test_a_long_outage_never_overflows() -> None:
    assert RetrySchedule(base=1.0, cap=300.0).delay(100_000) == 300.0


def test_a_negative_count_is_the_first_failure() -> None:
    assert RetrySchedule(base=0.2, cap=5.0).delay(-1) == 0.2


@pytest.mark.parametrize(("base", "cap"), [(-1.0, 1.0), (5.0, 1.0)])
def test_refuses_nonsense_settings(base: float, cap: float) -> None:
    with pytest.raises(ValueError, match="base <= cap"):
        RetrySchedule(base=base, cap=cap)


@given(
    base=st.floats(0.0, 10.0),
    cap=st.floats(10.0, 1000.0),
    failures=st.integers(0, 10_000),
    draw=st.floats(0.0, 1.0, exclude_max=True),
    jitter=st.booleans(),
)
def test_every_wait_lies_between_zero_and_the_cap(
    base: float, cap: float, failures: int, draw: float, jitter: bool
) -> None:
    schedule = RetrySchedule(base=base, cap=cap, jitter=jitter, random=lambda: draw)
    assert 0.0 <= schedule.delay(failures) <= cap
    assert schedule.delay(failures + 1) >= schedule.delay(failures) or jitter
