"""Phones following their tickets, and the texts visitors asked for, refreshed as events come.

Every phone page follows one ticket over its own stream. Recomputing each
page's view per event would cost a read per phone; instead one task reads
every followed ticket (and every ticket with a mobile number kept) in one
go whenever events arrive, at most every ``interval`` seconds, and hands each
stream its new view when it changed. The same read decides the texts: "a few
people ahead" once, and "go to counter N" at each call and recall; texts go
through the SMS outbox, which never holds up the refresh, let alone a call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool

from centre import supervision
from centre.clock import Clock
from centre.config import CentreConfig
from centre.domain import Event, TicketState
from centre.phones import Moment, PhoneView
from centre.store.unit_of_work import Store
from server.sms import SmsOutbox, render

log = logging.getLogger("taboor.server.phones")

#: Seconds between two refreshes at most (a call reaches the page well within a second).
REFRESH_SECONDS = 0.25
FINAL = frozenset({TicketState.SERVED, TicketState.NO_SHOW, TicketState.CANCELLED})


@dataclass(eq=False)
class Follower:
    """One phone page's stream: the latest view waiting to be sent."""

    ticket_id: str
    latest: dict[str, Any] | None = None
    ended: bool = False
    _ready: asyncio.Event = field(default_factory=asyncio.Event)

    def offer(self, body: dict[str, Any]) -> None:
        """Replace the view waiting to be sent (on the loop)."""
        self.latest = body
        self._ready.set()

    def end(self) -> None:
        """End the stream (the server is stopping): ``next_view`` answers None at once."""
        self.ended = True
        self._ready.set()

    async def next_view(self, timeout: float) -> dict[str, Any] | None:
        """The view offered since the last call, or None after ``timeout`` without one
        (or at once once ended)."""
        if self.latest is None and not self.ended:
            self._ready.clear()
            try:
                async with asyncio.timeout(timeout):
                    await self._ready.wait()
            except TimeoutError:
                return None
        body, self.latest = self.latest, None
        return body


Render = Callable[[PhoneView], dict[str, Any]]

#: Called with the refreshed views of the tickets that have a mobile number kept (a thread).
TextsHook = Callable[[list[PhoneView]], None]


