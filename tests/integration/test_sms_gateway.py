"""Text messages sent by the outbox to a real HTTP SMS gateway on loopback."""

from __future__ import annotations

import base64
import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from centre.config import SmsConfig
from centre.retry import RetrySchedule
from server.sms import SmsGateway, SmsOutbox
from tests.helpers import LoopbackServer

PHONE = "+97336001234"
OTHER_PHONE = "+97366004321"
# Waits for something that happens within milliseconds; a failing test ends here.
PATIENCE = 20.0
TINY_BACKOFF = RetrySchedule(0.01, 0.05)


@dataclass(frozen=True)
class Received:
    """One request the gateway got, and what it answered (``None``: nothing, it stalled)."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    status: int | None

    @property
    def text(self) -> str:
        """The message's text."""
        value: str = self.body["text"]
        return value


class ScriptedGateway(LoopbackServer):
    """An SMS gateway on 127.0.0.1 that answers each request as its script says, in turn.

    A step is a status to answer, ``"stall"`` (hold the request until the test
    ends, far longer than the sender's time-out) or ``"block"`` (hold it until
    :attr:`release` is set, then answer ``after_block``). Past the script's
    end it answers ``200``.
    """

    def __init__(self, *script: int | str, after_block: int = 200) -> None:
        self.script = list(script)
        self.after_block = after_block
        self.release = threading.Event()
        self.ending = threading.Event()
        self._changed = threading.Condition()
        self._arrived: list[Received] = []
        self._answered: list[Received] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {name.lower(): value for name, value in self.headers.items()}
                step = gateway._arrive(Received(self.path, headers, json.loads(raw), None))
                if step == "stall":
                    gateway.ending.wait(PATIENCE * 2)
                    self.close_connection = True
                    return
                status = step if isinstance(step, int) else 200
                if step == "block":
                    gateway.release.wait(PATIENCE)
                    status = gateway.after_block
                gateway._answer(Received(self.path, headers, json.loads(raw), status))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:
                    self.close_connection = True  # the sender gave up waiting

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        super().__init__(Handler)

    def _arrive(self, received: Received) -> int | str:
        with self._changed:
            self._arrived.append(received)
            step = self.script.pop(0) if self.script else 200
            self._changed.notify_all()
            return step

    def _answer(self, received: Received) -> None:
        with self._changed:
            self._answered.append(received)
            self._changed.notify_all()

    @property
    def arrived(self) -> list[Received]:
        """Every request that arrived, answered or not, in order."""
        with self._changed:
            return list(self._arrived)

    @property
    def answered(self) -> list[Received]:
        """Every request answered, in the order of the answers."""
        with self._changed:
            return list(self._answered)

    def delivered(self) -> list[str]:
        """The texts it took (answered ``2xx``), in order."""
        return [r.text for r in self.answered if r.status is not None and r.status < 300]

    def wait_until(self, condition: Callable[[], bool]) -> None:
        """Wait for ``condition()`` (about the requests) to hold; fail the test if it never does."""
        with self._changed:
            if not self._changed.wait_for(condition, PATIENCE):
                pytest.fail(f"the gateway waited {PATIENCE} s in vain")

    def __exit__(self, *exc_info: object) -> None:
        self.ending.set()
        self.release.set()
        super().__exit__(*exc_info)


class StateLog:
    """What ``on_state`` was told, in order."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.calls: list[tuple[str, str]] = []

    def __call__(self, state: str, detail: str) -> None:
        with self._changed:
            self.calls.append((state, detail))
            self._changed.notify_all()

    def wait_for(self, count: int) -> list[tuple[str, str]]:
        """The calls, once there are ``count`` of them."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.calls) >= count, PATIENCE):
                pytest.fail(f"on_state was called {len(self.calls)} times, not {count}")
            return list(self.calls)


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    """A bearer token file, as an operator writes it (with a final newline)."""
    path = tmp_path / "sms-token"
    path.write_text("tok-3f9a1c6e8b2d\n", encoding="utf-8")
    return path


