"""What a running centre server holds: store, clock, configuration, event hub and limits."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from centre import devices, phones
from centre.clock import Clock
from centre.config import CentreConfig
from centre.devices import EnrolledDevice
from centre.domain import Event, EventType
from centre.local import LocalCentre
from centre.rules.public import ticket_ref
from centre.rules.qr import QrVerifier
from centre.store.unit_of_work import Store
from server import wire
from server.hub import BACKLOG_LIMIT, RECENT, EventHub
from server.limits import BURST, RATE_PER_SECOND, SIGN_INS, RequestLimiter, WindowLimiter
from server.phones import PhoneWatch
from server.reporting import ReportRunner

log = logging.getLogger("taboor.server")

#: The stream sends a comment this often (the contract says at least every 15 s).
KEEPALIVE_SECONDS = 5.0
#: A device's last_seen is written at most this often; a token is trusted this long unread.
SEEN_EVERY_SECONDS = 30.0


@dataclass
class CentreServer:
    """The centre server's state, shared by every request.

    ``on_events`` listeners hear every batch of events the hub hands over, in
    seq order, each once (on the hub's thread, or on the thread of the request
    whose commit brought them: they must be quick); the webhooks' dispatcher
    wakes on them. ``stream_memory`` events are kept for resuming streams; a
    stream with more than ``stream_backlog`` waiting is dropped. ``webhooks``:
    deliver events to integrators' endpoints.
    """

    store: Store
    clock: Clock
    config: CentreConfig
    verifier: QrVerifier | None = None
    monotonic: Callable[[], float] = time.monotonic
    keepalive_seconds: float = KEEPALIVE_SECONDS
    stream_memory: int = RECENT
    stream_backlog: int = BACKLOG_LIMIT
    requests_per_second: float = RATE_PER_SECOND
    request_burst: float = BURST
    sign_ins_per_minute: int = SIGN_INS
    webhooks: bool = True
    # What one address may ask of the public pages (0: as ``[public]`` says).
    public_rate: float = 0.0
    public_burst: float = 0.0
    public_streams: int = 0
    on_events: list[Callable[[list[Event]], None]] = field(default_factory=list)
    hub: EventHub = field(init=False)
    requests: RequestLimiter = field(init=False)
    sign_ins: WindowLimiter = field(init=False)
    public_requests: RequestLimiter = field(init=False)
    joins: WindowLimiter = field(init=False)
    phones: PhoneWatch = field(init=False)
    reports: ReportRunner = field(init=False)
    streams_by_address: dict[str, int] = field(default_factory=dict)
    _secret: bytes | None = None
    _seen: dict[str, float] = field(default_factory=dict)
    _tokens: dict[str, tuple[EnrolledDevice, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        feed = LocalCentre(self.store, self.clock, self.config).event_feed("taboor-server")
        self.hub = EventHub(
            feed,
            recent=self.stream_memory,
            backlog_limit=self.stream_backlog,
            on_events=self._heard,
        )
        self.reports = ReportRunner(self.store)
        self.requests = RequestLimiter(
            self.monotonic, rate=self.requests_per_second, burst=self.request_burst
        )
        self.sign_ins = WindowLimiter(self.monotonic, count=self.sign_ins_per_minute)
        public = self.config.public
        self.public_rate = self.public_rate or public.requests_per_second
        self.public_burst = self.public_burst or float(public.burst)
        self.public_streams = self.public_streams or public.streams_per_address
        self.public_requests = RequestLimiter(
            self.monotonic, rate=self.public_rate, burst=self.public_burst
        )
        self.joins = WindowLimiter(
            self.monotonic, count=self.config.public.joins_per_hour, seconds=3600.0
        )
        self.phones = PhoneWatch(
            partial(phones.phone_views, self.store, self.clock, self.config),
            partial(phones.moments, self.store),
            partial(phones.numbered_tickets, self.store),
            partial(wire.phone_ticket_json, config=self.config),
        )
        self.on_events.append(self.phones.heard)

    def secret(self) -> bytes:
        """The centre's secret for phone links (read once)."""
        if self._secret is None:
            self._secret = phones.public_secret(self.store)
        return self._secret

    def link(self, ticket_id: str) -> str | None:
        """A ticket's phone link, when the centre has a public address."""
        public = self.config.public
        if public.url is None:
            return None
        return f"{public.address()}/t/{ticket_ref(self.secret(), ticket_id)}"

    def centre(self, device: EnrolledDevice | None = None) -> LocalCentre:
        """The use cases on the store, acting as ``device``."""
        return LocalCentre(
            self.store,
            self.clock,
            self.config,
            verifier=self.verifier,
            device=device.name if device is not None else None,
            secret=self.secret() if self.config.public.url is not None else None,
        )

    def authenticate(self, token: str) -> EnrolledDevice:
        """The device of a token (remembered briefly; revoking or pairing forgets at once)."""
        cached = self.remembered(token)
        if cached is not None:
            return cached
        device = devices.authenticate(self.store, token)
        if len(self._tokens) > 10_000:
            self._tokens.clear()
        self._tokens[devices.token_digest(token)] = (device, self.monotonic())
        return device

    def remembered(self, token: str) -> EnrolledDevice | None:
        """The device of a token when it was read from the store lately (no I/O), else None."""
        cached = self._tokens.get(devices.token_digest(token))
        if cached is not None and self.monotonic() - cached[1] < SEEN_EVERY_SECONDS:
            return cached[0]
        return None

    def seen_lately(self, device: EnrolledDevice) -> bool:
        """Whether :meth:`seen` would write nothing for ``device`` now (no I/O)."""
        last = self._seen.get(device.name)
        return last is not None and self.monotonic() - last < SEEN_EVERY_SECONDS

    def seen(self, device: EnrolledDevice, address: str | None) -> None:
        """Note the device was heard from, at most every ``SEEN_EVERY_SECONDS``."""
        if self.seen_lately(device):
            return
        self._seen[device.name] = self.monotonic()
        devices.record_seen(self.store, self.clock, device.name, address)

    def _heard(self, events: list[Event]) -> None:
        # On the hub's thread, or on the thread whose commit brought the events.
        if any(e.type in (EventType.DEVICE_REVOKED, EventType.DEVICE_PAIRED) for e in events):
            self._tokens.clear()
        for listener in self.on_events:
            try:
                listener(events)
            except Exception:
                log.exception("an event listener failed")


__all__ = ["KEEPALIVE_SECONDS", "CentreServer"]
