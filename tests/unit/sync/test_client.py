"""The central API client over a fake transport: requests made, answers judged, secrets kept."""

from __future__ import annotations

import gzip
import json
import ssl
import zlib
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync.client import (
    DEFAULT_RETRY_AFTER,
    CentralClient,
    load_token,
    parse_retry_after,
    tls_context,
)
from sync.errors import (
    CentralAuthFailed,
    CentralRateLimited,
    CentralRejected,
    CentralUnreachable,
    MalformedAnswer,
    SyncError,
)
from sync.wire import QueueSnapshot, ServiceQueue
from tests.helpers import central_appointment_json, demo_config, self_signed

TOKEN = "s3cret-T0ken.value"  # noqa: S105 (a made-up token the tests look for)
BASE = "https://central.test/booking"
Answer = tuple[int, Mapping[str, str], bytes]


def json_answer(status: int, body: object, **headers: str) -> Answer:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(body).encode()


class Body(httpx.SyncByteStream):
    """An answer's body as the network gives it: a stream, not bytes already read."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __iter__(self) -> Iterator[bytes]:
        yield self.data


class FakeTransport(httpx.MockTransport):
    """Answers each request with ``respond(request)`` and remembers what it was asked."""

    def __init__(self, respond: Callable[[httpx.Request], Answer]) -> None:
        super().__init__(self._answer)
        self.respond = respond
        self.sent: list[httpx.Request] = []

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        status, headers, body = self.respond(request)
        return httpx.Response(status, headers=headers, stream=Body(body))


def client_with(
    respond: Callable[[httpx.Request], Answer], **settings: Any
) -> tuple[CentralClient, FakeTransport]:
    transport = FakeTransport(respond)
    return CentralClient(BASE, TOKEN, transport=transport, **settings), transport


def always(answer: Answer) -> Callable[[httpx.Request], Answer]:
    return lambda _request: answer


def raising(error: Exception) -> Callable[[httpx.Request], Answer]:
    def respond(_request: httpx.Request) -> Answer:
        raise error

    return respond


def tls_failure() -> httpx.ConnectError:
    """What httpx raises when the central's certificate does not verify."""
    error = httpx.ConnectError("certificate verify failed")
    error.__cause__ = ssl.SSLCertVerificationError(1, "certificate verify failed")
    return error


PAGE = {"appointments": [central_appointment_json()], "cursor": "c-2", "more": False}
EVENT = {
    "id": "1b4e28ba-2fa1-4d2b-883f-0016d3cca427",
    "seq": 1,
    "type": "ticket_issued",
    "at": "2026-11-22T09:01:00+03:00",
    "ticket": {"id": "t-1", "number": "A001", "service": "licence-renewal"},
    "appointment_id": None,
    "counter": None,
    "data": {},
}


def test_every_request_carries_the_token_and_time_outs() -> None:
    client, transport = client_with(always(json_answer(200, {"status": "ok"})))
    client.health()
    request = transport.sent[0]
    assert str(request.url) == f"{BASE}/v1/health"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.extensions["timeout"] == {
        "connect": 5.0,
        "read": 20.0,
        "write": 20.0,
        "pool": 5.0,
    }