@contextmanager
def outbox_for(
    config: SmsConfig, states: StateLog | None = None, *, start: bool = True, **options: Any
) -> Iterator[SmsOutbox]:
    """An outbox on a real gateway client with a tiny back-off; stopped, and its client closed."""
    gateway = SmsGateway(config)
    outbox = SmsOutbox(
        gateway, on_state=states or StateLog(), **{"backoff": TINY_BACKOFF, **options}
    )
    if start:
        outbox.start()
    try:
        yield outbox
    finally:
        outbox.stop()
        gateway.close()
    assert not outbox.running


def bearer_config(gateway: ScriptedGateway, token_file: Path, **changes: Any) -> SmsConfig:
    """``[sms]`` for ``gateway`` with a bearer token (a key in the URL's query, as some take)."""
    return SmsConfig(url=f"{gateway.url}/v1/sms?account=7", token_file=str(token_file), **changes)


def test_a_message_is_delivered_after_failures_and_a_stall(token_file: Path) -> None:
    states = StateLog()
    with ScriptedGateway(503, 503, 503, "stall", 200) as gateway:
        # Long enough that only the stall, never a loaded machine's slow answer, runs out.
        config = bearer_config(gateway, token_file, timeout_seconds=2.0)
        with outbox_for(config, states) as outbox:
            outbox.send("t1/near", PHONE, "Ticket A001: 3 people ahead of you.")
            assert states.wait_for(2) == [("failing", "HTTP 503"), ("ok", "")]

    # The stalled request (never answered) was given up on, and the message sent again.
    assert len(gateway.arrived) == 5
    assert [r.status for r in gateway.answered] == [503, 503, 503, 200]
    assert gateway.delivered() == ["Ticket A001: 3 people ahead of you."]
    for received in gateway.arrived:
        assert received.body == {
            "to": PHONE,
            "text": "Ticket A001: 3 people ahead of you.",
            "sender": "Taboor",
        }
        assert received.path == "/v1/sms?account=7"


def test_a_refusal_is_not_tried_again_and_is_reported(token_file: Path) -> None:
    states = StateLog()
    with (
        ScriptedGateway(400) as gateway,
        outbox_for(bearer_config(gateway, token_file), states) as outbox,
    ):
        outbox.send("t1/near", PHONE, "refused")
        assert states.wait_for(1) == [("failing", "HTTP 400")]
        outbox.send("t2/near", OTHER_PHONE, "taken")
        assert states.wait_for(2) == [("failing", "HTTP 400"), ("ok", "")]
        # The outbox tries the oldest message first: had it tried the refused one
        # again, that try would have come before this one.
        assert [r.text for r in gateway.arrived] == ["refused", "taken"]


def test_the_same_message_id_is_sent_once(token_file: Path) -> None:
    with ScriptedGateway() as gateway:
        config = bearer_config(gateway, token_file)
        with outbox_for(config, start=False) as outbox:
            outbox.send("t1/called", PHONE, "first")
            outbox.send("t1/called", PHONE, "queued twice")
            outbox.start()
            gateway.wait_until(lambda: len(gateway.answered) == 1)
            outbox.send("t1/called", PHONE, "after it was sent")
            outbox.send("t2/called", OTHER_PHONE, "another")
            gateway.wait_until(lambda: len(gateway.answered) == 2)

    assert gateway.delivered() == ["first", "another"]


def test_send_returns_while_the_gateway_holds_a_request(token_file: Path) -> None:
    with (
        ScriptedGateway("block") as gateway,
        outbox_for(bearer_config(gateway, token_file)) as outbox,
    ):
        outbox.send("t1/called", PHONE, "held")
        gateway.wait_until(lambda: len(gateway.arrived) == 1)

        outbox.send("t2/called", OTHER_PHONE, "queued meanwhile")

        # Had send() waited for the gateway, it would only have returned after the
        # gateway's own patience ran out and it answered.
        assert gateway.answered == []
        assert not gateway.release.is_set()
        assert outbox.waiting == 1
        gateway.release.set()
        gateway.wait_until(lambda: len(gateway.answered) == 2)

    assert gateway.delivered() == ["held", "queued meanwhile"]


