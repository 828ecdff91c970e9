"""Capped exponential back-off with full jitter, and retrying the central's failures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.backoff import Backoff, with_retries
from sync.errors import (
    CentralAuthFailed,
    CentralRateLimited,
    CentralUnreachable,
    MalformedAnswer,
)


def almost_one() -> float:
    return 0.999_999


def test_ceilings_double_up_to_the_cap() -> None:
    backoff = Backoff(base=1.0, cap=10.0, random=lambda: 1.0)
    delays = [backoff.next_delay() for _ in range(6)]
    assert delays == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert backoff.failures == 6


def test_full_jitter_scales_the_ceiling_by_the_random_draw() -> None:
    draws = iter([0.0, 0.5, 0.25])
    backoff = Backoff(base=2.0, cap=100.0, random=lambda: next(draws))
    assert [backoff.next_delay() for _ in range(3)] == [0.0, 2.0, 2.0]


def test_reset_starts_again_from_the_base() -> None:
    backoff = Backoff(base=1.0, cap=60.0, random=almost_one)
    for _ in range(5):
        backoff.next_delay()
    backoff.reset()
    assert backoff.failures == 0
    assert backoff.next_delay() == pytest.approx(1.0, rel=1e-5)


def test_retry_after_is_honoured_as_given() -> None:
    backoff = Backoff(base=1.0, cap=5.0, random=lambda: 0.0)
    assert backoff.next_delay(retry_after=42.0) == 42.0
    assert backoff.failures == 1


@pytest.mark.parametrize(("given_", "wanted"), [(-3.0, 0.0), (0.0, 0.0), (10_000.0, 3600.0)])
def test_retry_after_is_clamped(given_: float, wanted: float) -> None:
    assert Backoff().next_delay(retry_after=given_) == wanted


def test_delay_for_takes_the_retry_after_of_a_429() -> None:
    backoff = Backoff(base=1.0, cap=5.0, random=lambda: 0.0)
    assert backoff.delay_for(CentralRateLimited("slow down", retry_after=7.0)) == 7.0
    assert backoff.delay_for(CentralUnreachable("down")) == 0.0


def test_a_long_outage_never_overflows() -> None:
    backoff = Backoff(base=1.0, cap=300.0, random=almost_one)
    for _ in range(5000):
        delay = backoff.next_delay()
    assert delay <= 300.0


@pytest.mark.parametrize(("base", "cap"), [(0.0, 1.0), (-1.0, 1.0), (5.0, 1.0)])
def test_refuses_nonsense_settings(base: float, cap: float) -> None:
    with pytest.raises(ValueError, match="base"):
        Backoff(base=base, cap=cap)


@given(
    base=st.floats(0.01, 10.0),
    cap=st.floats(10.0, 1000.0),
    draws=st.lists(st.floats(0.0, 1.0, exclude_max=True), min_size=1, max_size=40),
)
def test_every_delay_lies_between_zero_and_the_cap(
    base: float, cap: float, draws: list[float]
) -> None:
    source = iter(draws)
    backoff = Backoff(base=base, cap=cap, random=lambda: next(source))
    for _ in draws:
        assert 0.0 <= backoff.next_delay() <= cap


class Flaky:
    """An operation that fails with the given errors, then returns ``"done"``."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


def test_with_retries_waits_as_the_backoff_says_then_succeeds() -> None:
    slept: list[float] = []
    backoff = Backoff(base=1.0, cap=60.0, random=lambda: 1.0)
    operation = Flaky(
        CentralUnreachable("refused"),
        CentralRateLimited("busy", retry_after=9.0),
        CentralUnreachable("503", status=503),
    )
    assert with_retries(operation, backoff, attempts=5, sleep=slept.append) == "done"
    assert slept == [1.0, 9.0, 4.0]
    assert operation.calls == 4
    assert backoff.failures == 0


def test_with_retries_gives_up_after_the_last_attempt() -> None:
    slept: list[float] = []
    operation = Flaky(*(CentralUnreachable(f"down {i}") for i in range(5)))
    with pytest.raises(CentralUnreachable, match="down 2"):
        with_retries(operation, Backoff(random=lambda: 0.5), attempts=3, sleep=slept.append)
    assert operation.calls == 3
    assert len(slept) == 2


@pytest.mark.parametrize(
    "error", [CentralAuthFailed("no", status=401), MalformedAnswer("junk"), ValueError("bug")]
)
def test_with_retries_never_retries_what_waiting_cannot_fix(error: Exception) -> None:
    slept: list[float] = []
    operation = Flaky(error)
    with pytest.raises(type(error)):
        with_retries(operation, Backoff(), attempts=5, sleep=slept.append)
    assert operation.calls == 1
    assert slept == []


def test_with_retries_needs_an_attempt() -> None:
    with pytest.raises(ValueError, match="attempts"):
        with_retries(Flaky(), Backoff(), attempts=0)
