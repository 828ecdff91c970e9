"""The visitor's phone: a ticket followed live, more time, leaving, texts, paperless tickets.

What a phone may see and do, as use cases on the store (the server's public
routes call these; no CPR or name is ever part of them):

- ``phone_views``: followed tickets as a phone shows them, many in one read;
- ``ask_more_time``: move a waiting ticket back behind the next few people,
  at most ``[public] more_time_max`` times (a ``more_time`` event the calling
  order honours, since it changes the ticket's place);
- ``leave_queue``: cancel a waiting ticket (``cancelled`` with ``reason:
  left``: not a no-show);
- ``keep_number`` / ``forget_number``: a mobile number for texts, kept only
  until the ticket ends;
- ``open_services`` and ``take_paperless``: the services a phone may take a
  ticket of now, and the ticket (one open ticket per phone per service).

The centre's secret (``public_secret``) keys ticket links, hall codes and
phone keys; it lives in the centre's database, which only the server opens.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from centre import usecases as uc
from centre.clock import Clock
from centre.config import CentreConfig, Names
from centre.domain import Ticket, TicketState
from centre.errors import (
    BadInput,
    BadPhone,
    IllegalTransition,
    MoreTimeUsedUp,
    NobodyBehind,
    ServiceClosed,
    TextsOff,
    UnknownTicket,
)
from centre.rules.hours import opens_next
from centre.rules.phone import normalise_phone
from centre.rules.public import PHONE_ID, join_code, join_window, phone_key
from centre.store.unit_of_work import Store

#: The meta key of the centre's secret for phone links.
MAC_KEY_ROW = "public_secret"
#: Up to this many waiting tickets are placed one by one; more, from one read of the queue.
FEW = 8
OPEN_STATES = frozenset({TicketState.WAITING, TicketState.CALLED, TicketState.SERVING})


@dataclass(frozen=True)
class PhoneView:
    """A ticket as its phone page shows it."""

    ticket: Ticket
    ahead: int
    eta_minutes: int | None
    rating: int | None
    sms: bool
    alert_ahead: int
    more_time_left: int
    at: datetime


@dataclass(frozen=True)
class PublicService:
    """A service as the paperless-ticket page lists it; ``reason`` when it gives no tickets."""

    code: str
    name: Names
    open: bool
    reason: str | None
    note: str
    waiting: int
    eta_minutes: int | None


@dataclass(frozen=True)
class JoinLink:
    """The hall's paperless-ticket address now, and when the next one replaces it."""

    url: str
    expires_at: datetime


def join_link(config: CentreConfig, secret: bytes, now: datetime) -> JoinLink | None:
    """The address the hall shows as its "ticket on your phone" QR (None without [public] url)."""
    public = config.public
    if public.url is None:
        return None
    seconds = public.join_seconds
    window = join_window(now, seconds)
    ends = datetime.fromtimestamp((window + 1) * seconds, UTC)
    return JoinLink(f"{public.address()}/j/{join_code(secret, window)}", ends)


def public_secret(store: Store) -> bytes:
    """The centre's secret for phone links (made on first use, kept in the database)."""
    with store.read() as repo:
        kept = repo.meta(MAC_KEY_ROW)
    if kept is None:
        with store.write() as repo:
            kept = repo.meta(MAC_KEY_ROW)
            if kept is None:
                kept = base64.b64encode(secrets.token_bytes(32)).decode()
                repo.set_meta(MAC_KEY_ROW, kept)
    return base64.b64decode(kept)


def phone_views(
    store: Store, clock: Clock, config: CentreConfig, ids: Collection[str]
) -> dict[str, PhoneView]:
    """These tickets as their phones show them (unknown ids are left out)."""
    now = clock.now()
    with store.read() as repo:
        tickets = repo.tickets_by_id(ids)
        ratings = repo.ratings_of(tickets)
        texted = repo.contact_ids(tickets)
    waiting = [t for t in tickets.values() if t.state is TicketState.WAITING]
    views: dict[str, uc.TicketView] = {}
    if len(waiting) <= FEW:
        # A page opening: count the people ahead of each, instead of reading the whole queue.
        for ticket in waiting:
            views[ticket.id] = uc.view_of(store, clock, config, ticket)
    else:
        views = uc.waiting_views(store, clock, config, {t.id for t in waiting})
    most = config.public.more_time_max
    shown: dict[str, PhoneView] = {}
    for ticket_id, stored in tickets.items():
        view = views.get(ticket_id)
        # As read with the queue (a moment later), when it still waits.
        ticket = view.ticket if view is not None else stored
        shown[ticket_id] = PhoneView(
            ticket=ticket,
            ahead=view.ahead if view is not None else 0,
            eta_minutes=view.eta_minutes if view is not None else None,
            rating=ratings.get(ticket_id),
            sms=ticket_id in texted,
            alert_ahead=config.alert_ahead(ticket.service),
            more_time_left=max(most - ticket.deferrals, 0),
            at=now,
        )
    return shown


#: What moves a ticket's page at once: its state, counter and recalls.
Moment = tuple[TicketState, str | None, int]


def moments(store: Store, ids: Collection[str]) -> dict[str, Moment]:
    """Each ticket's state, counter and recalls (one cheap read; no queue, no estimate)."""
    with store.read() as repo:
        found = repo.tickets_by_id(ids)
    return {t.id: (t.state, t.counter, t.recalls) for t in found.values()}