def test_cancelled_messages_are_not_sent(token_file: Path) -> None:
    gateway = ScriptedGateway()
    with gateway, outbox_for(bearer_config(gateway, token_file), start=False) as outbox:
        outbox.send("t1/near", PHONE, "t1 near")
        outbox.send("t2/near", OTHER_PHONE, "t2 near")
        outbox.send("t1/called", PHONE, "t1 called")
        outbox.send("t3/near", OTHER_PHONE, "t3 near")
        assert outbox.cancel("t1/") == 2
        assert outbox.cancel("t9/") == 0
        outbox.start()
        gateway.wait_until(lambda: len(gateway.answered) == 2)

    assert gateway.delivered() == ["t2 near", "t3 near"]


def test_a_message_cancelled_while_under_way_is_not_tried_again(token_file: Path) -> None:
    gateway = ScriptedGateway("block", after_block=503)
    with gateway, outbox_for(bearer_config(gateway, token_file)) as outbox:
        outbox.send("t1/near", PHONE, "under way")
        gateway.wait_until(lambda: len(gateway.arrived) == 1)
        assert outbox.cancel("t1/") == 0  # none waiting: it is under way
        gateway.release.set()  # and answered 503, which would have it tried again
        outbox.send("t2/near", OTHER_PHONE, "next")
        gateway.wait_until(lambda: len(gateway.answered) == 2)

    assert [r.text for r in gateway.arrived] == ["under way", "next"]


def test_the_number_and_the_text_never_reach_the_log(
    token_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="taboor.server.sms")
    states = StateLog()
    text = "Ticket A001: please go to counter 4 now."
    with ScriptedGateway(503, "stall", 429, 400) as gateway:
        config = bearer_config(gateway, token_file, timeout_seconds=0.3)
        with outbox_for(config, states, capacity=1, start=False) as outbox:
            outbox.send("t0/near", OTHER_PHONE, "dropped: the queue holds one")
            outbox.send("t1/called", PHONE, text)
            outbox.start()
            states.wait_for(1)
            gateway.wait_until(lambda: len(gateway.answered) == 3)  # 503, 429, 400
            outbox.send("t2/called", PHONE, text)
            states.wait_for(2)

    assert [r.status for r in gateway.answered] == [503, 429, 400, 200]
    assert [state for state, _ in states.calls] == ["failing", "ok"]
    logged = [r for r in caplog.records if r.name == "taboor.server.sms"]
    assert logged, "the outbox says what it does"
    assert any("+973****1234" in r.getMessage() for r in logged)
    for record in logged:
        message = record.getMessage()
        for secret in ("36001234", "66004321", text, "dropped: the queue"):
            assert secret not in message
            assert secret not in repr(record.args)
        assert record.exc_info is None


def test_a_bearer_token_arrives(token_file: Path) -> None:
    with ScriptedGateway() as gateway, outbox_for(bearer_config(gateway, token_file)) as outbox:
        outbox.send("t1/near", PHONE, "hello")
        gateway.wait_until(lambda: len(gateway.answered) == 1)
        [received] = gateway.answered

    assert received.headers["authorization"] == "Bearer tok-3f9a1c6e8b2d"
    assert received.headers["content-type"] == "application/json"
    assert received.headers["user-agent"].startswith("Taboor-SMS/")


def test_basic_auth_arrives(tmp_path: Path) -> None:
    password_file = tmp_path / "sms-password"
    password_file.write_text("pässword-2\n", encoding="utf-8")
    with ScriptedGateway() as gateway:
        config = SmsConfig(
            url=f"{gateway.url}/send",
            username="centre-7",
            password_file=str(password_file),
            sender="MOI",
        )
        with outbox_for(config) as outbox:
            outbox.send("t1/near", PHONE, "مرحبا")
            gateway.wait_until(lambda: len(gateway.answered) == 1)
            [received] = gateway.answered

    expected = base64.b64encode("centre-7:pässword-2".encode()).decode("ascii")
    assert received.headers["authorization"] == f"Basic {expected}"
    assert received.body == {"to": PHONE, "text": "مرحبا", "sender": "MOI"}
