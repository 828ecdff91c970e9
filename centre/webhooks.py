"""Integrators' webhook endpoints: which events each receives, and how far its delivery got.

An endpoint is a URL, the kinds of event it wants (or ``*`` for every kind)
and a secret that signs what is sent to it. Delivery (in
:mod:`server.webhooks`) is at least once and in ``seq`` order: an
endpoint's ``delivered_seq`` moves on only after the receiver took every
matching event up to it, so its *backlog* is the matching events after it.

A new endpoint receives the events appended after it was added, starting
with its own ``webhook_added`` when it wants every kind. Adding and removing
one appends an event, so a running server picks the change up at once; those
events carry the endpoint's id and origin (scheme, host and port), never its
path, query or credentials, which may hold a receiver's token.

The secret is kept in the store, because signing needs it; a
:class:`Webhook` never holds it. It leaves the core only in a
:class:`WebhookTarget`, which :func:`webhooks_for_delivery` gives the
dispatcher.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from centre.clock import Clock
from centre.domain import Event, EventType
from centre.errors import BadInput
from centre.store.repository import Repository
from centre.store.unit_of_work import Store

#: The event "kind" that stands for every kind.
ALL_EVENTS = "*"
#: The shortest secret accepted (`openssl rand -hex 32` makes one of 64 characters).
MIN_SECRET_LENGTH = 16
#: Where an error message is cut, so a receiver's long answer stays one short line.
ERROR_LENGTH = 200
_SCHEMES = ("http", "https")
_CHANGES = (EventType.WEBHOOK_ADDED.value, EventType.WEBHOOK_REMOVED.value)


@dataclass(frozen=True)
class Webhook:
    """A webhook endpoint and how its delivery stands.

    ``backlog`` counts the matching events not yet delivered.
    """

    id: int
    url: str
    events: tuple[str, ...]
    created_at: datetime
    delivered_seq: int
    failures: int = 0
    last_ok: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    backlog: int = 0

    @property
    def types(self) -> tuple[str, ...] | None:
        """The event types it receives, or ``None`` for every type."""
        return None if ALL_EVENTS in self.events else self.events

    @property
    def origin(self) -> str:
        """The URL's scheme, host and port: what events and logs may show of it."""
        return origin(self.url)


@dataclass(frozen=True)
class WebhookTarget:
    """An endpoint as the dispatcher delivers to it: the webhook and the secret it signs with."""

    webhook: Webhook
    secret: str = field(repr=False)


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL, without its credentials, path or query."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port is not None else ""
    return f"{parts.scheme}://{host}{port}"


def event_types() -> list[str]:
    """Every event type name an endpoint may ask for (besides ``*``)."""
    return [kind.value for kind in EventType]


def parse_events(names: Sequence[str]) -> tuple[str, ...]:
    """Event type names checked and without repeats; ``*`` alone when it is among them."""
    wanted = [name.strip() for name in names if name.strip()]
    if not wanted:
        raise BadInput(f"name the events to send, or {ALL_EVENTS} for all")
    if ALL_EVENTS in wanted:
        return (ALL_EVENTS,)
    known = event_types()
    unknown = [name for name in wanted if name not in known]
    if unknown:
        noun = "event type" if len(unknown) == 1 else "event types"
        raise BadInput(
            f"unknown {noun} {', '.join(unknown)} (valid: {ALL_EVENTS}, {', '.join(known)})",
            events=unknown,
        )
    return tuple(dict.fromkeys(wanted))