def test_tls_is_verified_against_the_default_trust(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx lets these name another CA bundle in place of certifi's; still verified.
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    context = tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.get_ca_certs()


def test_a_ca_bundle_replaces_the_default_trust_but_never_turns_it_off(tmp_path: Path) -> None:
    bundle, _ = self_signed(tmp_path)
    context = tls_context(bundle)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert [dict(part[0] for part in ca["subject"]) for ca in context.get_ca_certs()] == [
        {"commonName": "taboor test central"}
    ]


def test_closing_the_client_closes_its_transport() -> None:
    closed: list[bool] = []

    class Transport(FakeTransport):
        def close(self) -> None:
            closed.append(True)

    client = CentralClient(BASE, TOKEN, transport=Transport(always(json_answer(200, {}))))
    with client:
        assert closed == []
    assert closed == [True]


def test_appointments_asks_for_the_date_and_cursor_and_parses_the_page() -> None:
    client, transport = client_with(always(json_answer(200, PAGE)))
    page = client.appointments("traffic-dana", date(2026, 11, 22), cursor="c-1")
    assert str(transport.sent[0].url) == (
        f"{BASE}/v1/centres/traffic-dana/appointments?date=2026-11-22&cursor=c-1"
    )
    assert page.cursor == "c-2"
    assert page.appointments[0].reference == "TD-261122-0001"


def test_the_centre_id_is_escaped_in_the_path() -> None:
    client, transport = client_with(always(json_answer(200, PAGE)))
    client.appointments("a/b?c", date(2026, 11, 22))
    assert "/v1/centres/a%2Fb%3Fc/appointments" in str(transport.sent[0].url)


def test_appointment_pages_follow_more_until_it_ends() -> None:
    def respond(request: httpx.Request) -> Answer:
        followed = "cursor=next" in str(request.url)
        return json_answer(200, {**PAGE, "cursor": "next", "more": not followed})

    client, transport = client_with(respond)
    pages = list(client.appointment_pages("traffic-dana", date(2026, 11, 22)))
    assert [p.more for p in pages] == [True, False]
    assert "cursor" not in str(transport.sent[0].url)
    assert "cursor=next" in str(transport.sent[1].url)


def test_appointment_pages_stop_a_central_that_always_says_more() -> None:
    client, transport = client_with(always(json_answer(200, {**PAGE, "more": True})))
    pages = list(client.appointment_pages("traffic-dana", date(2026, 11, 22), max_pages=5))
    assert len(pages) == 5
    assert len(transport.sent) == 5


def test_push_events_sends_the_batch_and_reads_the_partition() -> None:
    client, transport = client_with(
        always(json_answer(200, {"accepted": [], "duplicates": [EVENT["id"]]}))
    )
    result = client.push_events("traffic-dana", [EVENT])
    assert result.duplicates == (EVENT["id"],)
    request = transport.sent[0]
    assert request.method == "POST"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {"events": [EVENT]}


def test_push_events_with_nothing_to_send_makes_no_request() -> None:
    client, transport = client_with(raising(AssertionError("no request expected")))
    assert client.push_events("traffic-dana", []).accepted == ()
    assert transport.sent == []


def test_push_events_refuses_more_than_500() -> None:
    client, _ = client_with(raising(AssertionError("no request expected")))
    events = [{**EVENT, "id": f"e-{i}"} for i in range(501)]
    with pytest.raises(ValueError, match="500"):
        client.push_events("traffic-dana", events)


def test_push_events_refuses_a_batch_with_a_repeated_id() -> None:
    client, _ = client_with(raising(AssertionError("no request expected")))
    with pytest.raises(ValueError, match="twice"):
        client.push_events("traffic-dana", [EVENT, EVENT])


def test_a_422_becomes_central_rejected_with_ids_and_reasons() -> None:
    body = {"error": "1 rejected", "rejected": [{"id": EVENT["id"], "reason": "seq"}]}
    client, _ = client_with(always(json_answer(422, body)))
    with pytest.raises(CentralRejected) as caught:
        client.push_events("traffic-dana", [EVENT])
    assert caught.value.rejected_ids == {EVENT["id"]}
    assert caught.value.rejected[0].reason == "seq"


@pytest.mark.parametrize(
    "body",
    [
        {"error": "x", "rejected": []},
        {"error": "x", "rejected": [{"id": "someone-else", "reason": "?"}]},
        {"error": "x"},
    ],
)
def test_a_422_that_names_none_of_ours_is_malformed(body: object) -> None:
    client, _ = client_with(always(json_answer(422, body)))
    with pytest.raises(MalformedAnswer):
        client.push_events("traffic-dana", [EVENT])


def test_put_queue_sends_the_snapshot() -> None:
    client, transport = client_with(always((204, {}, b"")))
    at = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
    client.put_queue("traffic-dana", QueueSnapshot(at, (ServiceQueue("s", 2, None),), 3))
    request = transport.sent[0]
    assert request.method == "PUT"
    assert json.loads(request.content) == {
        "at": "2026-11-22T06:00:00+00:00",
        "services": [{"service": "s", "waiting": 2, "eta_minutes": None}],
        "counters_open": 3,
    }


@pytest.mark.parametrize(
    ("answer", "error", "status"),
    [
        (json_answer(401, {"error": "no"}), CentralAuthFailed, 401),
        (json_answer(403, {"error": "no"}), CentralAuthFailed, 403),
        (json_answer(500, {"error": "boom"}), CentralUnreachable, 500),
        ((502, {"Content-Type": "text/html"}, b"<h1>Bad gateway</h1>"), CentralUnreachable, 502),
        (json_answer(404, {"error": "?"}), MalformedAnswer, 404),
        ((302, {"Location": "https://elsewhere.test/"}, b""), MalformedAnswer, 302),
        ((200, {"Content-Type": "text/html"}, b"<h1>Wi-Fi login</h1>"), MalformedAnswer, 200),
        ((200, {"Content-Type": "application/json"}, b"{nope"), MalformedAnswer, 200),
        (json_answer(200, {"status": "degraded"}), MalformedAnswer, 200),
    ],
)
def test_answers_map_onto_the_error_tree(
    answer: Answer, error: type[SyncError], status: int
) -> None:
    client, _ = client_with(always(answer))
    with pytest.raises(error) as caught:
        client.health()
    assert getattr(caught.value, "status", None) == status


def test_a_429_carries_retry_after() -> None:
    client, _ = client_with(always(json_answer(429, {"error": "slow"}, **{"Retry-After": "17"})))
    with pytest.raises(CentralRateLimited) as caught:
        client.appointments("traffic-dana", date(2026, 11, 22))
    assert caught.value.retry_after == 17.0


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectTimeout("connect timed out"),
        httpx.ReadTimeout("read timed out"),
        httpx.WriteTimeout("write timed out"),
        httpx.PoolTimeout("no connection free"),
        httpx.ConnectError("refused"),
        tls_failure(),
        httpx.RemoteProtocolError("broken"),
        httpx.ReadError("reset"),
    ],
)
def test_transport_failures_are_central_unreachable(error: Exception) -> None:
    client, _ = client_with(raising(error))
    with pytest.raises(CentralUnreachable) as caught:
        client.health()
    assert caught.value.__cause__ is None  # the request, with its header, is not kept


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (httpx.ConnectTimeout("connect timed out"), "central.test timed out"),
        (httpx.ReadTimeout("read timed out"), "central.test timed out"),
        (httpx.ConnectError("refused"), "cannot reach https://central.test"),
        (tls_failure(), "TLS failed with https://central.test"),
        (httpx.RemoteProtocolError("broken"), "RemoteProtocolError"),
    ],
)
def test_transport_failures_say_what_failed(error: Exception, message: str) -> None:
    client, _ = client_with(raising(error))
    with pytest.raises(CentralUnreachable, match=message):
        client.health()


