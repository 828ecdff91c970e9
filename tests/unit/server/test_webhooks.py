"""One endpoint's delivery step by step, over a mock transport: signing, order, back-off."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import Event, EventType
from centre.retry import RetrySchedule
from centre.store.unit_of_work import Store
from centre.webhooks import Webhook, add_webhook, webhook_list, webhooks_for_delivery
from server.webhooks import EndpointDelivery, event_body, signature

SECRET = "a-secret-of-twenty-four"  # noqa: S105 - a test's invented secret
Answer = Callable[[httpx.Request], httpx.Response]


class Endpoint:
    """A mock receiver: answers each request with ``answer``, keeps what it got."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.answer: Answer = lambda _: httpx.Response(200)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests]


@pytest.fixture
def endpoint() -> Endpoint:
    return Endpoint()


@pytest.fixture
def client(endpoint: Endpoint) -> Iterator[httpx.Client]:
    with httpx.Client(transport=httpx.MockTransport(endpoint)) as made:
        yield made


def delivery(
    store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    *,
    events: tuple[str, ...] = ("*",),
    random: Callable[[], float] = lambda: 1.0,
    batch: int = 100,
) -> EndpointDelivery:
    add_webhook(store, clock, "https://hooks.example.com/taboor?key=k", list(events), SECRET)
    [target] = webhooks_for_delivery(store)
    schedule = RetrySchedule(1.0, 300.0, jitter=True, random=random)
    return EndpointDelivery(store, clock, config, target, client, schedule, batch=batch)


def stored(store: Store) -> Webhook:
    [webhook] = webhook_list(store)
    return webhook


def test_each_event_is_posted_alone_signed_in_seq_order(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    endpoint: Endpoint,
) -> None:
    sending = delivery(sqlite_store, clock, config, client, events=("ticket_issued", "called"))
    for _ in range(3):
        uc.issue_ticket(sqlite_store, clock, config, "licence-renewal")
    uc.call_next(sqlite_store, clock, config, "1")

    assert sending.step() is None

    got = endpoint.events()
    assert [e["type"] for e in got] == ["ticket_issued"] * 3 + ["called"]
    seqs = [e["seq"] for e in got]
    assert seqs == sorted(seqs)
    request = endpoint.requests[0]
    assert request.method == "POST"
    assert str(request.url) == "https://hooks.example.com/taboor?key=k"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["taboor-event-id"] == got[0]["id"]
    assert request.headers["taboor-event-type"] == "ticket_issued"
    timestamp = int(clock.now().timestamp())
    expected = hmac.new(
        SECRET.encode(), f"{timestamp}.".encode() + request.content, hashlib.sha256
    ).hexdigest()
    assert request.headers["taboor-signature"] == f"t={timestamp},v1={expected}"
    assert stored(sqlite_store).delivered_seq == uc.last_seq(sqlite_store)
    assert stored(sqlite_store).backlog == 0


def test_the_body_is_the_contracts_event_json(config: CentreConfig, clock: FixedClock) -> None:
    event = Event.new(EventType.CALLED, clock.now(), counter="3", data={"waited_s": 5})
    event = Event(**{**event.__dict__, "seq": 42})
    body = json.loads(event_body(event, config))
    assert body == {
        "id": event.id,
        "seq": 42,
        "type": "called",
        "at": "2026-11-22T09:00:00+03:00",
        "ticket": None,
        "appointment_id": None,
        "counter": "3",
        "data": {"waited_s": 5},
    }


def test_the_signature_covers_the_timestamp_and_the_exact_body() -> None:
    header = signature(SECRET, 1_800_000_000, b'{"a":1}')
    assert header.startswith("t=1800000000,v1=")
    assert header != signature(SECRET, 1_800_000_001, b'{"a":1}')
    assert header != signature(SECRET, 1_800_000_000, b'{"a": 1}')
    assert header != signature("another-secret-entirely", 1_800_000_000, b'{"a":1}')


def test_back_off_doubles_from_one_second_and_is_capped_at_five_minutes(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    endpoint: Endpoint,
) -> None:
    sending = delivery(sqlite_store, clock, config, client, random=lambda: 1.0)
    endpoint.answer = lambda _: httpx.Response(500)
    uc.issue_ticket(sqlite_store, clock, config, "licence-renewal")

    delays = [sending.step() for _ in range(12)]

    assert delays == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
    # The same event every time: a later one never overtakes it.
    assert len({r.headers["taboor-event-id"] for r in endpoint.requests}) == 1
    webhook = stored(sqlite_store)
    assert webhook.failures == 12
    assert webhook.last_error == "HTTP 500 Internal Server Error"
    assert webhook.last_error_at == clock.now()
    assert webhook.backlog == 2  # its own webhook_added, then the ticket


def test_full_jitter_draws_each_wait_below_its_ceiling(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    endpoint: Endpoint,
) -> None:
    draws = iter([0.5, 0.0, 0.25, 0.999])
    sending = delivery(sqlite_store, clock, config, client, random=lambda: next(draws))
    endpoint.answer = lambda _: httpx.Response(503)
    assert [sending.step() for _ in range(4)] == [0.5, 0.0, 1.0, 7.992]


