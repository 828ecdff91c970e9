"""Reports over simulated days give the simulator's own figures: one meaning for each figure.

Two short, crowded days are played on one store (SQLite, and PostgreSQL): walk-ins,
priority visitors and bookings (some too late, taking a walk-in ticket), visitors
sent on to a second service (some called there, some still waiting at the close),
recalls and no-shows, ratings, and waits past the services' maximum.
``centre.reports.report`` over those days, read from their tickets and log or from
their roll-ups, must then say what ``sim.figures`` says, with the report's rounding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pytest

from centre.config import CentreConfig
from centre.domain import TicketState
from centre.reports import Report, Row, report, roll_up_closed_days
from centre.store.unit_of_work import Store
from sim.day import DayResult, run_day
from sim.figures import ALL, KINDS, DayFigures, WaitFigures, figures_of
from sim.plan import plan_day
from sim.scenarios import scenario
from sim.stores import sim_store
from tests.helpers import demo_config

# The rush's morning with visitors who give up sooner, more of them sent on to another
# service, and the counters stopping soon after closing, so that some are left waiting.
CROWDED = replace(
    scenario("rush"),
    name="crowded",
    transfer_share=0.15,
    absent_share=0.05,
    patience_minutes=40,
    grace_minutes=5,
)
MINUTES = 150
# A Sunday and a Monday, each with its own seed.
DAYS = ((date(2026, 11, 22), 7), (date(2026, 11, 23), 11))
FIRST, LAST = DAYS[0][0], DAYS[-1][0]
# When the reports are asked: both days are over.
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

COUNTS = ("visitors", "served", "no_shows", "cancelled", "walk_ins", "appointments")
WAITS = ("wait_mean_s", "wait_p50_s", "wait_p90_s")
RATINGS = ("satisfaction", "ratings", "rating_counts")
FIGURES = (*COUNTS, *WAITS, "service_mean_s", "sla_pct", *RATINGS)


@dataclass(frozen=True)
class Played:
    """Simulated days on a store that is still open for the reports."""

    store: Store
    config: CentreConfig
    days: list[DayResult]
    figures: list[DayFigures]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def played(request: pytest.FixtureRequest) -> Iterator[Played]:
    if request.param == "sqlite":
        # The throwaway SQLite file of ``taboor simulate``.
        yield from _play(None)
        return
    pool = request.getfixturevalue("pg_schemas")
    schema = pool.take()
    try:
        yield from _play(pool.url(schema))
    finally:
        pool.give_back(schema)


def _play(url: str | None) -> Iterator[Played]:
    config = demo_config()
    with sim_store(url) as store:
        days = [
            run_day(
                store,
                config,
                CROWDED,
                plan_day(config, CROWDED, seed, store.cpr_key(), day=day, minutes=MINUTES),
                seed,
            )
            for day, seed in DAYS
        ]
        yield Played(store, config, days, [figures_of(day) for day in days])


def test_the_days_hold_what_the_definitions_tell_apart(played: Played) -> None:
    tickets = [(t, day.records[t.id]) for day in played.days for t in day.tickets]
    sent_on = [(t, r) for t, r in tickets if t.transfers]
    # Sent on and called again: the ticket's own called_at is that second call.
    assert any(
        t.called_at is not None
        and r.first_called_at is not None
        and t.called_at > r.first_called_at
        for t, r in sent_on
    )
    # Sent on and not called again: called once, yet its called_at is empty.
    assert any(t.called_at is None and r.first_called_at is not None for t, r in sent_on)
    assert any(t.state is TicketState.WAITING for t, _ in tickets)
    assert any(t.state is TicketState.NO_SHOW and t.recalls for t, _ in tickets)
    for kind in KINDS:
        assert any(r.kind == kind for _, r in tickets)
    # Booked visitors too late for their window, who took a walk-in ticket: more came
    # than checked in and were turned away.
    came = sum(
        1 for d in played.days for v in d.plan.visitors if v.kind == "appointment" and v.comes
    )
    away = sum(n for f in played.figures for n in f.turned_away.values())
    assert came - sum(f.by_kind["appointment"] for f in played.figures) > away
    assert any(f.within < f.waits[ALL].count for f in played.figures)
    assert all(f.ratings > 0 for f in played.figures)


def test_the_report_by_day_is_the_simulators_days(played: Played) -> None:
    found = report(played.store, played.config, FIRST, LAST, "day", NOW)
    assert _rows(found.rows, FIGURES) == {f.day: _day(f) for f in played.figures}
    total = found.total
    assert total.visitors == sum(f.visitors for f in played.figures)
    assert total.served == sum(f.by_state["served"] for f in played.figures)
    assert total.no_shows == sum(f.by_state["no_show"] for f in played.figures)
    assert total.appointments == sum(f.by_kind["appointment"] for f in played.figures)
    assert total.ratings == sum(f.ratings for f in played.figures)
    # Bookings: every one the plans made, checked in or not.
    assert sum(b.booked for b in found.bookings) == sum(f.booked for f in played.figures)
    assert sum(b.checked_in for b in found.bookings) == total.appointments


def test_the_rolled_up_days_report_the_same(played: Played) -> None:
    splits = ("day", "service", "counter", "clerk", "hour")
    before = [report(played.store, played.config, FIRST, LAST, by, NOW) for by in splits]
    assert roll_up_closed_days(played.store, played.config, NOW) == len(DAYS)
    after = [report(played.store, played.config, FIRST, LAST, by, NOW) for by in splits]
    assert after == before
    assert _rows(after[0].rows, FIGURES) == {f.day: _day(f) for f in played.figures}


@pytest.mark.parametrize("index", range(len(DAYS)))
def test_the_report_by_service_is_the_simulators_service_levels(played: Played, index: int) -> None:
    figures = played.figures[index]
    names = ("visitors", *WAITS, "service_mean_s", "sla_pct", "satisfaction", "ratings")
    expected = {
        s.service: {
            "visitors": s.tickets,
            **_waits(s.waits),
            "service_mean_s": _round(s.service_mean_s, 1),
            "sla_pct": _pct(s.within, s.called),
            "satisfaction": _round(s.satisfaction, 2),
            "ratings": s.ratings,
        }
        for s in figures.services
        if s.tickets
    }
    assert _rows(_report(played, index, "service").rows, names) == expected


@pytest.mark.parametrize("index", range(len(DAYS)))
def test_the_report_by_counter_is_the_simulators_counters(played: Played, index: int) -> None:
    figures = played.figures[index]
    expected: dict[str | None, dict[str, object]] = {
        c.counter: {"visitors": c.visitors, "served": c.served} for c in figures.counters
    }
    called = sum(c.visitors for c in figures.counters)
    assert called == figures.waits[ALL].count
    if figures.visitors > called:
        # Never called: no counter.
        expected[None] = {"visitors": figures.visitors - called, "served": 0}
    shown = {key: row for key, row in expected.items() if row["visitors"]}
    assert _rows(_report(played, index, "counter").rows, ("visitors", "served")) == shown


@pytest.mark.parametrize("index", range(len(DAYS)))
def test_the_report_by_hour_is_the_simulators_hours(played: Played, index: int) -> None:
    expected = {
        f"{hour:02d}": {"visitors": visitors, "served": served}
        for hour, visitors, served in played.figures[index].hourly
    }
    assert _rows(_report(played, index, "hour").rows, ("visitors", "served")) == expected


def _report(played: Played, index: int, by: str) -> Report:
    day = DAYS[index][0]
    return report(played.store, played.config, day, day, by, NOW)


def _rows(rows: list[Row], names: tuple[str, ...]) -> dict[str | None, dict[str, object]]:
    return {row.key: {name: getattr(row, name) for name in names} for row in rows}


def _day(figures: DayFigures) -> dict[str, object]:
    states, kinds = figures.by_state, figures.by_kind
    return {
        "visitors": figures.visitors,
        "served": states[TicketState.SERVED.value],
        "no_shows": states[TicketState.NO_SHOW.value],
        "cancelled": states[TicketState.CANCELLED.value],
        "walk_ins": kinds["walk_in"] + kinds["priority"],
        "appointments": kinds["appointment"],
        **_waits(figures.waits[ALL]),
        "service_mean_s": _round(figures.service_mean_s, 1),
        "sla_pct": _pct(figures.within, figures.waits[ALL].count),
        "satisfaction": _round(figures.satisfaction, 2),
        "ratings": figures.ratings,
        "rating_counts": figures.rating_counts,
    }


def _waits(waits: WaitFigures) -> dict[str, object]:
    return {
        "wait_mean_s": _round(waits.mean_s, 1),
        "wait_p50_s": _round(waits.p50_s, 1),
        "wait_p90_s": _round(waits.p90_s, 1),
    }


def _pct(within: int, called: int) -> float | None:
    # As the report rounds a share: percent to 0.1 point, None when nobody was called.
    return round(100 * within / called, 1) if called else None


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
