"""The client against a hostile central on 127.0.0.1: wrong types, floods, drips and tricks."""

from __future__ import annotations

import gzip
import itertools
import json
import ssl
import time
from collections.abc import Callable, Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from sync.client import CentralClient
from sync.errors import CentralUnreachable, MalformedAnswer
from tests.helpers import LoopbackServer, central_appointment_json, self_signed

TOKEN = "hostile-token"  # noqa: S105 (a made-up token for a local test server)
DAY = date(2026, 11, 22)
Script = Callable[[BaseHTTPRequestHandler], None]

GOOD_APPOINTMENT = central_appointment_json()


class HostileCentral(LoopbackServer):
    """A server that answers every request with the current ``script``; keeps the paths asked."""

    def __init__(self) -> None:
        self.script: Script = lambda handler: send(handler, 200, b"{}")
        self.paths: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                owner.paths.append(self.path)
                owner.script(self)

            do_POST = do_GET  # noqa: N815 (the name http.server calls)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        super().__init__(Handler)


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str = "application/json",
    **headers: str,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for key, value in headers.items():
        handler.send_header(key.replace("_", "-"), value)
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(body)
    handler.close_connection = True


def json_script(body: object, status: int = 200) -> Script:
    return lambda handler: send(handler, status, json.dumps(body).encode())


@pytest.fixture
def central() -> Iterator[HostileCentral]:
    with HostileCentral() as server:
        yield server


@pytest.fixture
def client(central: HostileCentral) -> Iterator[CentralClient]:
    with CentralClient(
        central.url,
        TOKEN,
        connect_timeout=1,
        read_timeout=1,
        total_timeout=1.5,
        max_answer_bytes=256 * 1024,
    ) as made:
        yield made


def page(*items: object, cursor: object = "c", more: object = False) -> dict[str, object]:
    return {"appointments": list(items), "cursor": cursor, "more": more}


@pytest.mark.parametrize(
    "body",
    [
        page(GOOD_APPOINTMENT, cursor=12),
        page(GOOD_APPOINTMENT, more="yes"),
        page({**GOOD_APPOINTMENT, "status": "rescheduled"}),
        page({**GOOD_APPOINTMENT, "cpr": 990012345}),
        page({**GOOD_APPOINTMENT, "slot_start": "09:00"}),
        {"appointments": "all of them", "cursor": "c", "more": False},
        ["not", "an", "object"],
        None,
    ],
)
def test_a_page_of_the_wrong_shape_is_malformed(
    central: HostileCentral, client: CentralClient, body: object
) -> None:
    central.script = json_script(body)
    with pytest.raises(MalformedAnswer) as caught:
        client.appointments("traffic-dana", DAY)
    assert caught.value.status == 200


def test_a_good_page_from_the_same_server_parses(
    central: HostileCentral, client: CentralClient
) -> None:
    central.script = json_script(page(GOOD_APPOINTMENT))
    assert client.appointments("traffic-dana", DAY).appointments[0].id == "a-1"


def test_an_unknown_http_status_is_malformed(
    central: HostileCentral, client: CentralClient
) -> None:
    central.script = json_script({"status": "ok"}, status=299)
    with pytest.raises(MalformedAnswer, match="299"):
        client.health()


def test_a_captive_portal_page_is_malformed(central: HostileCentral, client: CentralClient) -> None:
    central.script = lambda h: send(h, 200, b"<html>Please log in</html>", "text/html")
    with pytest.raises(MalformedAnswer, match="not JSON"):
        client.health()


def test_nan_and_repeated_keys_are_malformed(
    central: HostileCentral, client: CentralClient
) -> None:
    central.script = lambda h: send(h, 200, b'{"status": "ok", "status": NaN}')
    with pytest.raises(MalformedAnswer, match="not JSON"):
        client.health()


def test_a_declared_huge_body_is_refused_unread(
    central: HostileCentral, client: CentralClient
) -> None:
    def script(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(10**10))
        handler.end_headers()
        handler.wfile.write(b'{"appointments": [')
        handler.close_connection = True

    central.script = script
    with pytest.raises(MalformedAnswer, match="too big"):
        client.appointments("traffic-dana", DAY)