def test_a_success_resets_the_back_off_and_records_progress(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    endpoint: Endpoint,
) -> None:
    sending = delivery(sqlite_store, clock, config, client)
    endpoint.answer = lambda _: httpx.Response(502)
    uc.issue_ticket(sqlite_store, clock, config, "licence-renewal")
    assert [sending.step() for _ in range(3)] == [1, 2, 4]
    before = stored(sqlite_store)
    assert before.delivered_seq == 0  # nothing taken yet, so nothing recorded

    endpoint.answer = lambda _: httpx.Response(204)
    assert sending.step() is None
    after = stored(sqlite_store)
    assert (after.failures, after.backlog, after.last_ok) == (0, 0, clock.now())
    assert after.last_error == "HTTP 502 Bad Gateway"  # kept, with its time, for the record

    endpoint.answer = lambda _: httpx.Response(500)
    uc.issue_ticket(sqlite_store, clock, config, "licence-renewal")
    assert sending.step() == 1


def test_a_connection_error_or_time_out_is_a_failure_that_hides_the_url_path(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    endpoint: Endpoint,
) -> None:
    sending = delivery(sqlite_store, clock, config, client)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}", request=request)

    endpoint.answer = refuse
    assert sending.step() == 1
    error = stored(sqlite_store).last_error
    assert error == "ConnectError: cannot reach https://hooks.example.com"
    assert "key=k" not in error

    def stall(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    endpoint.answer = stall
    assert sending.step() == 2
    assert stored(sqlite_store).last_error == "timed out (ReadTimeout)"


def test_429_waits_its_retry_after_up_to_the_cap(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    endpoint: Endpoint,
) -> None:
    sending = delivery(sqlite_store, clock, config, client)
    endpoint.answer = lambda _: httpx.Response(429, headers={"Retry-After": "7"})
    assert sending.step() == 7
    endpoint.answer = lambda _: httpx.Response(429, headers={"Retry-After": "86400"})
    assert sending.step() == 300
    endpoint.answer = lambda _: httpx.Response(429, headers={"Retry-After": "soon"})
    assert sending.step() == 4  # the third failure's ceiling, as any other failure


def test_410_gone_waits_the_whole_cap_and_says_so(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    endpoint: Endpoint,
) -> None:
    sending = delivery(sqlite_store, clock, config, client, random=lambda: 0.0)
    endpoint.answer = lambda _: httpx.Response(410)
    assert sending.step() == 300
    webhook = stored(sqlite_store)
    assert webhook.last_error is not None
    assert webhook.last_error.startswith("HTTP 410 Gone: the receiver says this endpoint is gone")
    assert webhook.backlog == 1  # kept: the endpoint is still there for the supervisor to see


def test_a_redirect_is_not_followed(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    endpoint: Endpoint,
) -> None:
    sending = delivery(sqlite_store, clock, config, client)
    endpoint.answer = lambda _: httpx.Response(
        302, headers={"Location": "https://elsewhere.example.com/"}
    )
    assert sending.step() == 1
    assert len(endpoint.requests) == 1


def test_events_it_does_not_want_are_passed_over_without_a_write(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    endpoint: Endpoint,
) -> None:
    sending = delivery(sqlite_store, clock, config, client, events=("served",))
    for _ in range(5):
        uc.issue_ticket(sqlite_store, clock, config, "licence-renewal")
    assert sending.step() is None
    assert endpoint.requests == []
    assert sending.position == uc.last_seq(sqlite_store)
    # Nothing was delivered, so nothing needed writing: the backlog is counted by type anyway.
    assert stored(sqlite_store).delivered_seq == 0
    assert stored(sqlite_store).backlog == 0


def test_a_long_backlog_is_read_in_batches(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    endpoint: Endpoint,
) -> None:
    sending = delivery(sqlite_store, clock, config, client, events=("ticket_issued",), batch=4)
    for _ in range(10):
        uc.issue_ticket(sqlite_store, clock, config, "licence-renewal")
    assert sending.step() == 0
    assert stored(sqlite_store).backlog == 6
    assert sending.step() == 0
    assert sending.step() is None
    numbers = [e["ticket"]["number"] for e in endpoint.events()]
    assert numbers == [f"A{n:03}" for n in range(1, 11)]
    assert stored(sqlite_store).backlog == 0


def test_stopping_ends_a_step_between_two_events_and_records_what_was_taken(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    endpoint: Endpoint,
) -> None:
    sending = delivery(sqlite_store, clock, config, client, events=("ticket_issued",))
    for _ in range(5):
        uc.issue_ticket(sqlite_store, clock, config, "licence-renewal")
    assert sending.step(lambda: len(endpoint.requests) >= 2) is None
    assert len(endpoint.requests) == 2
    assert stored(sqlite_store).backlog == 3


def test_a_host_name_the_client_refuses_is_a_failure_not_a_crash(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    client: httpx.Client,
    endpoint: Endpoint,
) -> None:
    add_webhook(sqlite_store, clock, "https://xn--zz.example.com/in", ["*"], SECRET)
    [target] = webhooks_for_delivery(sqlite_store)
    schedule = RetrySchedule(1.0, 300.0, jitter=True, random=lambda: 1.0)
    sending = EndpointDelivery(sqlite_store, clock, config, target, client, schedule)
    assert sending.step() == 1
    assert endpoint.requests == []
    error = stored(sqlite_store).last_error
    assert error is not None
    assert error.startswith("unusable URL: ")
