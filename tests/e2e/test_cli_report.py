"""``taboor report``: its JSON shape, its CSV, and its refusals, through the real command."""

from __future__ import annotations

import csv
from pathlib import Path

from centre import usecases as uc
from centre.store.unit_of_work import Store
from tests.helpers import MORNING, clock_at, demo_config, run_cli

# The figures of the issue's contract, in order.
ROW_KEYS = [
    "key",
    "visitors",
    "served",
    "no_shows",
    "cancelled",
    "wait_mean_s",
    "wait_p50_s",
    "wait_p90_s",
    "service_mean_s",
    "sla_pct",
    "satisfaction",
    "ratings",
]


def a_morning(url: str) -> None:
    """Two tickets of 22 November 2026: one served after 10 minutes' wait, one cancelled."""
    config, clock = demo_config(), clock_at(MORNING)
    store = Store.open(url)
    try:
        served = uc.issue_ticket(store, clock, config, "licence-renewal").ticket
        cancelled = uc.issue_ticket(store, clock, config, "traffic-fines").ticket
        clock.set(MORNING.replace(minute=10))
        uc.call_next(store, clock, config, "1")
        uc.start_serving(store, clock, config, "1")
        clock.set(MORNING.replace(minute=15))
        uc.finish(store, clock, config, "1")
        uc.cancel_ticket(store, clock, config, cancelled.id)
        assert served.number == "A001"
    finally:
        store.close()


def test_json_and_csv(sqlite_url: str, tmp_path: Path) -> None:
    a_morning(sqlite_url)
    args = ("report", "--from", "2026-11-22", "--to", "2026-11-22")
    got = run_cli(*args, "--by", "service", "--json", db=sqlite_url, home=tmp_path)
    assert got.code == 0, got.err
    found = got.json()
    # The contract's keys, and after them the bookings (an addition).
    assert list(found) == ["from", "to", "by", "rows", "total", "bookings"]
    assert (found["from"], found["to"], found["by"]) == ("2026-11-22", "2026-11-22", "service")
    # Each row starts with the contract's figures, in its order; added figures come after.
    assert all(list(row)[: len(ROW_KEYS)] == ROW_KEYS for row in [*found["rows"], found["total"]])
    renewal, fines = found["rows"]
    assert renewal["key"] == "licence-renewal"
    assert (renewal["served"], renewal["wait_mean_s"], renewal["service_mean_s"]) == (
        1,
        600.0,
        300.0,
    )
    assert (fines["cancelled"], fines["wait_mean_s"], fines["satisfaction"]) == (1, None, None)
    assert found["total"]["visitors"] == 2

    got = run_cli(
        *args, "--by", "counter", "--csv", str(tmp_path / "out"), db=sqlite_url, home=tmp_path
    )
    assert got.code == 0, got.err
    with (tmp_path / "out" / "report-counter.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][: len(ROW_KEYS)] == ROW_KEYS
    assert rows[0][len(ROW_KEYS) :] == [
        "walk_ins", "appointments", "ratings_1", "ratings_2", "ratings_3", "ratings_4",
        "ratings_5", "served_per_hour", "break_s",
    ]  # fmt: skip
    with (tmp_path / "out" / "report-bookings.csv").open(encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [
            ["service", "slot", "booked", "checked_in", "no_shows", "no_show_pct"]
        ]
    assert [r[:3] for r in rows[1:]] == [["1", "1", "1"], ["", "1", "0"], ["total", "2", "1"]]

    got = run_cli(*args, db=sqlite_url, home=tmp_path)
    assert got.code == 0, got.err
    assert "2026-11-22" in got.out
    assert "total" in got.out


def test_bad_dates_are_one_line_and_exit_2(sqlite_url: str, tmp_path: Path) -> None:
    for dates in (
        ("2026-11-23", "2026-11-22"),
        ("22/11/2026", "2026-11-22"),
        ("2026-02-30", "2026-03-01"),
    ):
        got = run_cli("report", "--from", dates[0], "--to", dates[1], db=sqlite_url, home=tmp_path)
        assert got.code == 2, dates
        assert got.out == ""
        assert got.err.count("\n") == 1
        assert got.err.startswith("taboor: ")
