"""The central API client against the reference central over real HTTP(S) on 127.0.0.1."""

from __future__ import annotations

import socket
import ssl
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from centre.contract import event_json
from centre.domain import Event, EventType
from sync.backoff import Backoff, with_retries
from sync.central_sim import CentralSim
from sync.client import CentralClient
from sync.errors import (
    CentralAuthFailed,
    CentralRateLimited,
    CentralRejected,
    CentralUnreachable,
)
from sync.intake import to_stored_appointment
from sync.wire import QueueSnapshot, ServiceQueue
from tests.helpers import BAHRAIN, MORNING, demo_config, self_signed

TOKEN = "client-token"  # noqa: S105 (a made-up token for a local test server)
CENTRE = "traffic-dana"
SUNDAY = MORNING.date()


@pytest.fixture
def sim() -> Iterator[CentralSim]:
    central = CentralSim(
        [demo_config()],
        token=TOKEN,
        appointments_per_day=120,
        page_size=50,
        clock=lambda: MORNING,
    )
    central.start()
    yield central
    central.stop()


@pytest.fixture
def client(sim: CentralSim) -> Iterator[CentralClient]:
    with CentralClient(sim.url, TOKEN, connect_timeout=2, read_timeout=5) as central:
        yield central


def new_event(seq: int, **changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "type": "called",
        "at": MORNING.isoformat(),
        "ticket": {"id": f"t-{seq}", "number": f"A{seq:03d}", "service": "licence-renewal"},
        "appointment_id": None,
        "counter": "3",
        "data": {},
    }
    event.update(changes)
    return event


def test_health(client: CentralClient) -> None:
    client.health()


def test_the_whole_day_comes_in_pages(sim: CentralSim, client: CentralClient) -> None:
    pages = list(client.appointment_pages(CENTRE, SUNDAY))
    assert [len(p.appointments) for p in pages] == [50, 50, 20]
    assert [p.more for p in pages] == [True, True, False]
    got = {a.id: a for p in pages for a in p.appointments}
    assert len(got) == 120
    assert {a.to_json()["id"]: a.to_json() for a in sim.appointments(CENTRE, SUNDAY)} == {
        i: a.to_json() for i, a in got.items()
    }


def test_cancellations_and_new_bookings_flow_down(sim: CentralSim, client: CentralClient) -> None:
    *_, last = client.appointment_pages(CENTRE, SUNDAY)
    cursor = last.cursor
    booked = next(a for a in sim.appointments(CENTRE, SUNDAY) if a.status == "booked")
    sim.cancel_appointment(CENTRE, booked.id)
    added = sim.add_appointment(CENTRE, SUNDAY, service="driving-test")
    (changes,) = client.appointment_pages(CENTRE, SUNDAY, cursor)
    assert [(a.id, a.status) for a in changes.appointments] == [
        (booked.id, "cancelled"),
        (added.id, "booked"),
    ]
    assert client.appointments(CENTRE, SUNDAY, changes.cursor).appointments == ()


def test_events_are_idempotent(sim: CentralSim, client: CentralClient) -> None:
    events = [new_event(seq) for seq in range(1, 501)]
    first = client.push_events(CENTRE, events)
    assert len(first.accepted) == 500
    assert first.duplicates == ()
    again = client.push_events(CENTRE, events[:10])
    assert again.accepted == ()
    assert set(again.duplicates) == {e["id"] for e in events[:10]}
    assert len(sim.events(CENTRE)) == 500


def test_a_rejected_batch_stores_nothing_and_the_rest_goes_through(
    sim: CentralSim, client: CentralClient
) -> None:
    events = [new_event(1), new_event(2, at="not a time"), new_event(3), new_event(4, data=[])]
    with pytest.raises(CentralRejected) as caught:
        client.push_events(CENTRE, events)
    bad = caught.value.rejected_ids
    assert bad == {events[1]["id"], events[3]["id"]}
    assert all(r.reason for r in caught.value.rejected)
    assert sim.events(CENTRE) == []
    rest = [e for e in events if e["id"] not in bad]
    assert client.push_events(CENTRE, rest).accepted == tuple(e["id"] for e in rest)


def test_the_queue_snapshot_arrives(sim: CentralSim, client: CentralClient) -> None:
    snapshot = QueueSnapshot(
        at=MORNING,
        services=(ServiceQueue("licence-renewal", 7, 21), ServiceQueue("driving-test", 0, None)),
        counters_open=6,
    )
    client.put_queue(CENTRE, snapshot)
    (kept,) = sim.queue_snapshots(CENTRE)
    assert kept["at"] == "2026-11-22T09:00:00+03:00"
    assert kept["services"][1] == {"service": "driving-test", "waiting": 0, "eta_minutes": None}


@pytest.mark.parametrize("token", ["wrong-token", "isa-town-only"])
def test_credentials_the_central_refuses(sim: CentralSim, token: str) -> None:
    with CentralClient(sim.url, token, read_timeout=5) as stranger:
        with pytest.raises(CentralAuthFailed) as caught:
            stranger.health()
        assert caught.value.status == 401
        assert caught.value.exit_code == 5
        assert token not in str(caught.value)