def test_an_endless_chunked_body_is_cut_off(central: HostileCentral, client: CentralClient) -> None:
    def script(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        item = json.dumps(GOOD_APPOINTMENT).encode() + b","
        try:
            for chunk in itertools.chain([b'{"appointments": ['], itertools.repeat(item, 100_000)):
                # ~30 MB in all, far past the limit
                handler.wfile.write(f"{len(chunk):X}\r\n".encode() + chunk + b"\r\n")
        except OSError:
            pass  # the client hung up, as it should
        handler.close_connection = True

    central.script = script
    with pytest.raises(MalformedAnswer, match="too big"):
        client.appointments("traffic-dana", DAY)


def test_a_compression_bomb_is_cut_off(central: HostileCentral, client: CentralClient) -> None:
    bomb = gzip.compress(b'{"status": "ok", "pad": "' + b"0" * 20_000_000 + b'"}')
    assert len(bomb) < 100_000
    central.script = lambda h: send(h, 200, bomb, Content_Encoding="gzip")
    with pytest.raises(MalformedAnswer, match="too big"):
        client.health()


def test_a_drip_fed_answer_is_given_up(central: HostileCentral, client: CentralClient) -> None:
    def script(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        try:
            for _ in range(100):  # one byte every 0.1 s: each read is quick, the whole is not
                handler.wfile.write(b"1\r\n \r\n")
                handler.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass
        handler.close_connection = True

    central.script = script
    started = time.monotonic()
    with pytest.raises(CentralUnreachable, match="took too long"):
        client.health()
    assert time.monotonic() - started < 4


def drip_fed_head(handler: BaseHTTPRequestHandler) -> None:
    """A good answer, one byte every 0.05 s: 4 s before its body."""
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: 16\r\nConnection: close\r\n\r\n"
    )
    try:
        for byte in head:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.05)
        handler.wfile.write(b'{"status": "ok"}')
    except OSError:
        pass  # the client hung up, as it should
    handler.close_connection = True


def test_a_drip_fed_status_line_and_headers_are_given_up(
    central: HostileCentral, client: CentralClient
) -> None:
    central.script = drip_fed_head
    with pytest.raises(CentralUnreachable, match="took too long"):
        client.health()


def test_a_drip_fed_head_over_tls_is_given_up(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with HostileCentral() as central:
        central.server.socket = context.wrap_socket(central.server.socket, server_side=True)
        central.script = drip_fed_head
        url = central.url.replace("http://", "https://")
        with (
            CentralClient(url, TOKEN, ca_bundle=cert, read_timeout=1, total_timeout=1.5) as client,
            pytest.raises(CentralUnreachable, match="took too long"),
        ):
            client.health()


def test_a_connection_cut_mid_answer_is_unreachable(
    central: HostileCentral, client: CentralClient
) -> None:
    def script(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b'{"status": "o')
        handler.close_connection = True

    central.script = script
    with pytest.raises(CentralUnreachable, match="mid-answer"):
        client.health()


def test_something_that_is_not_http_is_unreachable(
    central: HostileCentral, client: CentralClient
) -> None:
    def script(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n")
        handler.close_connection = True

    central.script = script
    with pytest.raises(CentralUnreachable):
        client.health()


def test_a_redirect_is_not_followed(central: HostileCentral, client: CentralClient) -> None:
    central.script = lambda h: send(h, 302, b"", Location=f"{central.url}/elsewhere")
    with pytest.raises(MalformedAnswer, match="302"):
        client.health()
    assert central.paths == ["/v1/health"]


def test_a_push_answer_that_loses_events_is_malformed(
    central: HostileCentral, client: CentralClient
) -> None:
    event = {
        "id": "1b4e28ba-2fa1-4d2b-883f-0016d3cca427",
        "seq": 1,
        "type": "called",
        "at": "2026-11-22T09:01:00+03:00",
        "ticket": None,
        "appointment_id": None,
        "counter": "3",
        "data": {},
    }
    central.script = json_script({"accepted": [], "duplicates": []})
    with pytest.raises(MalformedAnswer, match="exactly the events sent"):
        client.push_events("traffic-dana", [event])
