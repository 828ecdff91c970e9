"""Delivering the event log to integrators' webhooks: signed POSTs, at least once, in order.

Each endpoint has a worker thread of its own, with its own HTTP client, so a
dead or slow receiver holds up nothing but itself. A worker POSTs the
endpoint's events one per request, in ``seq`` order, and moves the
endpoint's ``delivered_seq`` on in the store only after a ``2xx``: a server
killed mid-delivery sends again what was not acknowledged, and receivers
de-duplicate by the event id (the body's ``id`` and ``Taboor-Event-Id``).

A request is the Event JSON of CONTRACTS.md section 2 with these headers::

    Content-Type: application/json
    User-Agent: Taboor-Webhooks/1 (centre <id>)
    Taboor-Event-Id: <the event's uuid>
    Taboor-Event-Type: <the event's type>
    Taboor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>

Anything but a ``2xx`` (a refused or dropped connection, a time-out, a
``3xx``, ``4xx`` or ``5xx``) is retried on the one retry schedule
(:class:`centre.retry.RetrySchedule`, capped exponential with full jitter),
the same event again, since a later one may not overtake it. A ``429``'s
``Retry-After`` is honoured up to the cap. A ``410 Gone`` waits the whole
cap before each new try and says so, but does not remove the endpoint: a
receiver's proxy answering 410 for a minute must not silently cost the
integrator its events, and the supervisor sees the failures and the
backlog and can remove it.

The dispatcher needs nothing of the ASGI app: the server calls
:meth:`WebhookDispatcher.wake` when the log grows, and a slow poll covers
any wake that was missed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable, Sequence

import httpx

from centre.clock import Clock
from centre.config import CentreConfig
from centre.contract import event_json
from centre.domain import Event, EventType
from centre.retry import RetrySchedule
from centre.store.unit_of_work import Store
from centre.webhooks import (
    Webhook,
    WebhookTarget,
    events_to_deliver,
    record_delivered,
    record_failure,
    webhook_changes_after,
    webhooks_for_delivery,
)
from server.outbound import Attempt, post

log = logging.getLogger(__name__)

#: Events after which the endpoints are read again.
_ENDPOINT_CHANGES = (EventType.WEBHOOK_ADDED, EventType.WEBHOOK_REMOVED)

USER_AGENT = "Taboor-Webhooks/1"
EVENT_ID_HEADER = "Taboor-Event-Id"
EVENT_TYPE_HEADER = "Taboor-Event-Type"
SIGNATURE_HEADER = "Taboor-Signature"
#: Connect, read, write and pool time-outs of each request, in seconds.
TIMEOUT_SECONDS = 5.0
#: How often endpoints are looked for, and their logs read, without a wake.
POLL_SECONDS = 15.0
#: The back-off after failures: 1 s doubling up to 5 minutes, each wait drawn in [0, ceiling).
BACKOFF = RetrySchedule(1.0, 300.0, jitter=True)
#: Events read from the store at a time, per endpoint.
BATCH = 100
#: While catching up, ``delivered_seq`` is written at most this often (and at every pause).
RECORD_EVERY_SECONDS = 1.0


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Taboor-Signature`` value: ``t=<timestamp>,v1=<hex HMAC-SHA256 of "<t>.<body>">``."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def event_body(event: Event, config: CentreConfig) -> bytes:
    """The bytes POSTed for ``event``: its Event JSON, compact, in UTF-8."""
    payload = event_json(event, config.centre.zone)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class EndpointDelivery:
    """One endpoint's delivery, a step at a time; its worker thread runs it.

    ``position`` is the ``seq`` up to which every matching event was taken.
    :meth:`step` sends what waits after it, in order, and says how long to
    wait before the next step.
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        config: CentreConfig,
        target: WebhookTarget,
        client: httpx.Client,
        schedule: RetrySchedule,
        *,
        batch: int = BATCH,
        record_every: float = RECORD_EVERY_SECONDS,
    ) -> None:
        webhook = target.webhook
        self.webhook = webhook
        self.position = webhook.delivered_seq
        self._secret = target.secret
        self._store = store
        self._clock = clock
        self._config = config
        self._client = client
        self._schedule = schedule
        #: Failed attempts in a row (the back-off grows with them).
        self.failures = 0
        self._batch = batch
        self._record_every = record_every
        self._recorded = webhook.delivered_seq
        self._recorded_at = clock.now()
        self._unrecorded = False

    def step(self, stopping: Callable[[], bool] = lambda: False) -> float | None:
        """Send what waits, in order, until a failure or ``stopping()``.

        Returns ``None`` when caught up (wait for a wake), ``0`` when more
        waits to be read, else the back-off's seconds before trying again.
        """
        head, events = events_to_deliver(self._store, self.webhook, self.position, self._batch)
        for event in events:
            if stopping():
                self.flush()
                return None
            attempt = self.send(event)
            if not attempt.ok:
                self.flush()
                return self._failed(event, attempt)
            if self.failures:
                log.info("webhook %d (%s) takes events again", self.webhook.id, self.webhook.origin)
                self.failures = 0
            assert event.seq is not None  # read from the log, so numbered
            self.position = event.seq
            self._unrecorded = True
            if (self._clock.now() - self._recorded_at).total_seconds() >= self._record_every:
                self.flush()
        if len(events) == self._batch:
            self.flush()
            return 0.0
        # Nothing else up to the head is for this endpoint.
        self.position = max(self.position, head)
        self.flush()
        return None

    def send(self, event: Event) -> Attempt:
        """POST one event, signed; how it went."""
        body = event_body(event, self._config)
        headers = {
            "Content-Type": "application/json",
            EVENT_ID_HEADER: event.id,
            EVENT_TYPE_HEADER: event.type.value,
            SIGNATURE_HEADER: signature(self._secret, int(self._clock.now().timestamp()), body),
        }
        return post(self._client, self.webhook.url, body, headers, origin=self.webhook.origin)

    def flush(self) -> None:
        """Write ``position`` to the store as delivered, if a delivery moved it."""
        if not self._unrecorded or self.position <= self._recorded:
            return
        record_delivered(self._store, self._clock, self.webhook.id, self.position)
        self._recorded = self.position
        self._recorded_at = self._clock.now()
        self._unrecorded = False

    def _failed(self, event: Event, attempt: Attempt) -> float:
        error = attempt.error
        cap = self._schedule.cap
        if attempt.gone:
            error += ": the receiver says this endpoint is gone (taboor webhook remove to stop)"
            delay = cap
        elif attempt.retry_after is not None:
            delay = min(attempt.retry_after, cap)
        else:
            delay = self._schedule.delay(self.failures)
        self.failures += 1
        record_failure(self._store, self._clock, self.webhook.id, error)
        level = logging.WARNING if self.failures == 1 else logging.DEBUG
        log.log(
            level,
            "webhook %d (%s): event %d not taken: %s; again in %.1f s",
            self.webhook.id,
            self.webhook.origin,
            event.seq,
            error,
            delay,
        )
        return delay