def test_a_token_for_another_centre_is_403() -> None:
    with (
        CentralSim(
            [demo_config()], token=TOKEN, centre_tokens={"elsewhere": "passports-isa-town"}
        ) as central,
        CentralClient(central.url, "elsewhere") as stranger,
        pytest.raises(CentralAuthFailed) as caught,
    ):
        stranger.appointments(CENTRE, SUNDAY)
    assert caught.value.status == 403


def test_429_gives_retry_after(sim: CentralSim, client: CentralClient) -> None:
    sim.set_faults(rate_limited_next=1, retry_after_seconds=7)
    with pytest.raises(CentralRateLimited) as caught:
        client.appointments(CENTRE, SUNDAY)
    assert caught.value.retry_after == 7.0
    client.health()


def test_a_5xx_is_unreachable(sim: CentralSim, client: CentralClient) -> None:
    sim.set_faults(errors_next=1)
    with pytest.raises(CentralUnreachable) as caught:
        client.push_events(CENTRE, [new_event(1)])
    assert caught.value.status == 503
    assert sim.events(CENTRE) == []


def test_a_slow_central_times_out(sim: CentralSim) -> None:
    sim.set_faults(delay_seconds=2.0)
    with (
        CentralClient(sim.url, TOKEN, connect_timeout=1, read_timeout=0.2) as impatient,
        pytest.raises(CentralUnreachable, match="timed out"),
    ):
        impatient.health()


def test_a_refused_connection_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens there any more.
    with (
        CentralClient(f"http://127.0.0.1:{port}", TOKEN, connect_timeout=1) as client,
        pytest.raises(CentralUnreachable, match="cannot reach"),
    ):
        client.health()


def test_a_dropped_answer_is_replayed_into_duplicates(
    sim: CentralSim, client: CentralClient
) -> None:
    events = [new_event(seq) for seq in range(1, 21)]
    sim.set_faults(drop_after_store_next=1)
    with pytest.raises(CentralUnreachable):
        client.push_events(CENTRE, events)
    replay = client.push_events(CENTRE, events)
    assert replay.accepted == ()
    assert set(replay.duplicates) == {e["id"] for e in events}
    stored = sim.events(CENTRE)
    assert sorted(e["id"] for e in stored) == sorted(e["id"] for e in events)


def test_retrying_through_every_fault_ends_with_one_copy_of_each_event(
    sim: CentralSim, client: CentralClient
) -> None:
    events = [new_event(seq) for seq in range(1, 51)]
    sim.set_faults(rate_limited_next=1, retry_after_seconds=3, errors_next=1)
    sim.set_faults(drop_after_store_next=2)
    slept: list[float] = []
    backoff = Backoff(base=0.5, cap=8.0, random=lambda: 1.0)
    result = with_retries(
        lambda: client.push_events(CENTRE, events), backoff, attempts=6, sleep=slept.append
    )
    # 429 (Retry-After 3), 503, stored but dropped, dropped again (duplicates), then the answer.
    assert slept == [3.0, 1.0, 2.0, 4.0]
    assert set(result.duplicates) == {e["id"] for e in events}
    assert len(sim.events(CENTRE)) == 50
    assert sim.stats["dropped"] == 2


def test_events_made_by_the_centre_core_are_accepted(
    sim: CentralSim, client: CentralClient
) -> None:
    issued = Event.new(
        EventType.TICKET_ISSUED,
        MORNING,
        ticket_id="t-1",
        ticket_number="A001",
        service="licence-renewal",
    )
    paused = Event.new(EventType.SERVICE_PAUSED, MORNING, service="driving-test")
    events = [event_json(replace(e, seq=n), BAHRAIN) for n, e in enumerate([issued, paused], 1)]
    assert client.push_events(CENTRE, events).accepted == (issued.id, paused.id)


def test_pulled_appointments_are_what_the_centre_core_stores(client: CentralClient) -> None:
    page = client.appointments(CENTRE, SUNDAY)
    for appointment in page.appointments:
        stored = to_stored_appointment(appointment, b"k" * 32, BAHRAIN)
        assert stored.id == appointment.id
        assert stored.business_day == SUNDAY
        assert stored.cpr_last4 == appointment.cpr[-4:]


# TLS ----------------------------------------------------------------------------


@pytest.fixture
def tls_sim(tmp_path: Path) -> Iterator[tuple[CentralSim, Path]]:
    cert, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    central = CentralSim([demo_config()], token=TOKEN, ssl_context=context)
    central.start()
    yield central, cert
    central.stop()


def test_tls_is_verified(tls_sim: tuple[CentralSim, Path]) -> None:
    central, _ = tls_sim
    assert central.url.startswith("https://127.0.0.1:")
    with (
        CentralClient(central.url, TOKEN, connect_timeout=2, read_timeout=2) as client,
        pytest.raises(CentralUnreachable, match="TLS"),
    ):
        client.health()


def test_tls_with_the_centrals_ca(tls_sim: tuple[CentralSim, Path]) -> None:
    central, cert = tls_sim
    with CentralClient(central.url, TOKEN, ca_bundle=cert, read_timeout=5) as client:
        client.health()
        assert len(client.appointments(CENTRE, SUNDAY).appointments) == 120