class PhoneWatch:
    """The followed tickets and their streams; refreshed by one task as events arrive."""

    def __init__(
        self,
        views: Callable[[list[str]], dict[str, PhoneView]],
        moments: Callable[[list[str]], dict[str, Moment]],
        contacts: Callable[[], list[str]],
        render: Render,
        *,
        texts: TextsHook | None = None,
        interval: float = REFRESH_SECONDS,
    ) -> None:
        self._views = views
        self._moments = moments
        self._contacts = contacts
        self._render = render
        self.texts = texts
        self._interval = interval
        self._followers: dict[str, set[Follower]] = {}
        self._sent: dict[str, dict[str, Any]] = {}
        self._known: dict[str, Moment] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.texting = True  # whether some ticket may have a number kept (read at start)

    # -- the loop's side ----------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Run the refreshing task on ``loop``."""
        self._loop = loop
        self._task = loop.create_task(self._run())
        self._wake.set()  # once at start: texts kept before a restart are looked at

    async def stop(self) -> None:
        """End the refreshing task."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def follow(self, ticket_id: str) -> Follower:
        """A stream for ``ticket_id`` (on the loop)."""
        follower = Follower(ticket_id)
        self._followers.setdefault(ticket_id, set()).add(follower)
        return follower

    def unfollow(self, follower: Follower) -> None:
        """The stream ended (on the loop)."""
        followers = self._followers.get(follower.ticket_id)
        if followers is not None:
            followers.discard(follower)
            if not followers:
                del self._followers[follower.ticket_id]
                self._sent.pop(follower.ticket_id, None)
                self._known.pop(follower.ticket_id, None)

    def numbers_changed(self) -> None:
        """A number was kept for a ticket: look at texts at the next refresh (any thread)."""
        self.texting = True
        self.heard([])

    def end_streams(self) -> None:
        """End every phone's stream (the server is stopping; on the loop)."""
        for followers in self._followers.values():
            for follower in followers:
                follower.end()

    @property
    def following(self) -> int:
        """How many streams follow tickets now."""
        return sum(len(f) for f in self._followers.values())

    # -- any thread -----------------------------------------------------------

    def heard(self, _events: list[Event]) -> None:
        """Events arrived: refresh soon (from the hub's thread or a request's)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop is closing
            loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self._followers or self.texting:
                try:
                    await self._refresh()
                except Exception as error:  # the next events try again
                    log.warning("refreshing phone pages failed: %s", type(error).__name__)
            await asyncio.sleep(self._interval)

    async def _refresh(self) -> None:
        followed = list(self._followers)
        texting = self.texting
        # First the tickets whose state moved (a call, a recall, an end): a cheap read, so
        # the called visitor's page hears at once; then everyone's place and estimate.
        moments = await run_in_threadpool(self._moments, followed) if followed else {}
        moved = [t for t, moment in moments.items() if self._known.get(t) != moment]
        if moved:
            first = await run_in_threadpool(self._views, moved)
            self._offer(first)

        def read() -> tuple[dict[str, PhoneView], list[str]]:
            numbered = self._contacts() if texting else []
            waiting = [t for t, m in moments.items() if m[0] is TicketState.WAITING]
            ids = sorted((set(waiting) - set(moved)) | set(numbered))
            return (self._views(ids) if ids else {}), numbered

        views, numbered = await run_in_threadpool(read)
        self._offer(views)
        for ticket_id in moved:
            self._known[ticket_id] = moments[ticket_id]
        if texting and not numbered:
            self.texting = False
        if numbered and self.texts is not None:
            texted = [views[t] for t in numbered if t in views]
            await run_in_threadpool(self.texts, texted)

    def _offer(self, views: dict[str, PhoneView]) -> None:
        for ticket_id, view in views.items():
            followers = self._followers.get(ticket_id)
            if not followers:
                continue
            body = self._render(view)
            comparable = {k: v for k, v in body.items() if k != "at"}
            if self._sent.get(ticket_id) == comparable:
                continue
            self._sent[ticket_id] = comparable
            for follower in followers:
                follower.offer(body)


#: The name the SMS gateway's state is filed under on the supervisor's screen.
GATEWAY_DEVICE = "sms-gateway"


class Texter:
    """Decides the texts of the tickets with a mobile number kept, and queues them.

    "A few people ahead" is sent once, when the ticket first waits with at most
    its service's alert count ahead; "go to counter N" at the call and again at
    each recall. Each text is noted as sent in the store, so a restart does not
    send it twice; the number itself goes with the ticket's end.
    """

    def __init__(self, store: Store, config: CentreConfig, outbox: SmsOutbox) -> None:
        self._store = store
        self._config = config
        self._outbox = outbox

    def __call__(self, views: list[PhoneView]) -> None:
        """Queue the texts these refreshed views call for (on a worker thread)."""
        by_ticket = {view.ticket.id: view for view in views}
        with self._store.read() as repo:
            kept = [row for row in repo.contacts() if row.ticket_id in by_ticket]
        for row in kept:
            view = by_ticket[row.ticket_id]
            ticket = view.ticket
            service = self._config.service(ticket.service).name.get(row.lang)
            if ticket.state is TicketState.WAITING:
                if not row.near_sent and view.ahead <= view.alert_ahead:
                    text = render(
                        self._config.sms,
                        "near",
                        row.lang,
                        number=ticket.number,
                        service=service,
                        counter=None,
                        ahead=view.ahead,
                    )
                    self._outbox.send(f"{ticket.id}/near", row.phone, text)
                    self._mark(ticket.id, near_sent=True)
            elif ticket.state is TicketState.CALLED and row.called_sent <= ticket.recalls:
                self._outbox.cancel(f"{ticket.id}/near")
                text = render(
                    self._config.sms,
                    "called",
                    row.lang,
                    number=ticket.number,
                    service=service,
                    counter=self._counter_name(ticket.counter, row.lang),
                    ahead=0,
                )
                self._outbox.send(f"{ticket.id}/called/{ticket.recalls}", row.phone, text)
                self._mark(ticket.id, near_sent=True, called_sent=ticket.recalls + 1)

    def _counter_name(self, counter: str | None, lang: str) -> str | None:
        if counter is None:
            return None
        try:
            names = self._config.counter(counter).name
        except KeyError:
            return counter
        return names.get(lang) if names is not None else counter

    def _mark(self, ticket_id: str, **values: Any) -> None:
        with self._store.write() as repo:
            repo.mark_contact(ticket_id, **values)


def gateway_reporter(store: Store, clock: Clock) -> Callable[[str, str], None]:
    """What the SMS outbox calls when the gateway starts failing or works again: the
    supervisor's health tab shows it as the device ``sms-gateway``."""

    def report(state: str, detail: str) -> None:
        try:
            supervision.report_device(
                store, clock, GATEWAY_DEVICE, "sms", "ok" if state == "ok" else "error", detail
            )
        except Exception as error:  # the next change of state tries again
            log.warning("could not record the SMS gateway's state: %s", type(error).__name__)

    return report


__all__ = [
    "FINAL",
    "GATEWAY_DEVICE",
    "REFRESH_SECONDS",
    "Follower",
    "PhoneWatch",
    "Texter",
    "gateway_reporter",
]