def check_url(url: str) -> str:
    """The URL if it is http or https with a host, else :class:`BadInput`."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port out of range
    except ValueError:
        raise BadInput("a webhook URL is http:// or https:// and a host") from None
    if parts.scheme not in _SCHEMES or not parts.hostname or any(c.isspace() for c in url):
        raise BadInput("a webhook URL is http:// or https:// and a host")
    return url


def add_webhook(
    store: Store, clock: Clock, url: str, events: Sequence[str], secret: str
) -> Webhook:
    """Add an endpoint; it receives the matching events appended from now on."""
    url = check_url(url)
    kinds = parse_events(events)
    if len(secret) < MIN_SECRET_LENGTH:
        raise BadInput(f"a webhook secret has at least {MIN_SECRET_LENGTH} characters")
    now = clock.now()
    with store.write() as repo:
        head = repo.last_seq()
        webhook_id = repo.add_webhook(
            {
                "url": url,
                "events": json.dumps(list(kinds)),
                "secret": secret,
                "created_at": now,
                "delivered_seq": head,
                "failures": 0,
            }
        )
        repo.append([_change(EventType.WEBHOOK_ADDED, now, webhook_id, url)])
        row = repo.webhook(webhook_id)
        assert row is not None
        return _with_backlog(repo, _webhook(row._mapping))


def remove_webhook(store: Store, clock: Clock, webhook_id: int) -> Webhook:
    """Remove an endpoint: nothing more is sent to it. Returns it as it stood."""
    now = clock.now()
    with store.write() as repo:
        row = repo.webhook(webhook_id)
        if row is None:
            raise BadInput(f"no webhook {webhook_id}", webhook=webhook_id)
        removed = _with_backlog(repo, _webhook(row._mapping))
        repo.remove_webhook(webhook_id)
        repo.append([_change(EventType.WEBHOOK_REMOVED, now, webhook_id, removed.url)])
    return removed


def webhook_list(store: Store) -> list[Webhook]:
    """Every endpoint, by id, with its backlog."""
    with store.read() as repo:
        return webhooks_in(repo)


def webhooks_in(repo: Repository, *, origins_only: bool = False) -> list[Webhook]:
    """Every endpoint with its backlog, read on an open transaction (one count each).

    With ``origins_only``, each URL is cut to its origin (for screens, which
    need no path or query, where a receiver's token may be).
    """
    found = [_with_backlog(repo, _webhook(row._mapping)) for row in repo.webhooks()]
    if origins_only:
        return [replace(webhook, url=webhook.origin) for webhook in found]
    return found


def webhooks_for_delivery(store: Store) -> list[WebhookTarget]:
    """Every endpoint with its secret, for the dispatcher alone (no backlog counted)."""
    with store.read() as repo:
        return [WebhookTarget(_webhook(row._mapping), row.secret) for row in repo.webhooks()]


def events_to_deliver(
    store: Store, webhook: Webhook, after: int, limit: int = 100
) -> tuple[int, list[Event]]:
    """The log's head and up to ``limit`` of the endpoint's events after ``after``.

    When fewer than ``limit`` come back, none after them up to the head is
    for this endpoint, so its delivery may count as far as the head.
    """
    with store.read() as repo:
        head = repo.last_seq()
        if head <= after:
            return head, []
        return head, repo.events_between(after, head, webhook.types, limit)


def webhook_changes_after(store: Store, seq: int) -> tuple[int, bool]:
    """The log's head, and whether an endpoint was added or removed after ``seq``."""
    with store.read() as repo:
        head = repo.last_seq()
        return head, head > seq and repo.count_events_after(seq, _CHANGES) > 0


def record_delivered(store: Store, clock: Clock, webhook_id: int, seq: int) -> None:
    """Every matching event up to ``seq`` reached the endpoint: move its delivery on.

    Never moves it back; nothing happens when the endpoint was removed meanwhile.
    """
    with store.write() as repo:
        row = repo.webhook(webhook_id)
        if row is None:
            return
        repo.update_webhook(
            webhook_id,
            delivered_seq=max(int(row.delivered_seq), seq),
            failures=0,
            last_ok=clock.now(),
        )


def record_failure(store: Store, clock: Clock, webhook_id: int, error: str) -> None:
    """A delivery to the endpoint failed: count it and keep the reason (one short line)."""
    line = " ".join(error.split())[:ERROR_LENGTH] or "failed"
    with store.write() as repo:
        row = repo.webhook(webhook_id)
        if row is None:
            return
        repo.update_webhook(
            webhook_id,
            failures=int(row.failures) + 1,
            last_error=line,
            last_error_at=clock.now(),
        )


def _change(kind: EventType, at: datetime, webhook_id: int, url: str) -> Event:
    return Event.new(kind, at, data={"webhook": webhook_id, "origin": origin(url)})


def _with_backlog(repo: Repository, webhook: Webhook) -> Webhook:
    return replace(webhook, backlog=repo.count_events_after(webhook.delivered_seq, webhook.types))


def _webhook(row: Any) -> Webhook:
    return Webhook(
        id=int(row["id"]),
        url=row["url"],
        events=tuple(json.loads(row["events"])),
        created_at=row["created_at"],
        delivered_seq=int(row["delivered_seq"]),
        failures=int(row["failures"]),
        last_ok=row["last_ok"],
        last_error=row["last_error"],
        last_error_at=row["last_error_at"],
    )


__all__ = [
    "ALL_EVENTS",
    "MIN_SECRET_LENGTH",
    "Webhook",
    "WebhookTarget",
    "add_webhook",
    "check_url",
    "event_types",
    "events_to_deliver",
    "origin",
    "parse_events",
    "record_delivered",
    "record_failure",
    "remove_webhook",
    "webhook_changes_after",
    "webhook_list",
    "webhooks_for_delivery",
    "webhooks_in",
]