def test_answers_may_come_compressed() -> None:
    client, transport = client_with(raising(AssertionError("set below")))
    body = json.dumps(PAGE).encode()
    for encoding, packed in [("gzip", gzip.compress(body)), ("deflate", zlib.compress(body))]:
        transport.respond = always(
            (200, {"Content-Type": "application/json", "Content-Encoding": encoding}, packed)
        )
        assert client.appointments("traffic-dana", date(2026, 11, 22)).cursor == "c-2"
    assert transport.sent[0].headers["Accept-Encoding"] == "gzip, deflate"


@pytest.mark.parametrize(
    ("encoding", "body", "error", "message"),
    [
        ("br", b"\x1b\x01", MalformedAnswer, "content encoding is unknown"),
        (
            "gzip",
            gzip.compress(b'{"status": "ok"}', mtime=0)[:-12],
            CentralUnreachable,
            "mid-answer",
        ),
        ("gzip", b"not gzip at all", CentralUnreachable, "compression is broken"),
    ],
)
def test_a_compressed_answer_that_cannot_be_undone(
    encoding: str, body: bytes, error: type[SyncError], message: str
) -> None:
    headers = {"Content-Type": "application/json", "Content-Encoding": encoding}
    client, _ = client_with(always((200, headers, body)))
    with pytest.raises(error, match=message):
        client.health()


def test_a_compressed_answer_is_measured_inflated() -> None:
    bomb = gzip.compress(b'{"status": "ok", "pad": "' + b"0" * 2_000_000 + b'"}')
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    client, _ = client_with(always((200, headers, bomb)), max_answer_bytes=100_000)
    with pytest.raises(MalformedAnswer, match="too big"):
        client.health()


def test_an_answer_declaring_too_many_bytes_is_not_read() -> None:
    answer = (200, {"Content-Type": "application/json", "Content-Length": "999999999"}, b"{}")
    client, _ = client_with(always(answer), max_answer_bytes=1000)
    with pytest.raises(MalformedAnswer, match="too big"):
        client.health()


