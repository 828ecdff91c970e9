"""Text messages: the templates, what a gateway's answer means, and the outbox's bookkeeping."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from centre.config import SmsConfig
from centre.errors import ConfigError
from centre.retry import RetrySchedule
from server.outbound import Attempt
from server.sms import SmsGateway, SmsOutbox, refused_for_good, render

PHONE = "+97336001234"
PATIENCE = 20.0

# -- templates -----------------------------------------------------------------


def test_render_fills_in_the_arabic_or_the_english_template() -> None:
    config = SmsConfig()
    near = render(config, "near", "ar", number="A023", service="تجديد", counter=None, ahead=3)
    assert near == "تذكرتك A023: أمامك 3 أشخاص في تجديد. يرجى العودة إلى القاعة."
    called = render(config, "called", "en", number="A023", service="x", counter="4", ahead=0)
    assert called == "Ticket A023: please go to counter 4 now."


def test_render_takes_english_for_any_other_language_and_leaves_no_counter_empty() -> None:
    config = SmsConfig(near_en="{number} {service} [{counter}] {ahead}")
    assert render(config, "near", "fr", number="B1", service="s", counter=None, ahead=2) == (
        "B1 s [] 2"
    )


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("Ticket {ticket}", "unknown placeholder {ticket}"),
        ("Ticket {}", "unknown placeholder {}"),
        ("Ticket {0}", "unknown placeholder {0}"),
        ("Ticket {number.__class__}", "unknown placeholder {number.__class__}"),
        ("Ticket {number[0]}", "unknown placeholder {number[0]}"),
        ("Ticket {number", "braces do not match"),
        ("Ticket }", "braces do not match"),
        ("Ticket {number:d}", "cannot be filled in"),
        ("{ahead:{nope}}", "cannot be filled in"),
    ],
)
def test_a_template_that_cannot_be_filled_in_is_refused_when_read(
    template: str, reason: str
) -> None:
    for key in ("near_ar", "near_en", "called_ar", "called_en"):
        with pytest.raises(ValidationError, match=re.escape(reason)):
            SmsConfig.model_validate({key: template})


def test_a_template_may_use_every_name_braces_and_formats() -> None:
    config = SmsConfig(called_en="{{{number}}} {service!s} {counter:>3} {ahead:d}")
    assert render(config, "called", "en", number="A1", service="s", counter="4", ahead=5) == (
        "{A1} s   4 5"
    )


# -- the gateway ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "final"),
    [
        (400, True),
        (401, True),
        (403, True),
        (404, True),
        (422, True),
        (408, False),
        (429, False),
        (500, False),
        (503, False),
        (302, False),
    ],
)
def test_only_a_4xx_other_than_408_and_429_is_refused_for_good(status: int, final: bool) -> None:
    assert refused_for_good(Attempt(ok=False, error=f"HTTP {status}", status=status)) is final
    assert not refused_for_good(Attempt(ok=False, error="timed out (ReadTimeout)"))


def token(tmp_path: Path, text: str = "tok\n") -> str:
    path = tmp_path / "token"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_gateway_posts_json_and_reads_the_answer(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201 if len(seen) == 1 else 503)

    config = SmsConfig(url="https://sms.example/api?key=abc", token_file=token(tmp_path))
    gateway = SmsGateway(config, transport=httpx.MockTransport(answer))
    try:
        assert gateway.send(PHONE, "نص").ok
        failed = gateway.send(PHONE, "نص")
    finally:
        gateway.close()
    assert (failed.ok, failed.status, failed.error) == (False, 503, "HTTP 503 Service Unavailable")
    assert json.loads(seen[0].content) == {"to": PHONE, "text": "نص", "sender": "Taboor"}
    assert seen[0].headers["Authorization"] == "Bearer tok"
    assert gateway.origin == "https://sms.example"


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (httpx.ReadTimeout("timed out"), "timed out (ReadTimeout)"),
        (httpx.ConnectError("connection refused"), "ConnectError: connection refused"),
    ],
)
def test_no_answer_is_a_failure_not_an_exception(
    tmp_path: Path, error: httpx.HTTPError, said: str
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise error

    config = SmsConfig(url="https://sms.example/api", token_file=token(tmp_path))
    gateway = SmsGateway(config, transport=httpx.MockTransport(answer))
    try:
        attempt = gateway.send(PHONE, "text")
    finally:
        gateway.close()
    assert (attempt.ok, attempt.status, attempt.error) == (False, None, said)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "No such file"),
        ("\n", "is empty"),
        ("two\nlines\n", "one word on one line"),
        ("with space", "one word on one line"),
    ],
)
def test_an_unusable_secret_file_is_a_config_error_that_does_not_quote_it(
    tmp_path: Path, content: str | None, reason: str
) -> None:
    path = tmp_path / "secret"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    config = SmsConfig(url="https://sms.example/api", token_file=str(path))
    with pytest.raises(ConfigError, match=reason) as caught:
        SmsGateway(config)
    assert "lines" not in str(caught.value)
    assert "space" not in str(caught.value)


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({}, "sms.url: not set"),
        ({"url": "https://sms.example", "username": "u"}, "without sms.password_file"),
        ({"url": "https://sms.example", "password_file": "p"}, "without sms.username"),
    ],
)
def test_a_gateway_needs_a_url_and_whole_credentials(settings: dict[str, Any], reason: str) -> None:
    with pytest.raises(ConfigError, match=reason):
        SmsGateway(SmsConfig.model_validate(settings))


# -- the outbox ----------------------------------------------------------------


class FakeGateway:
    """Answers from a script (then ``ok``), recording the texts it was given; for the outbox."""

    def __init__(self, *script: Attempt) -> None:
        self.script = list(script)
        self.texts: list[str] = []
        self._changed = threading.Condition()

    def send(self, to: str, text: str) -> Attempt:
        with self._changed:
            self.texts.append(text)
            self._changed.notify_all()
            return self.script.pop(0) if self.script else Attempt(ok=True, status=200)

    def wait_for(self, count: int) -> list[str]:
        """The texts, once it was given ``count``."""
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.texts) >= count, PATIENCE)
            return list(self.texts)


class VirtualTime:
    """A monotonic clock that moves only when the outbox waits: back-off costs no real time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []
        self.waited = threading.Event()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.waits.append(seconds)
        self.waited.set()