def phone_view(store: Store, clock: Clock, config: CentreConfig, ticket_id: str) -> PhoneView:
    """One ticket as its phone shows it."""
    view = phone_views(store, clock, config, [ticket_id]).get(ticket_id)
    if view is None:
        raise UnknownTicket("no such ticket", ticket=ticket_id)
    return view


def ask_more_time(store: Store, clock: Clock, config: CentreConfig, ticket_id: str) -> PhoneView:
    """Move a waiting ticket back behind the next ``[public] more_time_places`` people."""
    now = clock.now()
    with store.write() as repo:
        ticket = _ticket(repo.ticket(ticket_id), ticket_id)
        ticket.require_waiting("moved back", "only a waiting ticket can move back")
        if ticket.deferrals >= config.public.more_time_max:
            raise MoreTimeUsedUp(
                f"ticket {ticket.number} already asked for more time "
                f"{config.public.more_time_max} times",
                number=ticket.number,
            )
        behind = repo.places_behind(ticket, config.public.more_time_places)
        if not behind:
            raise NobodyBehind(f"nobody waits behind ticket {ticket.number}", number=ticket.number)
        ticket.take_more_time(now, behind[-1][0], len(behind), repo.last_seq() + 1)
        repo.save_ticket(ticket)
    return phone_view(store, clock, config, ticket_id)


def leave_queue(store: Store, clock: Clock, config: CentreConfig, ticket_id: str) -> PhoneView:
    """The visitor leaves the queue: the waiting ticket is cancelled (not a no-show)."""
    now = clock.now()
    with store.write() as repo:
        ticket = _ticket(repo.ticket(ticket_id), ticket_id)
        ticket.leave(now)
        repo.save_ticket(ticket)
    return phone_view(store, clock, config, ticket_id)


def keep_number(
    store: Store, clock: Clock, config: CentreConfig, ticket_id: str, phone: str, lang: str
) -> None:
    """Keep a mobile number to text about an open ticket, until the ticket ends."""
    if not config.sms.enabled:
        raise TextsOff("this centre sends no texts")
    try:
        number = normalise_phone(phone)
    except ValueError as error:
        raise BadPhone(str(error)) from None
    if lang not in ("ar", "en"):
        lang = "en"
    with store.write() as repo:
        ticket = _ticket(repo.ticket(ticket_id), ticket_id)
        if ticket.state not in OPEN_STATES:
            raise IllegalTransition(
                f"ticket {ticket.number} is {ticket.state.value}: it has ended",
                number=ticket.number,
                state=ticket.state.value,
                action="texted",
            )
        repo.set_contact(ticket.id, number, lang, clock.now())


def numbered_tickets(store: Store) -> list[str]:
    """The tickets with a mobile number kept (open ones: the number goes when one ends)."""
    with store.read() as repo:
        return [row.ticket_id for row in repo.contacts()]


def forget_number(store: Store, ticket_id: str) -> None:
    """Forget the mobile number kept for a ticket."""
    with store.write() as repo:
        repo.clear_contact(ticket_id)


def open_services(store: Store, clock: Clock, config: CentreConfig) -> list[PublicService]:
    """Every service with whether a phone may take a ticket of it now, and why not."""
    now = clock.now()
    status = uc.queue_status(store, clock, config)
    closed = opens_next(config, now) is not None
    day = uc.business_day(config, now)
    with store.read() as repo:
        issued = {s.code: repo.count_walk_in(day, s.code) for s in config.services}
    shown = []
    for line in status.services:
        service = line.service
        reason: str | None = None
        if closed or not service.walk_in:
            reason = "closed"
        elif line.paused:
            reason = "paused"
        elif service.daily_quota is not None and issued[service.code] > service.daily_quota:
            reason = "full"
        shown.append(
            PublicService(
                code=service.code,
                name=service.name,
                open=reason is None,
                reason=reason,
                note=line.pause_reason if reason == "paused" else "",
                waiting=line.waiting,
                eta_minutes=line.eta_minutes,
            )
        )
    return shown


def take_paperless(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    secret: bytes,
    service_name: str,
    lang: str,
    phone_id: str,
) -> uc.TicketView:
    """A walk-in ticket taken on a phone (one open ticket per phone per service)."""
    if not PHONE_ID.match(phone_id):
        raise BadInput("a phone id is 16 to 64 letters, digits, - or _")
    service = uc.resolve_service(config, service_name)
    if opens_next(config, clock.now()) is not None:
        raise ServiceClosed("the centre is closed now", service=service.code)
    if not service.walk_in:
        raise ServiceClosed(f"{service.name.en} is by appointment only", service=service.code)
    return uc.issue_ticket(
        store,
        clock,
        config,
        service.code,
        lang=lang if lang in ("ar", "en") else "en",
        phone_key=phone_key(secret, phone_id),
    )


def _ticket(ticket: Ticket | None, ticket_id: str) -> Ticket:
    if ticket is None:
        raise UnknownTicket("no such ticket", ticket=ticket_id)
    return ticket


__all__ = [
    "JoinLink",
    "Moment",
    "PhoneView",
    "PublicService",
    "ask_more_time",
    "forget_number",
    "join_link",
    "keep_number",
    "leave_queue",
    "moments",
    "numbered_tickets",
    "open_services",
    "phone_view",
    "phone_views",
    "public_secret",
    "take_paperless",
]
