"""A short simulated day through the real use cases on a real SQLite file."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import EventType, TicketState
from centre.store.unit_of_work import Store
from sim.cli import SimOptions, simulate_day, simulate_main
from sim.day import DayResult
from sim.figures import ALL, KINDS, figures_of

# Two hours of a normal day from opening, and of the rush with its outage.
SHORT = SimOptions(scenario="normal", seed=3, minutes=120)
RUSH = SimOptions(scenario="rush", seed=2, minutes=240)


@pytest.fixture(scope="module")
def day() -> DayResult:
    return simulate_day(SHORT)


def test_every_ticket_ends_served_no_show_or_waiting(day: DayResult) -> None:
    states = {t.state for t in day.tickets}
    assert states <= {TicketState.SERVED, TicketState.NO_SHOW, TicketState.WAITING}
    assert len(day.tickets) == len(day.records) > 20
    for ticket in day.tickets:
        if ticket.state is TicketState.SERVED:
            assert ticket.called_at is not None
            assert ticket.started_at is not None
            assert ticket.finished_at is not None
            assert ticket.issued_at <= ticket.called_at <= ticket.started_at <= ticket.finished_at
        if ticket.state is TicketState.WAITING:
            assert ticket.called_at is None
        # A booked visitor too late for the booking took a walk-in ticket, as a walk-in.
        assert (day.records[ticket.id].kind == "appointment") == (ticket.appointment_id is not None)
        first = day.records[ticket.id].first_called_at
        if ticket.called_at is not None:
            assert first is not None
            assert ticket.issued_at <= first <= ticket.called_at


def test_the_figures_add_up(day: DayResult) -> None:
    figures = figures_of(day)
    assert sum(figures.by_state.values()) == figures.visitors == len(day.tickets)
    came = sum(1 for v in day.plan.visitors if v.comes)
    assert figures.visitors + sum(figures.turned_away.values()) == came
    assert came + figures.never_came == figures.planned
    assert figures.booked == len(day.plan.appointments)
    assert sum(figures.by_kind.values()) == figures.visitors
    # Called once at least, whatever a transfer did to the ticket's own called_at.
    called = sum(1 for r in day.records.values() if r.first_called_at is not None)
    assert sum(figures.waits[kind].count for kind in KINDS) == figures.waits[ALL].count == called
    assert sum(s.tickets for s in figures.services) == figures.visitors
    assert sum(s.called for s in figures.services) == called
    assert all(s.within <= s.called <= s.tickets for s in figures.services)
    assert figures.within == sum(s.within for s in figures.services)
    assert sum(visitors for _, visitors, _ in figures.hourly) == figures.visitors
    assert sum(served for _, _, served in figures.hourly) == figures.by_state["served"]
    assert sum(c.visitors for c in figures.counters) == called
    assert sum(c.served for c in figures.counters) == figures.by_state["served"]
    assert figures.transferred == sum(1 for t in day.tickets if t.transfers) > 0
    assert figures.ratings == sum(1 for r in day.records.values() if r.rating is not None) > 0
    assert sum(figures.rating_counts) == figures.ratings
    for counter in figures.counters:
        assert 0 <= counter.busy_minutes <= counter.open_minutes + 1e-6
    assert figures.accuracy is not None
    assert figures.accuracy.tickets <= called


def test_the_same_seed_gives_the_same_figures(day: DayResult) -> None:
    again = figures_of(simulate_day(SHORT))
    first = figures_of(day)
    assert replace(again, wall_seconds=0) == replace(first, wall_seconds=0)
    other = figures_of(simulate_day(replace(SHORT, seed=4)))
    assert other.hourly != first.hourly


def test_the_rush_closes_a_counter_and_takes_breaks() -> None:
    result = simulate_day(RUSH)
    outage = next(b for b in result.plan.breaks if b.outage)
    assert outage.counter == "3"
    assert result.counters["3"].open_s < result.counters["1"].open_s
    assert figures_of(result).by_state["no_show"] >= 0


def test_csv_and_charts_are_written_and_readable(tmp_path: Path) -> None:
    out = io.StringIO()
    options = replace(SHORT, csv=tmp_path / "csv", charts=tmp_path / "charts")
    assert simulate_main(options, out=out) == 0
    text = out.getvalue()
    assert "service level" in text
    assert "visitors per hour of arrival" in text
    assert "satisfaction" in text
    with (tmp_path / "csv" / "tickets.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert {"number", "service", "kind", "state", "wait_min", "eta_min_at_issue"} <= set(rows[0])
    assert {"first_called_at", "called_at", "transfers", "rating"} <= set(rows[0])
    with (tmp_path / "csv" / "summary.csv").open(encoding="utf-8") as handle:
        summary = {row["figure"]: row["value"] for row in csv.DictReader(handle)}
    assert int(summary["visitors"]) == len(rows)
    for name in ("waits", "services", "hourly", "counters"):
        assert (tmp_path / "csv" / f"{name}.csv").read_text(encoding="utf-8").count("\n") >= 2
    for name in ("tickets_per_hour", "waits_by_service"):
        with Image.open(tmp_path / "charts" / f"{name}.png") as image:
            assert image.format == "PNG"
            assert image.size == (1000, 560)


def test_the_simulator_runs_on_a_given_empty_database(sqlite_url: str) -> None:
    out = io.StringIO()
    assert (
        simulate_main(["--scenario", "quiet", "--minutes", "60", "--db", sqlite_url], out=out) == 0
    )
    store = Store.open(sqlite_url)
    try:
        log = uc.events_since(store)
    finally:
        store.close()
    assert any(e.type is EventType.TICKET_ISSUED for e in log)


def test_the_simulator_refuses_a_database_in_use(
    sqlite_store: Store,
    sqlite_url: str,
    clock: FixedClock,
    config: CentreConfig,
    capsys: pytest.CaptureFixture[str],
) -> None:
    uc.issue_ticket(sqlite_store, clock, config, "A")
    assert simulate_main(["--minutes", "30", "--db", sqlite_url], out=io.StringIO()) == 2
    assert "needs an empty database" in capsys.readouterr().err
