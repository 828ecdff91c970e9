"""The centre server's API over real HTTP on both databases: tokens, roles, the contract."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import quote

import pytest

from centre import devices
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from centre.usecases import store_appointments
from tests.helpers import MORNING, make_appointment
from tests.live_server import PIN, LiveServer, live_server

CPR = "990012345"  # invented: month 00 never occurs in a real CPR
ROLES_BUT_SUPERVISOR = ("kiosk", "hall", "counter", "integrator")


@pytest.fixture
def live(store: Store, clock: FixedClock, config: CentreConfig) -> Iterator[LiveServer]:
    with live_server(store, clock, config) as server:
        yield server


# -- tokens ----------------------------------------------------------------------


def test_health_needs_no_token(live: LiveServer) -> None:
    answer = live.client().get("/api/v1/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nonsense", "Basic abc", "tbd_x"])
def test_no_token_or_a_wrong_one_gets_401(live: LiveServer, header: str | None) -> None:
    client = live.client()
    headers = {"Authorization": header} if header is not None else {}
    answer = client.get("/api/v1/status", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["code"] == "unauthorized"


def test_a_revoked_token_gets_401(live: LiveServer) -> None:
    token = live.enrol("kiosk", name="kiosk-9")
    client = live.client(token)
    assert client.get("/api/v1/status").status_code == 200
    devices.revoke_device(live.store, live.clock, "kiosk-9")
    live.state.hub.wake()
    # The server forgets the token once it reads the revocation: at once on its own
    # store's commits, within a poll for another process's.
    answers = [client.get("/api/v1/status").status_code]
    while answers[-1] != 401 and len(answers) < 200:
        answers.append(client.get("/api/v1/status").status_code)
    assert answers[-1] == 401
    # Once refused, refused for good: the token is not trusted again from a cache.
    assert {client.get("/api/v1/status").status_code for _ in range(10)} == {401}


def test_a_device_added_while_running_works_at_once(live: LiveServer) -> None:
    token = live.enrol("hall")
    assert live.client(token).get("/api/v1/queue").status_code == 200


# -- roles ----------------------------------------------------------------------


def test_a_kiosk_token_on_a_counters_route_gets_403(live: LiveServer) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    answer = kiosk.post("/api/v1/counters/1/call")
    assert answer.status_code == 403
    assert answer.json()["code"] == "forbidden"


def test_counter_3_may_not_act_on_counter_4(live: LiveServer) -> None:
    counter_3 = live.client(live.clerk_at("3"))
    answer = counter_3.post("/api/v1/counters/4/call")
    assert answer.status_code == 403
    assert counter_3.post("/api/v1/counters/3/call").status_code == 200


def test_a_counter_acts_only_while_a_clerk_is_signed_in(live: LiveServer) -> None:
    counter = live.client(live.enrol("counter", "2"))
    answer = counter.post("/api/v1/counters/2/call")
    assert answer.status_code == 409
    assert answer.json()["code"] == "no_clerk"
    assert counter.post("/api/v1/counters/2/sign-out").json()["code"] == "no_clerk"


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        ("hall", "post", "/api/v1/tickets"),
        ("integrator", "post", "/api/v1/tickets"),
        ("kiosk", "get", "/api/v1/events"),
        ("kiosk", "get", "/api/v1/events/stream"),
        ("hall", "get", "/api/v1/tickets"),
        ("counter", "post", "/api/v1/checkins"),
        ("integrator", "post", "/api/v1/services/licence-renewal/pause"),
        ("kiosk", "get", "/api/v1/supervisor/report"),
    ],
)
def test_each_role_keeps_to_its_routes(live: LiveServer, role: str, method: str, path: str) -> None:
    token = live.enrol(role, "1" if role == "counter" else None)
    body = {"service": "A"} if path.endswith("tickets") else {"cpr": CPR}
    answer = live.client(token).request(method.upper(), path, json=body)
    assert answer.status_code == 403


def test_a_supervisor_device_acts_only_once_a_supervisor_signed_in_on_it(
    live: LiveServer,
) -> None:
    token = live.enrol("supervisor")
    client = live.client(token)
    assert client.get("/api/v1/supervisor/report").status_code == 403
    live.supervisor()  # another device's sign-in does not count for this one
    assert client.get("/api/v1/supervisor/report").status_code == 403
    signed = client.post("/api/v1/supervisor/sign-in", json={"staff": "s100", "pin": PIN})
    assert signed.status_code == 200
    assert signed.json()["role"] == "supervisor"
    assert client.get("/api/v1/supervisor/report").status_code == 200
    assert client.post("/api/v1/supervisor/sign-out").status_code == 204
    assert client.get("/api/v1/supervisor/report").status_code == 403


def test_a_clerk_cannot_sign_in_on_a_supervisors_device(live: LiveServer) -> None:
    live.clerk_at("1", "c101")
    client = live.client(live.enrol("supervisor"))
    answer = client.post("/api/v1/supervisor/sign-in", json={"staff": "c101", "pin": PIN})
    assert answer.status_code == 409
    assert answer.json()["code"] == "not_allowed"


# -- PINs --------------------------------------------------------------------------


def test_a_wrong_pin_gets_409_then_waits_then_429(live: LiveServer) -> None:
    live.clerk_at("1", "c101")
    client = live.client(live.enrol("counter", "2"))
    codes = []
    for _ in range(4):
        answer = client.post("/api/v1/counters/2/sign-in", json={"staff": "c101", "pin": "0000"})
        codes.append((answer.status_code, answer.json()["code"]))
    assert codes[0] == (409, "wrong_pin")
    # After three wrong PINs in a row the account waits; trying meanwhile is 429.
    assert codes[-1] == (429, "sign_in_locked")
    assert int(answer.headers["Retry-After"]) > 0


def test_one_device_trying_many_staff_ids_is_limited(live: LiveServer) -> None:
    client = live.client(live.enrol("counter", "2"))
    statuses = [
        client.post(
            "/api/v1/counters/2/sign-in", json={"staff": f"x{n}", "pin": "1234"}
        ).status_code
        for n in range(12)
    ]
    assert statuses[:10] == [409] * 10
    assert statuses[-1] == 429


# -- the contract's answers ----------------------------------------------------------


def test_issue_check_in_call_and_act_give_the_contracts_ticket_json(
    live: LiveServer, store: Store
) -> None:
    booking = make_appointment(store, cpr=CPR, service="licence-renewal", slot=MORNING)
    store_appointments(store, [booking])
    kiosk = live.client(live.enrol("kiosk"))
    issued = kiosk.post("/api/v1/tickets", json={"service": "licence-renewal", "lang": "en"})
    assert issued.status_code == 201
    ticket = issued.json()
    assert set(ticket) >= {
        "id", "number", "service", "state", "source", "priority", "issued_at", "counter",
        "appointment_id", "ahead", "eta_minutes",
    }  # fmt: skip
    assert (ticket["number"], ticket["state"], ticket["source"]) == ("A001", "waiting", "walk_in")
    checked = kiosk.post("/api/v1/checkins", json={"cpr": CPR})
    assert checked.status_code == 201
    assert checked.json()["source"] == "appointment"
    assert checked.json()["slot_start"] == MORNING.isoformat()
    again = kiosk.post("/api/v1/checkins", json={"cpr": CPR})
    assert (again.status_code, again.json()["code"]) == (409, "already_checked_in")
    counter = live.client(live.clerk_at("1"))
    called = counter.post("/api/v1/counters/1/call").json()
    assert called["state"] == "called"
    assert called["counter"] == "1"
    assert counter.post("/api/v1/counters/1/start").json()["state"] == "serving"
    assert counter.post("/api/v1/counters/1/done").json()["state"] == "served"
    counter.post("/api/v1/counters/1/call")
    assert counter.post("/api/v1/counters/1/no-show").json()["state"] == "no_show"
    assert counter.post("/api/v1/counters/1/call").json() is None


def test_acting_on_a_ticket_the_clerk_did_not_see_is_refused(live: LiveServer) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    kiosk.post("/api/v1/tickets", json={"service": "A"})
    counter = live.client(live.clerk_at("1"))
    counter.post("/api/v1/counters/1/call")
    answer = counter.post("/api/v1/counters/1/start", json={"ticket": "someone-else"})
    assert (answer.status_code, answer.json()["code"]) == (409, "ticket_moved")


def test_status_tickets_and_events_are_the_contracts(live: LiveServer) -> None:
    live.client(live.enrol("kiosk")).post("/api/v1/tickets", json={"service": "E"})
    integrator = live.client(live.enrol("integrator"))
    status = integrator.get("/api/v1/status").json()
    assert set(status) == {"centre", "services", "counters", "sync"}
    assert status["centre"] == "traffic-dana"
    fines = next(s for s in status["services"] if s["service"] == "traffic-fines")
    assert fines["waiting"] == 1
    tickets = integrator.get("/api/v1/tickets", params={"date": "2026-11-22"}).json()
    assert [t["number"] for t in tickets["tickets"]] == ["E001"]
    events = integrator.get("/api/v1/events", params={"since": 0}).json()["events"]
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
    issued = next(e for e in events if e["type"] == "ticket_issued")
    assert set(issued) == {
        "id", "seq", "type", "at", "ticket", "appointment_id", "counter", "data",
    }  # fmt: skip
    assert issued["ticket"]["number"] == "E001"


def test_every_write_records_the_device_that_made_it(live: LiveServer) -> None:
    kiosk_token = live.enrol("kiosk", name="kiosk-door")
    live.client(kiosk_token).post("/api/v1/tickets", json={"service": "A"})
    counter = live.client(live.clerk_at("1"))
    counter.post("/api/v1/counters/1/call")
    events = live.client(live.enrol("integrator")).get("/api/v1/events").json()["events"]
    by_type = {e["type"]: e["data"].get("by_device") for e in events}
    assert by_type["ticket_issued"] == "kiosk-door"
    assert by_type["called"].startswith("counter-1")
    assert by_type["staff_signed_in"].startswith("counter-1")


def test_a_supervisor_pauses_cancels_and_sets_the_message(live: LiveServer) -> None:
    supervisor = live.client(live.supervisor())
    kiosk = live.client(live.enrol("kiosk"))
    number = kiosk.post("/api/v1/tickets", json={"service": "A"}).json()["number"]
    assert (
        supervisor.post(
            "/api/v1/services/licence-renewal/pause", json={"reason": "system down"}
        ).status_code
        == 204
    )
    paused = kiosk.post("/api/v1/tickets", json={"service": "A"})
    assert (paused.status_code, paused.json()["code"]) == (409, "service_paused")
    assert supervisor.post("/api/v1/services/licence-renewal/resume").status_code == 204
    cancelled = supervisor.post(f"/api/v1/tickets/{number}/cancel", json={"reason": "left"})
    assert cancelled.json()["state"] == "cancelled"
    message = {"ar": "مرحبا", "en": "Hello"}
    assert supervisor.put("/api/v1/hall/message", json=message).status_code == 204
    hall = live.client(live.enrol("hall"))
    assert hall.get("/api/v1/hall/message").json() == {"ar": "مرحبا", "en": "Hello"}
    report = supervisor.get("/api/v1/supervisor/report").json()
    assert report["cancelled"] == 1


# -- devices ------------------------------------------------------------------------


def test_a_supervisor_revokes_a_hall_screen_at_once_stream_and_all(live: LiveServer) -> None:
    supervisor = live.client(live.supervisor())
    token = live.enrol("hall", name="tv-1")
    hall = live.client(token)
    assert hall.get("/api/v1/queue").status_code == 200  # its token is remembered now
    ended = threading.Event()

    def follow() -> None:
        with live.client(token, timeout=30).stream("GET", "/api/v1/events/stream") as response:
            for _line in response.iter_lines():
                pass
        ended.set()

    threading.Thread(target=follow, daemon=True).start()
    deadline = time.monotonic() + 10
    while live.state.hub.subscribers < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert live.state.hub.subscribers == 1

    answer = supervisor.post("/api/v1/devices/tv-1/revoke")
    assert answer.status_code == 200
    body = answer.json()
    assert {key: body[key] for key in ("device", "role", "counter", "paired")} == {
        "device": "tv-1",
        "role": "hall",
        "counter": None,
        "paired": True,
    }
    assert body["revoked_at"] is not None
    # At once: the very next request is refused, and the open stream ends.
    assert hall.get("/api/v1/queue").status_code == 401
    assert ended.wait(10), "the revoked screen's stream is still open"
    # Revoking it again changes nothing; the log says which device revoked it.
    assert supervisor.post("/api/v1/devices/tv-1/revoke").json() == body
    events = supervisor.get("/api/v1/events", params={"since": 0}).json()["events"]
    revoked = [e["data"] for e in events if e["type"] == "device_revoked"]
    assert [data["device"] for data in revoked] == ["tv-1"]
    assert revoked[0]["by_device"].startswith("supervisor")


def test_revoking_a_device_the_centre_does_not_have_gets_404(live: LiveServer) -> None:
    supervisor = live.client(live.supervisor())
    for name in ("tv-nowhere", "not a name!", "x" * 64):
        answer = supervisor.post(f"/api/v1/devices/{quote(name, safe='')}/revoke")
        assert answer.status_code == 404, name
        assert answer.json()["code"] == "unknown_device"
        assert "\n" not in answer.json()["error"]
    too_long = supervisor.post(f"/api/v1/devices/{'x' * 65}/revoke")
    assert (too_long.status_code, too_long.json()["code"]) == (422, "bad_input")


def test_a_supervisor_cannot_revoke_the_device_in_use(live: LiveServer) -> None:
    token = live.supervisor()
    name = devices.authenticate(live.store, token).name
    supervisor = live.client(token)
    answer = supervisor.post(f"/api/v1/devices/{name}/revoke")
    assert (answer.status_code, answer.json()["code"]) == (409, "own_device")
    assert supervisor.get("/api/v1/supervisor/report").status_code == 200
    # From another supervisor's device it can be.
    other = live.client(live.supervisor())
    assert other.post(f"/api/v1/devices/{name}/revoke").status_code == 200
    assert supervisor.get("/api/v1/supervisor/report").status_code == 401


def test_only_a_signed_in_supervisor_revokes_a_device(live: LiveServer) -> None:
    live.enrol("hall", name="tv-1")
    tokens = [live.enrol(role, "1" if role == "counter" else None) for role in ROLES_BUT_SUPERVISOR]
    tokens.append(live.enrol("supervisor"))  # nobody signed in on it
    for token in tokens:
        answer = live.client(token).post("/api/v1/devices/tv-1/revoke")
        assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")
    still = devices.device_named(live.store, "tv-1")
    assert still is not None
    assert still.active


# -- bad input ---------------------------------------------------------------------


def test_a_body_over_64_kib_gets_413(live: LiveServer) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    answer = kiosk.post("/api/v1/tickets", json={"service": "A" * (65 * 1024)})
    assert answer.status_code == 413
    assert answer.json()["code"] == "too_large"


def test_a_streamed_body_over_64_kib_gets_413(live: LiveServer) -> None:
    kiosk = live.client(live.enrol("kiosk"))

    def chunks() -> Iterator[bytes]:
        yield b'{"service": "'
        for _ in range(70):
            yield b"A" * 1024
        yield b'"}'

    answer = kiosk.post(
        "/api/v1/tickets", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "bad_input"),
        (b'{"service": "no-such-service"}', "unknown_service"),
        (b'{"service": "A", "extra": 1}', "bad_input"),
        (b'{"service": "A", "lang": "fr"}', "bad_input"),
        (b"[]", "bad_input"),
    ],
)
def test_malformed_input_gets_422_in_one_line(live: LiveServer, body: bytes, code: str) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    answer = kiosk.post(
        "/api/v1/tickets", content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == code
    assert "\n" not in answer.json()["error"]


def test_unknown_things_in_the_path_get_404(live: LiveServer) -> None:
    supervisor = live.client(live.supervisor())
    assert supervisor.post("/api/v1/counters/99/call").status_code == 404
    assert supervisor.post("/api/v1/tickets/Z999/cancel").status_code == 404
    assert supervisor.post("/api/v1/services/nothing/pause").status_code == 404
    assert supervisor.get("/api/v1/no/such/route").json()["code"] == "not_found"


def test_a_bad_cpr_is_one_line_without_the_digits(live: LiveServer) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    answer = kiosk.post("/api/v1/checkins", json={"cpr": "99001234"})
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_cpr"
    assert "99001234" not in answer.text


def test_checking_in_tomorrows_booking_says_so(live: LiveServer, store: Store) -> None:
    tomorrow = MORNING + timedelta(days=1)
    store_appointments(
        store, [make_appointment(store, cpr=CPR, service="licence-renewal", slot=tomorrow)]
    )
    answer = live.client(live.enrol("kiosk")).post("/api/v1/checkins", json={"cpr": CPR})
    assert answer.status_code == 409
    assert answer.json()["code"] == "wrong_day"
    assert answer.json()["params"]["date"] == "2026-11-23"


def test_the_running_server_delivers_each_event_to_an_integrators_webhook(
    live: LiveServer,
) -> None:
    from centre.webhooks import add_webhook  # noqa: PLC0415
    from tests.helpers import WebhookReceiver  # noqa: PLC0415

    with WebhookReceiver() as receiver:
        add_webhook(
            live.store, live.clock, receiver.url, ["called", "served"], "a-secret-of-16-chars"
        )
        live.client(live.enrol("kiosk")).post("/api/v1/tickets", json={"service": "A"})
        counter = live.client(live.clerk_at("1"))
        counter.post("/api/v1/counters/1/call")
        counter.post("/api/v1/counters/1/start")
        counter.post("/api/v1/counters/1/done")
        receiver.wait_until(lambda: len(receiver.accepted()) == 2)
        types = [event["type"] for event in receiver.accepted()]
        assert types == ["called", "served"]
        assert receiver.accepted()[0]["ticket"]["number"] == "A001"