class _Worker:
    """A thread delivering one endpoint, with its own HTTP client."""

    def __init__(
        self,
        webhook: Webhook,
        make_client: Callable[[], httpx.Client],
        make_delivery: Callable[[httpx.Client], EndpointDelivery],
        poll_seconds: float,
    ) -> None:
        self.webhook = webhook
        self._make_delivery = make_delivery
        self._make_client = make_client
        self._poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._wakeup = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"webhook-{webhook.id}", daemon=True)

    def wake(self) -> None:
        """Look for new events now (unless backing off)."""
        self._wakeup.set()

    def stop(self) -> None:
        """Finish the request under way, record progress, and end."""
        self._stop.set()
        self._wakeup.set()

    def _run(self) -> None:
        with self._make_client() as client:
            delivery = self._make_delivery(client)
            while not self._stop.is_set():
                self._wakeup.clear()
                try:
                    delay = delivery.step(self._stop.is_set)
                except Exception:
                    # The store is away (a restart, a lost connection): try again later.
                    log.exception("webhook %d: cannot read or record its events", self.webhook.id)
                    delay = self._poll_seconds
                if delay is None:
                    self._wakeup.wait(self._poll_seconds)
                elif delay > 0:
                    # A wake does not cut a back-off short; stopping does.
                    self._stop.wait(delay)


