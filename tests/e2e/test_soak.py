"""The soak: kiosks and counters as separate processes for a short, fast day, on both databases."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from centre.store.unit_of_work import Store
from sim.cli import SimOptions, soak_main
from sim.soak import run_soak

pytestmark = pytest.mark.slow

# Forty minutes of a normal day at 600 times real speed: about four seconds.
SHORT_SOAK = SimOptions(scenario="normal", seed=5, minutes=40, speed=600, kiosks=2, counters=3)


def test_a_short_soak_loses_and_doubles_nothing(db_url: str) -> None:
    Store.open(db_url).close()  # the schema exists before the processes race
    report = run_soak(replace(SHORT_SOAK, db=db_url))
    assert report.errors == []
    assert report.ok
    assert report.tickets > 5
    assert report.tickets == sum(len(p.issued) for p in report.processes)
    assert report.lost == []
    assert report.duplicate_numbers == []
    assert report.duplicate_calls == []
    assert report.seq_gaps == 0
    assert report.left_active == 0
    called = sum(len(p.called) for p in report.processes)
    assert called == report.tickets - report.by_state["waiting"]
    assert [p.role for p in report.processes] == ["kiosk", "kiosk", "counter", "counter", "counter"]
    for process in report.processes:
        assert 0 < process.rss_start_kb <= process.rss_peak_kb


def test_the_soak_prints_its_report(sqlite_url: str) -> None:
    out = io.StringIO()
    argv = ["--processes", "--scenario", "quiet", "--minutes", "20", "--speed", "600"]
    code = soak_main([*argv, "--kiosks", "1", "--counters", "1", "--db", sqlite_url], out=out)
    text = out.getvalue()
    assert code == 0, text
    assert "lost 0, unreported 0, duplicate numbers 0, duplicate calls 0" in text
    assert "rss_peak_mb" in text
    assert text.rstrip().endswith("ok")
