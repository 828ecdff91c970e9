"""Texting a visitor as their turn nears: the messages, the HTTP SMS gateway, and an outbox.

- :func:`render` fills in the ``[sms]`` templates (validated when the
  configuration is read, so filling one in never fails).
- :class:`SmsGateway` sends one message: it POSTs JSON
  ``{"to": "+97336001234", "text": ..., "sender": ...}`` to ``[sms] url``
  with ``Authorization: Bearer <token_file>`` or basic auth
  (``username`` and ``password_file``), and says how it went.
- :class:`SmsOutbox` sends in the background, so the path that calls a
  ticket never waits for the gateway: a bounded queue and one worker thread,
  one message at a time, oldest first.

What the gateway's answer means (:func:`refused_for_good`): a ``2xx`` is
sent; a ``4xx`` other than ``408`` and ``429`` is refused for good (the
message is dropped and the refusal reported); anything else (``5xx``,
``408``, ``429``, ``3xx``, a time-out, a refused or dropped connection) is
tried again, the same message first, on the one retry schedule
(:class:`centre.retry.RetrySchedule`; a ``429``'s ``Retry-After`` is honoured
up to its cap). A message not sent within ``give_up_after`` seconds of being
queued is dropped: a "your turn nears" text an hour late is useless. The
outbox is held in memory: a restart drops what waits.

A phone number or a message's text is never logged, raised or reported:
logs name a message by its id and the number masked (``+973****1234``).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import httpx

from centre.config import SmsConfig
from centre.errors import ConfigError
from centre.retry import RetrySchedule
from centre.rules.phone import masked_phone
from centre.webhooks import origin
from server.outbound import Attempt, post

log = logging.getLogger("taboor.server.sms")

MessageKind = Literal["near", "called"]
GatewayState = Literal["ok", "failing"]

USER_AGENT = "Taboor-SMS/1"
#: The back-off after failures: 2 s doubling up to a minute, each wait drawn in [0, ceiling).
BACKOFF = RetrySchedule(2.0, 60.0, jitter=True)
#: A message not sent this long after it was queued is dropped.
GIVE_UP_SECONDS = 600.0
#: Messages that may wait; past this the oldest is dropped.
CAPACITY = 1000
#: How many message ids are remembered, so that one queued again is not sent twice.
REMEMBER = 10_000
#: How long :meth:`SmsOutbox.stop` waits for a request under way, by default.
STOP_SECONDS = 10.0


def render(
    config: SmsConfig,
    kind: MessageKind,
    lang: str,
    *,
    number: str,
    service: str,
    counter: str | None,
    ahead: int,
) -> str:
    """The text of a ``kind`` message: the Arabic template for ``ar``, the English one otherwise.

    ``number`` is the ticket's, ``service`` the service's name in ``lang``,
    ``counter`` the counter called to (``None`` before a call: left empty).
    """
    arabic = lang == "ar"
    if kind == "near":
        template = config.near_ar if arabic else config.near_en
    else:
        template = config.called_ar if arabic else config.called_en
    return template.format(number=number, service=service, counter=counter or "", ahead=ahead)


def refused_for_good(attempt: Attempt) -> bool:
    """Whether the gateway refused a message so that sending it again is useless (a ``4xx``
    other than ``408 Request Timeout`` and ``429 Too Many Requests``)."""
    status = attempt.status
    return status is not None and 400 <= status < 500 and status not in (408, 429)


def failure_reason(attempt: Attempt) -> str:
    """A short reason for a message not taken (``HTTP 503``, ``timed out (ReadTimeout)``).

    Only the status of an answer, not its reason phrase: what a gateway says
    may repeat what it was sent.
    """
    return f"HTTP {attempt.status}" if attempt.status is not None else attempt.error


class SmsSender(Protocol):
    """Something that sends one text message and says how it went (:class:`SmsGateway`)."""

    def send(self, to: str, text: str) -> Attempt:
        """Send ``text`` to the E.164 number ``to``; never raises for the network."""
        ...


class SmsGateway:
    """The HTTP SMS gateway of ``[sms]``: sends one message per :meth:`send`.

    The secret files are read here, once (a relative path is taken from the
    working directory); a missing, unreadable or empty one is a
    :class:`ConfigError`. ``transport`` (an :class:`httpx.BaseTransport`,
    e.g. a ``MockTransport``) replaces the network. :meth:`close` when done.
    """

    def __init__(self, config: SmsConfig, *, transport: httpx.BaseTransport | None = None) -> None:
        if config.url is None:
            raise ConfigError("sms.url: not set, so there is no SMS gateway to send to")
        if config.password_file and not config.username:
            raise ConfigError("sms.password_file: given without sms.username")
        self._url = config.url
        self._origin = origin(config.url)
        self._sender = config.sender
        headers = {"User-Agent": USER_AGENT, "Content-Type": "application/json"}
        auth: httpx.BasicAuth | None = None
        if config.token_file:
            headers["Authorization"] = f"Bearer {_read_secret('token_file', config.token_file)}"
        elif config.username:
            if not config.password_file:
                raise ConfigError("sms.username: given without sms.password_file")
            password = _read_secret("password_file", config.password_file)
            auth = httpx.BasicAuth(config.username, password)
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(config.timeout_seconds),
            follow_redirects=False,
            headers=headers,
            auth=auth,
        )

    @property
    def origin(self) -> str:
        """The gateway's scheme, host and port: what a screen or a log may show of its URL."""
        return self._origin

    def send(self, to: str, text: str) -> Attempt:
        """POST one message; how it went. Never raises for the network or the answer."""
        body = {"to": to, "text": text, "sender": self._sender}
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return post(self._client, self._url, content, {}, origin=self._origin)

    def close(self) -> None:
        """Close its connections."""
        self._client.close()


