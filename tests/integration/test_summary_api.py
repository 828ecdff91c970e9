"""``GET /api/v1/summary`` over real HTTP on both databases: a hand-built morning's figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from centre.summary import centre_summary
from centre.supervision import record_feedback
from tests.live_server import LiveServer, live_server


@pytest.fixture
def live(store: Store, clock: FixedClock, config: CentreConfig) -> Iterator[LiveServer]:
    """09:00 two licence renewals (max wait 45 min) and one fine (max 30) arrive; counter 1
    serves the first renewal, rated 4; at 09:40 a fine comes; at 09:50 it is looked at."""
    first = uc.issue_ticket(store, clock, config, "licence-renewal").ticket
    uc.issue_ticket(store, clock, config, "licence-renewal")
    uc.issue_ticket(store, clock, config, "traffic-fines")
    uc.open_counter(store, clock, config, "1")
    uc.open_counter(store, clock, config, "3")
    uc.call_next(store, clock, config, "1")
    clock.advance(timedelta(minutes=2))
    uc.start_serving(store, clock, config, "1")
    clock.advance(timedelta(minutes=6))
    uc.finish(store, clock, config, "1", expected=first.id)
    record_feedback(store, clock, config, first.id, 4)
    clock.advance(timedelta(minutes=32))
    uc.issue_ticket(store, clock, config, "traffic-fines")
    clock.advance(timedelta(minutes=10))
    with live_server(store, clock, config) as server:
        yield server


def test_the_summary_gives_the_mornings_figures(live: LiveServer) -> None:
    answer = live.client(live.enrol("integrator")).get("/api/v1/summary")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body == centre_summary(live.store, live.clock, live.config).as_json()
    assert body["centre"] == "traffic-dana"
    assert body["at"] == "2026-11-22T09:50:00+03:00"
    assert body["day"] == "2026-11-22"
    # Waiting: the second renewal (50 min, past 45) and both fines (50 min past 30; 10 min).
    assert body["waiting"] == 3
    assert body["longest_wait_s"] == 50 * 60
    assert body["breaches"] == 2
    services = {s["service"]: s for s in body["services"]}
    assert services["licence-renewal"] | {"name": None} == {
        "service": "licence-renewal",
        "name": None,
        "waiting": 1,
        "longest_wait_s": 3000,
        "max_wait_s": 2700,
        "breaches": 1,
        "paused": False,
    }
    assert (services["traffic-fines"]["waiting"], services["traffic-fines"]["breaches"]) == (2, 1)
    assert body["counters_open"] == 2
    assert body["counters"] == len(live.config.counters)
    assert body["today"] == {
        "visitors": 4,
        "served": 1,
        "no_shows": 0,
        "cancelled": 0,
        "satisfaction": 4.0,
        "ratings": 1,
        "rating_counts": [0, 0, 0, 1, 0],
    }
    assert body["sync"]["link"] in ("off", "offline", "online", "auth_failed")


def test_supervisors_read_it_and_screens_do_not(live: LiveServer) -> None:
    assert live.client(live.supervisor()).get("/api/v1/summary").status_code == 200
    for role in ("kiosk", "hall"):
        answer = live.client(live.enrol(role)).get("/api/v1/summary")
        assert answer.status_code == 403
        assert answer.json()["code"] == "forbidden"
    assert live.client().get("/api/v1/summary").status_code == 401
    reader = live.client(live.enrol("integrator"))
    assert reader.get("/api/v1/summary", params={"day": "x"}).status_code == 422