def test_an_answer_longer_than_the_limit_is_cut_off() -> None:
    body = json.dumps({"status": "ok", "pad": "x" * 5000}).encode()
    client, _ = client_with(
        always((200, {"Content-Type": "application/json"}, body)), max_answer_bytes=1000
    )
    with pytest.raises(MalformedAnswer, match="too big"):
        client.health()


def test_no_error_and_no_repr_ever_shows_the_token() -> None:
    answers = [
        json_answer(401, {"error": TOKEN}),
        json_answer(429, {"error": TOKEN}),
        json_answer(503, {"error": TOKEN}),
        json_answer(200, {"status": TOKEN}),
        json_answer(418, {"error": TOKEN}),
    ]
    for answer in answers:
        client, _ = client_with(always(answer))
        assert TOKEN not in repr(client)
        with pytest.raises(SyncError) as caught:
            client.health()
        assert TOKEN not in str(caught.value)
        assert TOKEN not in repr(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://central.example/",
        "ftp://central.example/",
        "https://user:pw@central.example/",
        "https://central.example/?x=1",
        "central.example",
    ],
)
def test_refuses_urls_that_would_leak_or_make_no_sense(url: str) -> None:
    with pytest.raises(ValueError, match="url"):
        CentralClient(url, TOKEN)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]/"])
def test_plain_http_is_fine_to_this_machine(url: str) -> None:
    CentralClient(url, TOKEN).close()


def test_plain_http_elsewhere_needs_saying_so() -> None:
    CentralClient("http://central.lan", TOKEN, allow_plain_http=True).close()


@pytest.mark.parametrize("token", ["", "two words", "new\nline", "ünïcode"])
def test_a_malformed_token_is_refused_without_echoing_it(token: str) -> None:
    with pytest.raises(CentralAuthFailed) as caught:
        CentralClient(BASE, token)
    assert caught.value.status is None
    if token:
        assert token not in str(caught.value)


def test_load_token_prefers_the_environment(tmp_path: Path) -> None:
    (tmp_path / "token.txt").write_text("from-file\n")
    environ = {"TABOOR_CENTRAL_TOKEN": " from-env "}
    assert load_token("token.txt", environ=environ, relative_to=tmp_path) == "from-env"


def test_load_token_reads_a_file_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "token.txt").write_text("from-file\n")
    assert load_token("token.txt", environ={}, relative_to=tmp_path) == "from-file"


def test_load_token_names_the_file_but_never_its_contents(tmp_path: Path) -> None:
    (tmp_path / "token.txt").write_text("not a token at all\n")
    with pytest.raises(CentralAuthFailed) as caught:
        load_token(tmp_path / "token.txt", environ={})
    assert "token.txt" in str(caught.value)
    assert "not a token" not in str(caught.value)


def test_load_token_without_any_source_says_where_to_put_one(tmp_path: Path) -> None:
    with pytest.raises(CentralAuthFailed, match="TABOOR_CENTRAL_TOKEN"):
        load_token(None, environ={})
    with pytest.raises(CentralAuthFailed, match="cannot read"):
        load_token(tmp_path / "missing.txt", environ={})


def test_from_config_uses_the_central_table(tmp_path: Path) -> None:
    config = demo_config()
    assert config.central.token_file is not None
    (tmp_path / config.central.token_file).write_text("demo-token\n")
    client = CentralClient.from_config(config, token_dir=tmp_path, environ={})
    assert repr(client) == "CentralClient('http://127.0.0.1:8765')"
    client.close()


def test_from_config_without_a_url_says_sync_is_off() -> None:
    config = demo_config()
    config = config.model_copy(update={"central": config.central.model_copy(update={"url": None})})
    with pytest.raises(SyncError, match="no \\[central\\] url"):
        CentralClient.from_config(config, environ={"TABOOR_CENTRAL_TOKEN": "t"})


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        ("0", 0.0),
        ("99999999", 86_400.0),
        (None, DEFAULT_RETRY_AFTER),
        ("soon", DEFAULT_RETRY_AFTER),
        ("-5", DEFAULT_RETRY_AFTER),
        ("Sun, 22 Nov 2026 06:01:30 GMT", 90.0),
        ("Sun, 22 Nov 2026 05:00:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float) -> None:
    now = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
    assert parse_retry_after(header, now) == seconds
