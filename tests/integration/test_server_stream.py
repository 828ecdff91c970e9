"""The centre server's event stream over real HTTP: resuming, revoking, slow readers, restarts."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from centre import devices
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.errors import CentreUnreachable, DeviceRefused
from centre.local import LocalCentre
from centre.port import EventFeed
from centre.store.unit_of_work import Store
from tests.live_server import LiveServer, live_server

STREAM = "/api/v1/events/stream"


@pytest.fixture
def live(store: Store, clock: FixedClock, config: CentreConfig) -> Iterator[LiveServer]:
    with live_server(store, clock, config, keepalive_seconds=0.2) as server:
        yield server


def issue(live: LiveServer, count: int) -> None:
    """``count`` walk-in tickets, written straight to the server's store."""
    centre = LocalCentre(live.store, live.clock, live.config)
    for n in range(count):
        centre.issue_ticket(["A", "E", "C"][n % 3])


def wait_for_subscribers(live: LiveServer, count: int = 1) -> None:
    """Until ``count`` streams follow the server's hub."""
    deadline = time.monotonic() + 10
    while live.state.hub.subscribers < count and time.monotonic() < deadline:
        time.sleep(0.01)
    assert live.state.hub.subscribers >= count


def issue_once_followed(live: LiveServer, count: int) -> None:
    """``count`` tickets, once a stream follows the server."""
    wait_for_subscribers(live)
    issue(live, count)


def read_messages(
    client: httpx.Client, count: int, headers: dict[str, str] | None = None, **params: Any
) -> list[dict[str, Any]]:
    """The first ``count`` messages of a stream, as {"id", "event", "data"}."""
    found: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    with client.stream("GET", STREAM, headers=headers or {}, params=params) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line == "":
                if "data" in current:
                    found.append(current)
                    if len(found) == count:
                        return found
                current = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                current[name] = value.strip()
    return found


def test_a_stream_without_a_position_starts_at_the_next_event(live: LiveServer) -> None:
    issue(live, 3)
    hall = live.client(live.enrol("hall"))
    threading.Thread(target=issue_once_followed, args=(live, 2), daemon=True).start()
    messages = read_messages(hall, 2)
    head = live.state.hub.head
    assert [int(m["id"]) for m in messages] == [head - 1, head]
    assert {m["event"] for m in messages} == {"ticket_issued"}
    data = json.loads(messages[0]["data"])
    assert data["seq"] == int(messages[0]["id"])
    assert data["ticket"]["number"] in {"A002", "C001", "E002"}


def test_resuming_after_last_event_id_misses_none_and_repeats_none(live: LiveServer) -> None:
    hall = live.client(live.enrol("hall"))
    issue(live, 5)
    first = read_messages(hall, 3, since=0)
    last = int(first[-1]["id"])
    issue(live, 4)
    head = live.state.hub.head
    rest = read_messages(hall, head - last, headers={"Last-Event-ID": str(last)})
    seqs = [int(m["id"]) for m in first + rest]
    assert seqs == list(range(1, head + 1))