UNAVAILABLE = Attempt(ok=False, error="HTTP 503 Service Unavailable", status=503)


@contextmanager
def started(outbox: SmsOutbox) -> Iterator[SmsOutbox]:
    outbox.start()
    try:
        yield outbox
    finally:
        outbox.stop()
    assert not outbox.running


def test_a_message_is_given_up_after_its_time(caplog: pytest.LogCaptureFixture) -> None:
    time = VirtualTime()
    gateway = FakeGateway(*[UNAVAILABLE] * 4)
    outbox = SmsOutbox(
        gateway,
        backoff=RetrySchedule(60.0, 300.0),
        give_up_after=600.0,
        clock=time.clock,
        sleep=time.sleep,
    )
    outbox.send("t1/near", PHONE, "late")
    outbox.send("t2/near", PHONE, "late too")
    with started(outbox):
        gateway.wait_for(4)
        while len(time.waits) < 4:
            assert time.waited.wait(PATIENCE)
            time.waited.clear()
        # Tried at 0, 60, 180 and 420 s; at 720 s both are older than 600 s.
        outbox.send("t3/near", PHONE, "fresh")
        assert gateway.wait_for(5) == ["late"] * 4 + ["fresh"]
    assert time.waits == [60.0, 120.0, 240.0, 300.0]
    dropped = [r.getMessage() for r in caplog.records if "not sent within 600 s" in r.getMessage()]
    assert len(dropped) == 2


def test_a_full_queue_drops_its_oldest(caplog: pytest.LogCaptureFixture) -> None:
    gateway = FakeGateway()
    outbox = SmsOutbox(gateway, capacity=2)
    for n in range(1, 4):
        outbox.send(f"t{n}/near", PHONE, f"message {n}")
    assert outbox.waiting == 2
    with started(outbox):
        assert gateway.wait_for(2) == ["message 2", "message 3"]
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.getMessage() == (
        "SMS outbox full (2 waiting): message t1/near to +973****1234 dropped unsent"
    )


def test_a_429_waits_its_retry_after_up_to_the_cap() -> None:
    time = VirtualTime()
    busy = Attempt(ok=False, error="HTTP 429", status=429, retry_after=30.0)
    very_busy = Attempt(ok=False, error="HTTP 429", status=429, retry_after=3600.0)
    gateway = FakeGateway(busy, very_busy)
    outbox = SmsOutbox(
        gateway, backoff=RetrySchedule(1.0, 60.0), clock=time.clock, sleep=time.sleep
    )
    outbox.send("t1/called", PHONE, "called")
    with started(outbox):
        gateway.wait_for(3)
    assert time.waits == [30.0, 60.0]


def test_a_gateway_that_raises_is_a_failure_told_without_its_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken:
        def __init__(self) -> None:
            self.calls = 0
            self.done = threading.Event()

        def send(self, to: str, text: str) -> Attempt:
            self.calls += 1
            if self.calls == 1:
                raise UnicodeEncodeError("ascii", text, 0, 1, f"cannot encode {to}")
            self.done.set()
            return Attempt(ok=True, status=200)

    states: list[tuple[str, str]] = []
    gateway = Broken()
    outbox = SmsOutbox(
        gateway, on_state=lambda s, d: states.append((s, d)), backoff=RetrySchedule(0.0, 0.0)
    )
    outbox.send("t1/near", PHONE, "نص")
    with started(outbox):
        assert gateway.done.wait(PATIENCE)
    assert gateway.calls == 2
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "UnicodeEncodeError" in text
    assert "36001234" not in text
    assert "نص" not in text
    # The "ok" report follows the success; stop() waited for the worker.
    assert states == [("failing", "UnicodeEncodeError"), ("ok", "")]


def test_a_failing_state_listener_does_not_stop_the_outbox(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def listener(state: str, detail: str) -> None:
        raise RuntimeError("the screen is away")

    gateway = FakeGateway(UNAVAILABLE)
    outbox = SmsOutbox(gateway, on_state=listener, backoff=RetrySchedule(0.0, 0.0))
    outbox.send("t1/near", PHONE, "one")
    outbox.send("t2/near", PHONE, "two")
    with started(outbox):
        assert gateway.wait_for(3) == ["one", "one", "two"]
    assert any("listener failed" in r.getMessage() for r in caplog.records)


def test_cancel_needs_a_prefix_and_sending_after_stop_is_ignored() -> None:
    gateway = FakeGateway()
    outbox = SmsOutbox(gateway)
    with pytest.raises(ValueError, match="prefix"):
        outbox.cancel("")
    outbox.send("t1/near", PHONE, "one")
    outbox.stop()
    outbox.send("t2/near", PHONE, "two")
    assert outbox.waiting == 0
    assert gateway.texts == []


def test_a_cancelled_id_may_be_queued_again() -> None:
    gateway = FakeGateway()
    outbox = SmsOutbox(gateway)
    outbox.send("t1/near", PHONE, "first")
    assert outbox.cancel("t1/") == 1
    outbox.send("t1/near", PHONE, "again")
    with started(outbox):
        assert gateway.wait_for(1) == ["again"]