def _read_secret(key: str, path: str) -> str:
    try:
        secret = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "unreadable"
        raise ConfigError(f"sms.{key}: {path}: {reason}") from None
    if not secret:
        raise ConfigError(f"sms.{key}: {path} is empty")
    if not secret.isprintable() or any(c.isspace() for c in secret):
        # A header cannot carry it, and the HTTP client's complaint would quote it.
        raise ConfigError(f"sms.{key}: {path} must hold one word on one line")
    return secret


@dataclass(frozen=True)
class _Message:
    id: str
    to: str = field(repr=False)
    text: str = field(repr=False)
    queued_at: float


class SmsOutbox:
    """Sends text messages in a worker thread of its own, oldest first, each id once.

    Once means queued once: a message whose answer was lost (a time-out) is
    sent again and may reach the visitor twice, as with any gateway that
    takes no idempotency key. ``start()`` once; :meth:`send` from any thread (it only queues);
    :meth:`cancel` when a ticket ends; ``stop()`` at shutdown.
    ``on_state(state, detail)`` is called from the worker when the gateway's
    health changes: ``("failing", "HTTP 503")`` at the first failure or
    refusal after successes (or at the start), ``("ok", "")`` at the first
    success after failures. ``clock`` (monotonic seconds) and ``sleep`` (the
    back-off's wait, by default one that :meth:`stop` cuts short) are for
    tests.
    """

    def __init__(
        self,
        gateway: SmsSender,
        *,
        on_state: Callable[[str, str], object] = lambda state, detail: None,
        backoff: RetrySchedule = BACKOFF,
        give_up_after: float = GIVE_UP_SECONDS,
        capacity: int = CAPACITY,
        remember: int = REMEMBER,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        if capacity < 1 or remember < capacity:
            raise ValueError("an SMS outbox needs 1 <= capacity <= remember")
        self._gateway = gateway
        self._on_state = on_state
        self._backoff = backoff
        self._give_up_after = give_up_after
        self._capacity = capacity
        self._remember = remember
        self._clock = clock
        self._stopping = threading.Event()
        self._sleep = sleep if sleep is not None else self._stopping.wait
        # Guards everything below; held only for bookkeeping, never over a request.
        self._changed = threading.Condition(threading.Lock())
        self._queue: OrderedDict[str, _Message] = OrderedDict()
        # Ids queued, under way or done (sent, refused, given up): none is sent again.
        self._known: OrderedDict[str, None] = OrderedDict()
        self._in_flight: _Message | None = None
        self._in_flight_cancelled = False
        self._failures = 0
        self._failing = False
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether it was started and not yet stopped."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def waiting(self) -> int:
        """How many messages wait to be sent (not counting one under way)."""
        with self._changed:
            return len(self._queue)

    def start(self) -> None:
        """Start sending, in a thread of its own; returns at once."""
        if self._thread is not None:
            raise RuntimeError("an SMS outbox starts once")
        self._thread = threading.Thread(target=self._run, name="sms", daemon=True)
        self._thread.start()

    def send(self, message_id: str, to: str, text: str) -> None:
        """Queue ``text`` for the E.164 number ``to``; returns at once, from any thread.

        A ``message_id`` queued before (waiting, under way, sent, refused or
        given up) is not queued again. When the queue is full, its oldest
        message is dropped.
        """
        dropped: list[_Message] = []
        with self._changed:
            if self._stopping.is_set() or message_id in self._known:
                return
            self._remember_id(message_id)
            self._queue[message_id] = _Message(message_id, to, text, self._clock())
            dropped = self._overflow()
            self._changed.notify()
        for message in dropped:
            log.warning(
                "SMS outbox full (%d waiting): message %s to %s dropped unsent",
                self._capacity,
                message.id,
                masked_phone(message.to),
            )

    def cancel(self, prefix: str) -> int:
        """Drop the waiting messages whose id starts with ``prefix``; how many.

        A message under way is not taken back, but it is not tried again.
        The dropped ids are forgotten: queued again, they are sent.
        """
        if not prefix:
            raise ValueError("cancelling SMS messages needs an id prefix")
        with self._changed:
            doomed = [message_id for message_id in self._queue if message_id.startswith(prefix)]
            for message_id in doomed:
                del self._queue[message_id]
                self._known.pop(message_id, None)
            if self._in_flight is not None and self._in_flight.id.startswith(prefix):
                self._in_flight_cancelled = True
        if doomed:
            log.debug("%d SMS messages cancelled (%s…)", len(doomed), prefix)
        return len(doomed)

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Stop sending and wait for a request under way, up to ``timeout`` seconds.

        A back-off wait is cut short; what still waits is dropped.
        """
        with self._changed:
            self._stopping.set()
            unsent = len(self._queue)
            self._queue.clear()
            self._changed.notify_all()
        if unsent:
            log.info("%d SMS messages not sent at shutdown", unsent)
        if self._thread is None:
            return
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("SMS outbox: still in a request to the gateway at shutdown")

    # -- the worker thread -------------------------------------------------

    def _run(self) -> None:
        while True:
            message = self._next()
            if message is None:
                return
            delay = self._settle(message, self._attempt(message))
            if delay > 0 and not self._stopping.is_set():
                self._sleep(delay)

    def _next(self) -> _Message | None:
        """The oldest message not yet too old, once there is one; ``None`` when stopping."""
        while True:
            chosen: _Message | None = None
            expired: list[_Message] = []
            with self._changed:
                while not self._queue and not self._stopping.is_set():
                    self._changed.wait()
                if self._stopping.is_set():
                    return None
                now = self._clock()
                while self._queue:
                    oldest = next(iter(self._queue.values()))
                    if now - oldest.queued_at < self._give_up_after:
                        chosen = self._in_flight = self._queue.pop(oldest.id)
                        self._in_flight_cancelled = False
                        break
                    expired.append(self._queue.pop(oldest.id))
            for message in expired:
                log.warning(
                    "SMS message %s to %s dropped: not sent within %.0f s",
                    message.id,
                    masked_phone(message.to),
                    self._give_up_after,
                )
            if chosen is not None:
                return chosen

    def _attempt(self, message: _Message) -> Attempt:
        try:
            return self._gateway.send(message.to, message.text)
        except Exception as error:
            # A bug, not the network: its message may quote the text, so only its type is told.
            log.error("SMS gateway: message %s not sent: %s", message.id, type(error).__name__)
            return Attempt(ok=False, error=type(error).__name__)

    def _settle(self, message: _Message, attempt: Attempt) -> float:
        """Record how ``message`` went; the seconds to wait before the next try."""
        reason = failure_reason(attempt)
        delay = 0.0
        with self._changed:
            self._in_flight = None
            was_failing = self._failing
            if attempt.ok:
                self._failures = 0
                self._failing = False
            elif refused_for_good(attempt):
                # The gateway answers: no back-off, but the refusal is reported.
                self._failures = 0
                self._failing = True
            else:
                cap = self._backoff.cap
                if attempt.retry_after is not None:
                    delay = min(attempt.retry_after, cap)
                else:
                    delay = self._backoff.delay(self._failures)
                self._failures += 1
                self._failing = True
                if not (self._in_flight_cancelled or self._stopping.is_set()):
                    # First again: it is the oldest.
                    self._queue[message.id] = message
                    self._queue.move_to_end(message.id, last=False)
            failures = self._failures
            failing = self._failing
        masked = masked_phone(message.to)
        if attempt.ok:
            log.debug("SMS message %s to %s sent", message.id, masked)
        elif refused_for_good(attempt):
            log.warning(
                "SMS gateway refused message %s to %s (%s): not tried again",
                message.id,
                masked,
                reason,
            )
        else:
            log.log(
                logging.WARNING if failures == 1 else logging.DEBUG,
                "SMS gateway did not take message %s to %s: %s; again in %.1f s",
                message.id,
                masked,
                reason,
                delay,
            )
        if failing != was_failing:
            if failing:
                self._report("failing", reason)
            else:
                log.info("SMS gateway takes messages again")
                self._report("ok", "")
        return delay

    def _report(self, state: GatewayState, detail: str) -> None:
        try:
            self._on_state(state, detail)
        except Exception:
            log.exception("SMS outbox: the gateway state's listener failed")

    def _remember_id(self, message_id: str) -> None:
        self._known[message_id] = None
        while len(self._known) > self._remember:
            self._known.popitem(last=False)

    def _overflow(self) -> list[_Message]:
        """Drop the oldest waiting messages beyond the capacity; them."""
        dropped: list[_Message] = []
        while len(self._queue) > self._capacity:
            dropped.append(self._queue.popitem(last=False)[1])
        return dropped


__all__ = [
    "BACKOFF",
    "CAPACITY",
    "GIVE_UP_SECONDS",
    "USER_AGENT",
    "GatewayState",
    "MessageKind",
    "SmsGateway",
    "SmsOutbox",
    "SmsSender",
    "failure_reason",
    "refused_for_good",
    "render",
]