def test_resuming_from_further_back_than_the_server_keeps_reads_the_store(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    with live_server(store, clock, config, stream_memory=5) as live:
        issue(live, 30)
        hall = live.client(live.enrol("hall"))
        head = live.state.hub.head
        messages = read_messages(hall, head - 2, headers={"Last-Event-ID": "2"})
        assert [int(m["id"]) for m in messages] == list(range(3, head + 1))


def test_a_stream_sends_a_comment_while_idle(live: LiveServer) -> None:
    hall = live.client(live.enrol("hall"))
    comments = 0
    with hall.stream("GET", STREAM) as response:
        for line in response.iter_lines():
            if line.startswith(": keepalive"):
                comments += 1
                if comments == 2:
                    break
    assert comments == 2


def test_revoking_a_device_closes_its_stream_at_once(live: LiveServer) -> None:
    token = live.enrol("hall", name="tv-lobby")
    other = live.client(live.enrol("hall"))
    ended = threading.Event()
    lines: list[str] = []

    def follow() -> None:
        with live.client(token, timeout=30).stream("GET", STREAM) as response:
            lines.extend(response.iter_lines())
        ended.set()

    threading.Thread(target=follow, daemon=True).start()
    wait_for_subscribers(live)
    devices.revoke_device(live.store, live.clock, "tv-lobby")
    assert ended.wait(10), "the revoked device's stream is still open"
    assert live.client(token).get(STREAM).status_code == 401
    assert other.get("/api/v1/events").status_code == 200


def test_a_client_that_stops_reading_is_dropped(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    with live_server(store, clock, config, stream_backlog=20, send_buffer=4096) as live:
        token = live.enrol("hall")
        host, port = live.url.removeprefix("http://").split(":")
        sock = socket.create_connection((host, int(port)))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        request = f"GET {STREAM} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\r\n"
        sock.sendall(request.encode())
        wait_for_subscribers(live)
        # The client reads nothing while the centre keeps calling.
        batches = 0
        while live.state.hub.subscribers and batches < 30:
            issue(live, 20)
            batches += 1
        assert live.state.hub.subscribers == 0, "a client that reads nothing is still followed"
        # Everyone else is still served, and the dropped client's connection ends.
        hall = live.client(live.enrol("hall"))
        assert hall.get("/api/v1/queue").status_code == 200
        sock.settimeout(10)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        assert received.startswith(b"HTTP/1.1 200")
        sock.close()


def follow_feed(feed: EventFeed, after: int, until: int, seen: list[int]) -> None:
    """What a screen's follower does: read after the last seq, wait, read again; and on a
    lost link, back off and read again (which reconnects)."""
    seq = after
    while seq < until:
        try:
            feed.wakeup.wait(0.5)
            _head, events = feed.log.read_after(seq, 500)
        except (CentreUnreachable, DeviceRefused):
            time.sleep(0.1)
            continue
        for event in events:
            assert event.seq is not None
            seen.append(event.seq)
            seq = event.seq


def test_a_device_following_through_a_server_restart_sees_every_event_once(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    with live_server(store, clock, config, keepalive_seconds=0.2) as first:
        port = int(first.url.rsplit(":", 1)[1])
        hall = first.remote("hall")
        issue(first, 3)
        after = hall.last_seq()
        feed = hall.event_feed("test-hall")
        seen: list[int] = []
        issue(first, 5)
        until = after + 5 + 7 + 4
        follower = threading.Thread(target=follow_feed, args=(feed, after, until, seen))
        follower.start()
        deadline = time.monotonic() + 10
        while len(seen) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
    # The server is down: the centre goes on (here, through the store directly).
    issue(first, 7)
    with live_server(store, clock, config, port=port, keepalive_seconds=0.2) as second:
        issue(second, 4)
        follower.join(timeout=30)
    feed.wakeup.close()
    assert not follower.is_alive()
    assert seen == list(range(after + 1, until + 1))


def test_a_device_that_only_follows_the_stream_is_still_heard_from(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    ticks = iter(range(0, 10_000, 40))  # each look at the monotonic clock: 40 s later
    with live_server(
        store, clock, config, keepalive_seconds=0.05, monotonic=lambda: float(next(ticks))
    ) as live:
        token = live.enrol("hall", name="tv-quiet")
        with live.client(token).stream("GET", STREAM) as response:
            comments = 0
            for line in response.iter_lines():
                if line.startswith(": connected"):
                    # Forget what connecting noted: only the stream may note it again.
                    with live.store.write() as repo:
                        repo.update_enrolled_device("tv-quiet", last_seen=None, last_address=None)
                comments += line.startswith(": keepalive")
                if comments == 3:
                    break
        quiet = devices.device_named(live.store, "tv-quiet")
        assert quiet is not None
        assert quiet.last_seen is not None
        assert quiet.last_address == "127.0.0.1"