class WebhookDispatcher:
    """Delivers the log to every webhook endpoint, each by a worker thread of its own.

    ``start()`` once; ``wake()`` whenever events were appended (from any
    thread: it only sets a flag); ``stop()`` at shutdown. Endpoints added or
    removed while it runs are picked up from their ``webhook_added`` and
    ``webhook_removed`` events, and by a poll every ``poll_seconds``.
    ``transport`` (an :class:`httpx.BaseTransport`, e.g. a ``MockTransport``)
    replaces the network for every endpoint; the caller closes it.
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        config: CentreConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = TIMEOUT_SECONDS,
        poll_seconds: float = POLL_SECONDS,
        backoff: RetrySchedule = BACKOFF,
    ) -> None:
        self._store = store
        self._clock = clock
        self._config = config
        self._transport = transport
        self._timeout = timeout
        self._poll_seconds = poll_seconds
        self._backoff = backoff
        self._wakeup = threading.Event()
        self._changed = threading.Event()
        self._stopping = threading.Event()
        # The supervising thread changes these; stop() and endpoints() read them.
        self._lock = threading.Lock()
        self._workers: dict[int, _Worker] = {}
        self._retiring: list[_Worker] = []
        self._cursor = 0
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether it was started and not yet stopped."""
        return self._thread is not None and self._thread.is_alive()

    def endpoints(self) -> list[int]:
        """The ids of the endpoints it delivers now."""
        with self._lock:
            return sorted(self._workers)

    def start(self) -> None:
        """Start delivering, in threads of its own; returns at once."""
        if self._thread is not None:
            raise RuntimeError("a webhook dispatcher starts once")
        self._thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
        self._thread.start()

    def wake(self, events: Sequence[Event] | None = None) -> None:
        """New events are in the log: deliver them now. Returns at once; safe from any thread.

        Given the ``events``, the endpoints are read again only when one was
        added or removed among them (the poll reads them anyway); without,
        always. So a centre without endpoints reads nothing per event.
        """
        if events is None or any(e.type in _ENDPOINT_CHANGES for e in events):
            self._changed.set()
        self._wakeup.set()

    def stop(self, timeout: float | None = None) -> None:
        """Stop every worker and wait for them (a request under way ends first, up to ``timeout``).

        Back-off waits are cut short. Progress already taken is recorded, so
        the next start goes on from there.
        """
        self._stopping.set()
        self._wakeup.set()
        if self._thread is None:
            return
        deadline = time.monotonic() + (self._timeout + 1.0 if timeout is None else timeout)
        self._thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            workers = [*self._workers.values(), *self._retiring]
        for worker in workers:
            worker.stop()
        for worker in workers:
            worker.thread.join(max(0.0, deadline - time.monotonic()))
            if worker.thread.is_alive():
                log.warning("webhook %d: still in a request at shutdown", worker.webhook.id)

    # -- the supervising thread ------------------------------------------

    def _run(self) -> None:
        full = True
        while not self._stopping.is_set():
            if full or self._changed.is_set():
                self._changed.clear()
                try:
                    self._reconcile(full=full)
                except Exception:
                    log.exception("cannot read the webhook endpoints")
            with self._lock:
                workers = list(self._workers.values())
            for worker in workers:
                worker.wake()
            woke = self._wakeup.wait(self._poll_seconds)
            self._wakeup.clear()
            full = not woke

    def _reconcile(self, *, full: bool) -> None:
        head, changed = webhook_changes_after(self._store, self._cursor)
        if not (full or changed):
            self._cursor = head
            return
        wanted = {target.webhook.id: target for target in webhooks_for_delivery(self._store)}
        self._cursor = head
        with self._lock:
            # Ids are never given twice, so an id still wanted is the same endpoint.
            for webhook_id in [i for i in self._workers if i not in wanted]:
                worker = self._workers.pop(webhook_id)
                worker.stop()
                self._retiring.append(worker)
                log.info("webhook %d (%s) removed", webhook_id, worker.webhook.origin)
            self._retiring = [w for w in self._retiring if w.thread.is_alive()]
            for webhook_id, target in wanted.items():
                if webhook_id in self._workers or self._stopping.is_set():
                    continue
                worker = _Worker(
                    target.webhook,
                    self._new_client,
                    self._delivery_for(target),
                    self._poll_seconds,
                )
                self._workers[webhook_id] = worker
                worker.thread.start()
                log.info("webhook %d (%s) delivering", webhook_id, target.webhook.origin)

    def _delivery_for(self, target: WebhookTarget) -> Callable[[httpx.Client], EndpointDelivery]:
        def make(client: httpx.Client) -> EndpointDelivery:
            return EndpointDelivery(
                self._store, self._clock, self._config, target, client, self._backoff
            )

        return make

    def _new_client(self) -> httpx.Client:
        transport = _Borrowed(self._transport) if self._transport is not None else None
        return httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(self._timeout),
            follow_redirects=False,
            headers={"User-Agent": f"{USER_AGENT} (centre {self._config.centre.id})"},
        )


class _Borrowed(httpx.BaseTransport):
    """A transport shared by every worker's client: closing a client leaves it open."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self._transport = transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._transport.handle_request(request)

    def close(self) -> None:
        """Left to the transport's owner."""


__all__ = [
    "EVENT_ID_HEADER",
    "EVENT_TYPE_HEADER",
    "SIGNATURE_HEADER",
    "USER_AGENT",
    "Attempt",
    "EndpointDelivery",
    "WebhookDispatcher",
    "event_body",
    "signature",
]
