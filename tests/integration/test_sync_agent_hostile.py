"""The sync agent against a hostile central on 127.0.0.1: bad bookings, pages, lying cursors."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from centre import syncing
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from sync.agent import AgentClient, SyncAgent, parse_pull_page
from sync.backoff import Backoff
from sync.errors import MalformedAnswer
from sync.wire import WireError
from tests.helpers import MORNING, LoopbackServer

TOKEN = "hostile-token"  # noqa: S105 (a made-up token for a local test server)
CPR = "990012345"  # invented
NAME_EN = "Maryam Ahmed"
NAME_AR = "مريم أحمد"


def booking(number: int, **changes: Any) -> dict[str, Any]:
    return {
        "id": f"a-{number}",
        "reference": f"TD-261122-{number:04d}",
        "cpr": CPR,
        "name": {"ar": NAME_AR, "en": NAME_EN},
        "service": "licence-renewal",
        "slot_start": "2026-11-22T09:00:00+03:00",
        "slot_end": "2026-11-22T09:10:00+03:00",
        "status": "booked",
        "updated_at": "2026-11-21T18:00:00+03:00",
        **changes,
    }


def page(*items: object, cursor: object = "c1", more: object = False) -> dict[str, Any]:
    return {"appointments": list(items), "cursor": cursor, "more": more}


Pages = Callable[[str | None], tuple[int, bytes, str]]


def json_pages(answer: Callable[[str | None], object]) -> Pages:
    return lambda cursor: (200, json.dumps(answer(cursor)).encode(), "application/json")


class HostileCentral(LoopbackServer):
    """Answers appointments as ``pages`` says; takes events and snapshots like a good central."""

    def __init__(self) -> None:
        self.pages: Pages = json_pages(lambda cursor: page())
        self.asked: list[str | None] = []
        self.events: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                # Small answers go out at once (no Nagle delay against delayed ACKs).
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:
                cursor = parse_qs(urlsplit(self.path).query).get("cursor", [None])[0]
                owner.asked.append(cursor)
                status, body, content_type = owner.pages(cursor)
                self._send(status, body, content_type)

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                ids = [event["id"] for event in body["events"]]
                owner.events.extend(ids)
                self._send(200, json.dumps({"accepted": ids, "duplicates": []}).encode())

            def do_PUT(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(204)
                self.end_headers()

            def _send(
                self, status: int, body: bytes, content_type: str = "application/json"
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        super().__init__(Handler)


@pytest.fixture
def central() -> Iterator[HostileCentral]:
    with HostileCentral() as server:
        yield server


@pytest.fixture
def agent(
    store: Store, clock: FixedClock, config: CentreConfig, central: HostileCentral
) -> Iterator[SyncAgent]:
    client = AgentClient(
        central.url,
        TOKEN,
        connect_timeout=1,
        read_timeout=1,
        total_timeout=2,
        max_answer_bytes=64 * 1024,
    )
    quick = Backoff(base=0.01, cap=0.02)
    yield SyncAgent(store, clock, config, client, backoff=quick, retry_backoff=quick, max_pages=20)
    client.close()


def stored_ids(store: Store) -> set[str]:
    with store.read() as repo:
        return {a.id for a in repo.appointments_of_day(MORNING.date())}


def assert_nothing_personal(caplog: pytest.LogCaptureFixture) -> None:
    text = caplog.text
    assert CPR not in text
    assert CPR[:7] not in text
    assert NAME_EN not in text
    assert NAME_AR not in text
    assert TOKEN not in text


def test_a_bad_booking_is_set_aside_and_the_rest_of_its_page_stored(
    store: Store,
    clock: FixedClock,
    config: CentreConfig,
    central: HostileCentral,
    agent: SyncAgent,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    uc.issue_ticket(store, clock, config, "licence-renewal")
    central.pages = json_pages(
        lambda cursor: page(
            booking(1),
            booking(2, cpr=int(CPR)),
            booking(3, cpr=CPR[:7]),
            booking(4, status="rescheduled"),
            booking(5, slot_start="09:00"),
            booking(6, name={"en": NAME_EN}),
            booking(
                7, slot_start="2026-11-23T09:00:00+03:00", slot_end="2026-11-23T09:10:00+03:00"
            ),
            booking(8, reference="TD-261122-0001"),
            booking(9),
            cursor="c1",
        )
    )
    report = agent.cycle()
    assert stored_ids(store) == {"a-1", "a-9"}
    assert (report.pulled, report.skipped, report.error) == (2, 7, None)
    assert syncing.sync_state(store).cursor == "c1"
    assert len(central.events) == 1  # the push went on
    assert "appointments[1].cpr: not a string" in caplog.text
    assert "2 more appointments of that page set aside" in caplog.text
    assert_nothing_personal(caplog)


@pytest.mark.parametrize(
    "answer",
    [
        (200, json.dumps(page(booking(1), cursor=12)).encode(), "application/json"),
        (200, json.dumps(page(booking(1), more="yes")).encode(), "application/json"),
        (200, json.dumps(page(booking(1), cursor="")).encode(), "application/json"),
        (
            200,
            json.dumps({"appointments": "all", "cursor": "c", "more": False}).encode(),
            "application/json",
        ),
        (200, b'["not", "an", "object"]', "application/json"),
        (200, b"{not json", "application/json"),
        (200, b"<html>hello</html>", "text/html"),
        (200, json.dumps(page(*[booking(i) for i in range(400)])).encode(), "application/json"),
        (404, b'{"error": "no"}', "application/json"),
    ],
    ids=[
        "cursor-number",
        "more-text",
        "cursor-empty",
        "list-text",
        "array",
        "not-json",
        "html",
        "huge",
        "404",
    ],
)
def test_a_bad_page_is_skipped_and_the_agent_keeps_going(
    store: Store,
    clock: FixedClock,
    config: CentreConfig,
    central: HostileCentral,
    agent: SyncAgent,
    caplog: pytest.LogCaptureFixture,
    answer: tuple[int, bytes, str],
) -> None:
    uc.issue_ticket(store, clock, config, "licence-renewal")
    central.pages = lambda cursor: answer
    report = agent.cycle()
    assert isinstance(report.error, MalformedAnswer)
    assert report.exit_code == 4
    assert stored_ids(store) == set()
    state = syncing.sync_state(store)
    assert (state.cursor, state.link) == (None, "online")  # reached, but no success
    assert state.last_error is not None
    assert len(central.events) == 1  # events still went up
    central.pages = json_pages(lambda cursor: page(booking(1), cursor="c9"))
    again = agent.cycle()
    assert (again.error, again.pulled) == (None, 1)
    assert syncing.sync_state(store).cursor == "c9"
    assert_nothing_personal(caplog)


def test_a_cursor_that_goes_back_is_refused(
    store: Store, central: HostileCentral, agent: SyncAgent
) -> None:
    answers: dict[str | None, dict[str, Any]] = {
        None: page(booking(1), cursor="c1", more=True),
        "c1": page(booking(2), cursor="c2", more=True),
        "c2": page(booking(3), cursor="c1", more=True),
    }
    central.pages = json_pages(lambda cursor: answers[cursor])
    report = agent.cycle()
    assert isinstance(report.error, MalformedAnswer)
    assert "went back" in str(report.error)
    assert stored_ids(store) == {"a-1", "a-2"}
    assert syncing.sync_state(store).cursor == "c2"


def test_more_pages_promised_without_moving_the_cursor_ends_the_pull(
    store: Store, central: HostileCentral, agent: SyncAgent
) -> None:
    central.pages = json_pages(lambda cursor: page(booking(1), cursor="stuck", more=True))
    report = agent.cycle()
    assert isinstance(report.error, MalformedAnswer)
    assert central.asked == [None, "stuck"]
    assert stored_ids(store) == {"a-1"}


def test_a_central_that_always_has_more_is_read_a_bounded_number_of_pages(
    store: Store, central: HostileCentral, agent: SyncAgent
) -> None:
    counter = iter(range(1, 10_000))
    central.pages = json_pages(lambda cursor: page(cursor=f"c{next(counter)}", more=True))
    report = agent.cycle()
    assert report.error is None
    assert len(central.asked) == agent.max_pages
    assert syncing.sync_state(store).cursor == f"c{agent.max_pages}"


def test_many_bad_bookings_are_counted_not_each_logged(
    central: HostileCentral, agent: SyncAgent, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    central.pages = json_pages(lambda cursor: page(*[booking(i, cpr="x") for i in range(100)]))
    report = agent.cycle()
    assert report.skipped == 100
    assert len(caplog.records) <= 7
    assert "95 more appointments" in caplog.text


def test_parse_pull_page_names_fields_never_values() -> None:
    parsed = parse_pull_page(page(booking(1), booking(2, cpr="12345"), cursor="c", more=False))
    assert [a.id for a in parsed.appointments] == ["a-1"]
    assert parsed.problems == ("appointments[1].cpr: not 9 digits",)
    with pytest.raises(WireError):
        parse_pull_page(page(cursor="x" * 513))
