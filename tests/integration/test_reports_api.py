"""``GET /api/v1/reports`` over real HTTP on both databases: the same JSON as ``taboor report``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from centre import reports
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from server.client import REPORT_TIMEOUT
from tests.helpers import day
from tests.live_server import LiveServer, live_server


@pytest.fixture
def live(store: Store, clock: FixedClock, config: CentreConfig) -> Iterator[LiveServer]:
    for service in ("licence-renewal", "licence-renewal", "traffic-fines"):
        uc.issue_ticket(store, clock, config, service)
        clock.advance(timedelta(minutes=3))
    uc.open_counter(store, clock, config, "1")
    uc.call_next(store, clock, config, "1")
    clock.advance(timedelta(minutes=2))
    uc.start_serving(store, clock, config, "1")
    clock.advance(timedelta(minutes=6))
    uc.finish(store, clock, config, "1")
    with live_server(store, clock, config) as server:
        yield server


@pytest.mark.parametrize("by", ["day", "service", "counter", "hour"])
def test_the_supervisor_and_an_integrator_get_the_reports_json(live: LiveServer, by: str) -> None:
    today = day(live.clock.now())
    expected = reports.report(live.store, live.config, today, today, by).as_json()
    for token in (live.supervisor(), live.enrol("integrator")):
        # As long as the supervisor's screen waits: the report worker starts at the first
        # report and runs at the lowest priority, slow on a machine busy with other tests.
        answer = live.client(token, timeout=REPORT_TIMEOUT).get(
            "/api/v1/reports", params={"from": today.isoformat(), "to": today.isoformat(), "by": by}
        )
        assert answer.status_code == 200, answer.text
        assert answer.json() == expected
    assert expected["total"]["visitors"] == 3
    assert expected["total"]["served"] == 1


def test_other_devices_and_bad_periods_are_refused(live: LiveServer) -> None:
    today = day(live.clock.now()).isoformat()
    period = {"from": today, "to": today}
    assert live.client(live.enrol("kiosk")).get("/api/v1/reports", params=period).status_code == 403
    assert live.client(live.enrol("hall")).get("/api/v1/reports", params=period).status_code == 403
    reader = live.client(live.enrol("integrator"))
    for params in (
        {"from": "2026-11-30", "to": "2026-11-01"},
        {"from": "2026-02-30", "to": "2026-03-01"},
        {"from": "2000-01-01", "to": "2026-01-01"},
        {**period, "by": "year"},
        {"to": today},
    ):
        answer = reader.get("/api/v1/reports", params=params)
        assert answer.status_code == 422, params
        assert answer.json()["code"] == "bad_input"
