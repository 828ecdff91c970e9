"""A client that trickles its request, a byte at a time, stalls nobody else at the centre server."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from tests.live_server import LiveServer, live_server


@pytest.fixture
def live(sqlite_store: Store, clock: FixedClock, config: CentreConfig) -> Iterator[LiveServer]:
    with live_server(sqlite_store, clock, config) as server:
        yield server


def test_a_client_sending_its_headers_a_byte_at_a_time_stalls_nobody(live: LiveServer) -> None:
    host, port = live.url.removeprefix("http://").split(":")
    slow = socket.create_connection((host, int(port)))
    request = f"GET /api/v1/status HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer x"
    sent = threading.Event()
    stop = threading.Event()

    def trickle() -> None:
        # One byte, then another once others have been served, and so on: the request
        # never completes while the test runs.
        for byte in request.encode():
            if stop.wait(0.25):
                return
            slow.send(bytes([byte]))
            sent.set()

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    assert sent.wait(10)
    kiosk = live.client(live.enrol("kiosk"))
    numbers = [
        kiosk.post("/api/v1/tickets", json={"service": "A"}).json()["number"] for _ in range(20)
    ]
    still_trickling = trickler.is_alive()
    stop.set()
    trickler.join(10)
    slow.close()
    assert numbers == [f"A{n:03d}" for n in range(1, 21)]
    assert still_trickling, "the slow client finished before the others were served"


def test_many_idle_connections_stall_nobody(live: LiveServer) -> None:
    host, port = live.url.removeprefix("http://").split(":")
    idle = [socket.create_connection((host, int(port))) for _ in range(200)]
    try:
        kiosk = live.client(live.enrol("kiosk"))
        answer = kiosk.post("/api/v1/tickets", json={"service": "E"})
        assert answer.status_code == 201
    finally:
        for sock in idle:
            sock.close()
