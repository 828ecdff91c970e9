"""The reference central booking API over real HTTP on 127.0.0.1: data, paging, intake, faults."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from http.client import HTTPConnection
from typing import Any

import httpx
import pytest

from centre.config import CentreConfig
from sync.central_sim import CentralSim, serve
from sync.qr import Ed25519QrVerifier, read_booking_qr
from tests.helpers import BAHRAIN, MORNING, demo_config

TOKEN = "sim-token"  # noqa: S105 (a made-up token for a local test server)
CENTRE = "traffic-dana"
SUNDAY = MORNING.date()
FRIDAY = SUNDAY + timedelta(days=5)
TIMEOUT = httpx.Timeout(5.0, connect=2.0)
# A connection refused, reset or closed before the answer came: not a time-out.
DROPPED = (httpx.NetworkError, httpx.RemoteProtocolError)


def other_centre() -> CentreConfig:
    config = demo_config()
    info = config.centre.model_copy(update={"id": "passports-isa-town"})
    return config.model_copy(update={"centre": info})


@pytest.fixture
def sim() -> Iterator[CentralSim]:
    central = CentralSim(
        [demo_config(), other_centre()],
        token=TOKEN,
        centre_tokens={"isa-town-only": "passports-isa-town"},
        appointments_per_day=120,
        page_size=50,
        clock=lambda: MORNING,
        max_body_bytes=64 * 1024,
    )
    central.start()
    yield central
    central.stop()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    # Never a proxy: 127.0.0.1 only.
    with httpx.Client(trust_env=False, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def get_page(
    http: httpx.Client, sim: CentralSim, day: date = SUNDAY, cursor: str | None = None
) -> dict[str, Any]:
    params = {"date": day.isoformat(), **({"cursor": cursor} if cursor else {})}
    response = http.get(
        f"{sim.url}/v1/centres/{CENTRE}/appointments", params=params, timeout=TIMEOUT
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def whole_day(http: httpx.Client, sim: CentralSim, day: date = SUNDAY) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = get_page(http, sim, day, cursor)
        items += page["appointments"]
        cursor = page["cursor"]
        if not page["more"]:
            return items


def new_event(seq: int, **changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "type": "ticket_issued",
        "at": MORNING.isoformat(),
        "ticket": {"id": f"t-{seq}", "number": f"A{seq:03d}", "service": "licence-renewal"},
        "appointment_id": None,
        "counter": None,
        "data": {},
    }
    event.update(changes)
    return event


def post_events(
    http: httpx.Client, sim: CentralSim, events: list[Any], centre: str = CENTRE
) -> httpx.Response:
    return http.post(
        f"{sim.url}/v1/centres/{centre}/events", json={"events": events}, timeout=TIMEOUT
    )


# Authentication -----------------------------------------------------------


def test_health_answers_ok(sim: CentralSim, http: httpx.Client) -> None:
    response = http.get(f"{sim.url}/v1/health", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic c2ltLXRva2Vu", "Bearer ", TOKEN])
def test_a_missing_or_wrong_token_is_401(sim: CentralSim, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    for path in ("/v1/health", f"/v1/centres/{CENTRE}/appointments?date=2026-11-22"):
        # http.client sends "Bearer " as it is; httpx (h11) refuses a trailing space.
        connection = HTTPConnection("127.0.0.1", sim.port, timeout=5)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            assert response.status == 401
            assert response.getheader("WWW-Authenticate", "").startswith("Bearer")
            assert json.loads(response.read())["error"]
        finally:
            connection.close()


def test_a_token_limited_to_one_centre_is_403_for_another(sim: CentralSim) -> None:
    headers = {"Authorization": "Bearer isa-town-only"}
    own = httpx.get(
        f"{sim.url}/v1/centres/passports-isa-town/appointments?date=2026-11-22",
        headers=headers,
        timeout=TIMEOUT,
    )
    other = httpx.get(
        f"{sim.url}/v1/centres/{CENTRE}/appointments?date=2026-11-22",
        headers=headers,
        timeout=TIMEOUT,
    )
    health = httpx.get(f"{sim.url}/v1/health", headers=headers, timeout=TIMEOUT)
    assert (own.status_code, other.status_code, health.status_code) == (200, 403, 200)


# Appointments ---------------------------------------------------------------


def test_a_day_of_invented_bookings(sim: CentralSim, http: httpx.Client) -> None:
    items = whole_day(http, sim)
    config = demo_config()
    assert len(items) == 120
    assert len({a["id"] for a in items}) == 120
    assert len({a["reference"] for a in items}) == 120
    assert {a["service"] for a in items} <= {s.code for s in config.services}
    assert {a["status"] for a in items} == {"booked", "cancelled"}
    for item in items:
        assert re.fullmatch(r"9900[0-9]{5}", item["cpr"])  # month 00: never a real CPR
        assert re.fullmatch(r"[A-Z0-9-]{6,32}", item["reference"])
        assert re.search(r"[\u0600-\u06FF]", item["name"]["ar"])
        assert re.fullmatch(r"[A-Za-z ]+", item["name"]["en"])
        start = datetime.fromisoformat(item["slot_start"])
        end = datetime.fromisoformat(item["slot_end"])
        assert start.utcoffset() == timedelta(hours=3)
        assert start.date() == SUNDAY
        assert config.centre.hours.open <= start.time() < end.time() <= config.centre.hours.close
        assert datetime.fromisoformat(item["updated_at"]) == MORNING


def test_the_same_day_is_the_same_on_every_run(http: httpx.Client) -> None:
    runs = []
    for _ in range(2):
        with CentralSim([demo_config()], token=TOKEN, clock=lambda: MORNING) as central:
            runs.append(whole_day(http, central))
    assert runs[0] == runs[1]


def test_a_closed_day_has_no_bookings(sim: CentralSim, http: httpx.Client) -> None:
    assert whole_day(http, sim, FRIDAY) == []


def test_pages_carry_the_whole_day_once(sim: CentralSim, http: httpx.Client) -> None:
    first = get_page(http, sim)
    second = get_page(http, sim, cursor=first["cursor"])
    third = get_page(http, sim, cursor=second["cursor"])
    assert [len(p["appointments"]) for p in (first, second, third)] == [50, 50, 20]
    assert [p["more"] for p in (first, second, third)] == [True, True, False]
    ids = [a["id"] for p in (first, second, third) for a in p["appointments"]]
    assert sorted(ids) == sorted(a.id for a in sim.appointments(CENTRE, SUNDAY))


def test_the_answer_is_streamed_in_chunks(sim: CentralSim, http: httpx.Client) -> None:
    response = http.get(
        f"{sim.url}/v1/centres/{CENTRE}/appointments",
        params={"date": SUNDAY.isoformat()},
        timeout=TIMEOUT,
    )
    assert response.headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in response.headers


def test_bookings_and_cancellations_flow_down_by_cursor(
    sim: CentralSim, http: httpx.Client
) -> None:
    items = whole_day(http, sim)
    cursor = get_page(http, sim, cursor=None)["cursor"]
    while (page := get_page(http, sim, cursor=cursor))["more"] or page["appointments"]:
        cursor = page["cursor"]
    assert page["appointments"] == []

    booked = next(a for a in items if a["status"] == "booked")
    cancelled = sim.cancel_appointment(CENTRE, booked["id"])
    added = sim.add_appointment(CENTRE, SUNDAY, service="driving-test")
    sim.add_appointment(CENTRE, SUNDAY + timedelta(days=1))  # another day: not in this feed

    changes = get_page(http, sim, cursor=cursor)
    assert [a["id"] for a in changes["appointments"]] == [cancelled.id, added.id]
    assert changes["appointments"][0]["status"] == "cancelled"
    assert changes["appointments"][1]["service"] == "driving-test"
    assert changes["more"] is False
    assert get_page(http, sim, cursor=changes["cursor"])["appointments"] == []


def test_a_cursor_of_unknown_origin_gets_the_whole_day_again(
    sim: CentralSim, http: httpx.Client
) -> None:
    for cursor in ("rubbish", "00000000.20261122.5", get_page(http, sim, FRIDAY)["cursor"]):
        assert len(whole_day_from(http, sim, cursor)) == 120


def whole_day_from(http: httpx.Client, sim: CentralSim, cursor: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = get_page(http, sim, SUNDAY, cursor)
        items += page["appointments"]
        cursor = page["cursor"]
        if not page["more"]:
            return items


@pytest.mark.parametrize(
    "query",
    ["", "date=2026-13-01", "date=22-11-2026", "date=20261122", "date=2026-11-22&date=2026-11-23"],
)
def test_a_bad_date_is_400(sim: CentralSim, http: httpx.Client, query: str) -> None:
    response = http.get(f"{sim.url}/v1/centres/{CENTRE}/appointments?{query}", timeout=TIMEOUT)
    assert response.status_code == 400
    assert "date" in response.json()["error"]


def test_an_unknown_centre_is_404(sim: CentralSim, http: httpx.Client) -> None:
    response = http.get(
        f"{sim.url}/v1/centres/nowhere/appointments?date=2026-11-22", timeout=TIMEOUT
    )
    assert response.status_code == 404


def test_unknown_paths_and_methods(sim: CentralSim, http: httpx.Client) -> None:
    assert http.get(f"{sim.url}/v2/health", timeout=TIMEOUT).status_code == 404
    response = http.delete(f"{sim.url}/v1/centres/{CENTRE}/events", timeout=TIMEOUT)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


# Events ---------------------------------------------------------------------


def test_events_are_taken_once_however_often_they_come(sim: CentralSim, http: httpx.Client) -> None:
    events = [new_event(seq) for seq in (1, 2, 3)]
    first = post_events(http, sim, events)
    assert first.status_code == 200
    assert first.json() == {"accepted": [e["id"] for e in events], "duplicates": []}
    again = post_events(http, sim, [*events, new_event(4)])
    assert again.json()["duplicates"] == [e["id"] for e in events]
    assert len(again.json()["accepted"]) == 1
    assert [e["seq"] for e in sim.events(CENTRE)] == [1, 2, 3, 4]
    assert sim.events(CENTRE)[0] == events[0]
    assert sim.events("passports-isa-town") == []


def test_a_batch_with_a_bad_event_is_refused_whole(sim: CentralSim, http: httpx.Client) -> None:
    good, bad = new_event(1), new_event(2, at="yesterday")
    response = post_events(http, sim, [good, bad, new_event(3, ticket={"id": "t"})])
    assert response.status_code == 422
    body = response.json()
    assert [r["id"] for r in body["rejected"]] == [bad["id"], body["rejected"][1]["id"]]
    assert "at" in body["rejected"][0]["reason"]
    assert sim.events(CENTRE) == []
    assert post_events(http, sim, [good]).json()["accepted"] == [good["id"]]


@pytest.mark.parametrize(
    ("events", "reason"),
    [
        (lambda: [new_event(2), new_event(1)], "seq does not rise"),
        (lambda: [dict(e) for e in [new_event(1)] * 2], "twice"),
        (lambda: ["not an object"], "not an object"),
    ],
)
def test_batch_rules(sim: CentralSim, http: httpx.Client, events: Any, reason: str) -> None:
    response = post_events(http, sim, events())
    assert response.status_code == 422
    assert any(reason in r["reason"] for r in response.json()["rejected"])
    assert sim.events(CENTRE) == []


def test_a_seq_used_by_another_event_is_refused(sim: CentralSim, http: httpx.Client) -> None:
    assert post_events(http, sim, [new_event(7)]).status_code == 200
    response = post_events(http, sim, [new_event(7)])
    assert response.status_code == 422
    assert response.json()["rejected"][0]["reason"] == "seq already used by another event"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b'{"events": {}}', 400),
        (b"[]", 400),
        (json.dumps({"events": [new_event(i) for i in range(1, 502)]}).encode(), 413),
    ],
    # Ids that are the same in every collection (the events' ids are random): pytest-xdist's
    # workers must all collect the same tests.
    ids=["not-json", "events-not-a-list", "a-bare-list", "501-events"],
)
def test_bodies_outside_the_contract(
    sim: CentralSim, http: httpx.Client, body: bytes, status: int
) -> None:
    response = http.post(
        f"{sim.url}/v1/centres/{CENTRE}/events",
        content=body,
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert response.status_code == status


def test_more_than_500_events_is_400(http: httpx.Client) -> None:
    with CentralSim([demo_config()], token=TOKEN, max_body_bytes=4 * 1024 * 1024) as central:
        response = post_events(http, central, [new_event(i) for i in range(1, 502)])
        assert response.status_code == 400
        assert "500" in response.json()["error"]


def test_a_huge_body_is_refused_unread(sim: CentralSim) -> None:
    connection = HTTPConnection("127.0.0.1", sim.port, timeout=5)
    connection.putrequest("POST", f"/v1/centres/{CENTRE}/events")
    connection.putheader("Authorization", f"Bearer {TOKEN}")
    connection.putheader("Content-Length", str(10**9))
    connection.endheaders()
    response = connection.getresponse()
    try:
        assert response.status == 413
        assert response.getheader("Connection") == "close"
    finally:
        response.close()
        connection.close()


def test_a_chunked_body_without_length_is_411(sim: CentralSim) -> None:
    connection = HTTPConnection("127.0.0.1", sim.port, timeout=5)
    connection.request(
        "POST",
        f"/v1/centres/{CENTRE}/events",
        body=iter([b'{"events": []}']),
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    response = connection.getresponse()
    try:
        assert response.status == 411
    finally:
        response.close()
        connection.close()


# Queue ----------------------------------------------------------------------


def test_queue_snapshots_are_kept(sim: CentralSim, http: httpx.Client) -> None:
    snapshot = {
        "at": MORNING.isoformat(),
        "services": [{"service": "licence-renewal", "waiting": 4, "eta_minutes": None}],
        "counters_open": 3,
    }
    response = http.put(f"{sim.url}/v1/centres/{CENTRE}/queue", json=snapshot, timeout=TIMEOUT)
    assert response.status_code == 204
    assert response.content == b""
    (kept,) = sim.queue_snapshots(CENTRE)
    assert {k: kept[k] for k in snapshot} == snapshot
    bad = http.put(
        f"{sim.url}/v1/centres/{CENTRE}/queue",
        json={**snapshot, "counters_open": -1},
        timeout=TIMEOUT,
    )
    assert bad.status_code == 400
    assert len(sim.queue_snapshots(CENTRE)) == 1


# Faults ---------------------------------------------------------------------


def test_a_burst_of_429_with_retry_after(sim: CentralSim, http: httpx.Client) -> None:
    sim.set_faults(rate_limited_next=2, retry_after_seconds=7)
    answers = [http.get(f"{sim.url}/v1/health", timeout=TIMEOUT) for _ in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["Retry-After"] == "7"
    assert sim.stats["rate_limited"] == 2


def test_server_errors_by_count_and_by_rate(sim: CentralSim, http: httpx.Client) -> None:
    sim.set_faults(errors_next=1, error_status=502)
    assert http.get(f"{sim.url}/v1/health", timeout=TIMEOUT).status_code == 502
    assert http.get(f"{sim.url}/v1/health", timeout=TIMEOUT).status_code == 200
    sim.set_faults(error_rate=0.5, error_status=503)
    statuses = {http.get(f"{sim.url}/v1/health", timeout=TIMEOUT).status_code for _ in range(40)}
    assert statuses == {200, 503}
    sim.clear_faults()
    assert http.get(f"{sim.url}/v1/health", timeout=TIMEOUT).status_code == 200


def test_a_delay_holds_the_answer(sim: CentralSim, http: httpx.Client) -> None:
    sim.set_faults(delay_seconds=0.3)
    started = time.monotonic()
    assert http.get(f"{sim.url}/v1/health", timeout=TIMEOUT).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_a_dropped_answer_after_storing_comes_back_as_duplicates(
    sim: CentralSim, http: httpx.Client
) -> None:
    events = [new_event(1), new_event(2)]
    sim.set_faults(drop_after_store_next=1)
    with pytest.raises(DROPPED):
        post_events(http, sim, events)
    assert len(sim.events(CENTRE)) == 2
    replay = post_events(http, sim, events)
    assert replay.json() == {"accepted": [], "duplicates": [e["id"] for e in events]}
    assert len(sim.events(CENTRE)) == 2


def test_the_sim_api_is_never_faulty(sim: CentralSim, http: httpx.Client) -> None:
    sim.set_faults(error_rate=1.0)
    response = http.get(f"{sim.url}/_sim/qr-public-key", timeout=TIMEOUT)
    assert response.json() == {"qr_public_key": sim.public_key_b64}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"explode": True}, "unknown fault"),
        ({"error_status": 200}, "5xx"),
        ({"error_rate": 1.5}, "between 0 and 1"),
        ({"errors_next": -1}, "negative"),
    ],
)
def test_nonsense_fault_switches_are_refused(
    sim: CentralSim, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        sim.set_faults(**changes)


# QR codes and the simulator's own API ---------------------------------------


def test_booking_qrs_are_signed_for_the_appointment(sim: CentralSim) -> None:
    appointment = sim.appointments(CENTRE, SUNDAY)[0]
    qr = read_booking_qr(
        sim.booking_qr(CENTRE, appointment.id), Ed25519QrVerifier(sim.public_key_b64)
    )
    assert qr is not None
    local = appointment.slot_start.astimezone(BAHRAIN)
    assert (qr.ref, qr.centre, qr.service) == (appointment.reference, CENTRE, appointment.service)
    assert (qr.date, qr.slot) == (local.date().isoformat(), local.strftime("%H:%M"))
    assert appointment.cpr not in qr.ref


def test_the_sim_api_makes_changes_flow_down(sim: CentralSim, http: httpx.Client) -> None:
    cursor = whole_day_cursor(http, sim)
    added = http.post(
        f"{sim.url}/_sim/centres/{CENTRE}/appointments",
        json={"date": SUNDAY.isoformat(), "service": "traffic-fines", "slot": "10:20"},
        timeout=TIMEOUT,
    )
    assert added.status_code == 201
    appointment = added.json()["appointment"]
    assert appointment["slot_start"] == "2026-11-22T10:20:00+03:00"
    assert read_booking_qr(added.json()["qr"], Ed25519QrVerifier(sim.public_key_b64))
    cancel = http.post(
        f"{sim.url}/_sim/centres/{CENTRE}/appointments/{appointment['id']}/cancel",
        timeout=TIMEOUT,
    )
    assert cancel.json()["appointment"]["status"] == "cancelled"
    changes = get_page(http, sim, cursor=cursor)["appointments"]
    assert [(a["id"], a["status"]) for a in changes] == [(appointment["id"], "cancelled")]
    qr = http.get(
        f"{sim.url}/_sim/centres/{CENTRE}/appointments/{appointment['id']}/qr", timeout=TIMEOUT
    )
    assert qr.json()["qr"].startswith("TB1.")
    missing = http.post(
        f"{sim.url}/_sim/centres/{CENTRE}/appointments/nope/cancel", timeout=TIMEOUT
    )
    assert missing.status_code == 404
    bad = http.post(
        f"{sim.url}/_sim/centres/{CENTRE}/appointments",
        json={"date": SUNDAY.isoformat(), "service": "no-such-service"},
        timeout=TIMEOUT,
    )
    assert bad.status_code == 400


def whole_day_cursor(http: httpx.Client, sim: CentralSim) -> str:
    cursor = None
    while True:
        page = get_page(http, sim, SUNDAY, cursor)
        cursor = page["cursor"]
        if not page["more"]:
            return str(cursor)


def test_the_sim_api_sets_faults_and_shows_what_arrived(
    sim: CentralSim, http: httpx.Client
) -> None:
    response = http.put(f"{sim.url}/_sim/faults", json={"errors_next": 1}, timeout=TIMEOUT)
    assert response.json()["errors_next"] == 1
    assert http.get(f"{sim.url}/v1/health", timeout=TIMEOUT).status_code == 503
    refused = http.put(f"{sim.url}/_sim/faults", json={"errors_next": "x"}, timeout=TIMEOUT)
    assert refused.status_code == 400
    post_events(http, sim, [new_event(1)])
    shown = http.get(f"{sim.url}/_sim/centres/{CENTRE}/events", timeout=TIMEOUT).json()
    assert shown["count"] == 1
    queue = http.get(f"{sim.url}/_sim/centres/{CENTRE}/queue", timeout=TIMEOUT).json()
    assert queue == {"queue": None}


def test_churn_books_or_cancels_today(sim: CentralSim) -> None:
    import random  # noqa: PLC0415 (only this test needs it)

    before = {a.id: a.status for a in sim.appointments(CENTRE, SUNDAY)}
    changed = [sim.churn_once(random.Random(seed), SUNDAY) for seed in range(6)]
    after = {a.id: a.status for c in sim.centres() for a in sim.appointments(c, SUNDAY)}
    assert any(c is not None for c in changed)
    assert after != before


# Running ----------------------------------------------------------------------


def test_nothing_personal_or_secret_is_logged(
    sim: CentralSim, http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    items = whole_day(http, sim)
    post_events(http, sim, [new_event(1)])
    httpx.get(f"{sim.url}/v1/health", headers={"Authorization": "Bearer leaked"}, timeout=5)
    assert "appointments" in caplog.text
    for item in items:
        assert item["cpr"] not in caplog.text
        assert item["name"]["en"] not in caplog.text
    assert TOKEN not in caplog.text
    assert "leaked" not in caplog.text


def test_stop_ends_stalled_and_idle_connections_at_once(
    sim: CentralSim, http: httpx.Client
) -> None:
    http.get(f"{sim.url}/v1/health", timeout=TIMEOUT)  # leaves an idle keep-alive connection
    sim.set_faults(delay_seconds=30)
    outcome: list[BaseException | int] = []

    def stalled() -> None:
        try:
            answer = httpx.get(
                f"{sim.url}/v1/health", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
            )
            outcome.append(answer.status_code)
        except httpx.HTTPError as error:
            outcome.append(error)

    caller = threading.Thread(target=stalled)
    caller.start()
    time.sleep(0.2)
    started = time.monotonic()
    sim.stop()
    assert time.monotonic() - started < 3
    caller.join(timeout=5)
    assert len(outcome) == 1
    assert isinstance(outcome[0], DROPPED)


def test_serve_runs_until_told_to_stop(http: httpx.Client) -> None:
    stop = threading.Event()
    ready = threading.Event()
    found: list[CentralSim] = []

    def on_ready(central: CentralSim) -> None:
        found.append(central)
        ready.set()

    runner = threading.Thread(
        target=serve,
        args=("127.0.0.1", 0),
        kwargs={
            "configs": [demo_config()],
            "token": TOKEN,
            "churn_seconds": 0.05,
            "ready": on_ready,
            "stop": stop,
        },
    )
    runner.start()
    try:
        assert ready.wait(5)
        (central,) = found
        url = central.url
        assert http.get(f"{url}/v1/health", timeout=TIMEOUT).json() == {"status": "ok"}
        time.sleep(0.3)  # a few churn rounds
    finally:
        stop.set()
        runner.join(timeout=5)
    assert not runner.is_alive()
    with pytest.raises(DROPPED):
        httpx.get(f"{url}/v1/health", timeout=TIMEOUT)
