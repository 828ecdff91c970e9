"""Checking in while the central is unreachable: a ticket the counter verifies, not a refusal."""

from __future__ import annotations

import uuid
from dataclasses import replace

from centre.clock import Clock
from centre.config import CentreConfig
from centre.domain import Priority, Source, Ticket
from centre.errors import AlreadyCheckedIn, BadInput, NoAppointment, ServicePaused
from centre.rules.cpr import cpr_digest, parse_cpr
from centre.rules.link import ONLINE, effective_link
from centre.store.unit_of_work import Store
from centre.usecases import TicketView, business_day, format_number, resolve_service, view_of


def check_in_unverified(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    typed_cpr: str,
    service: str,
    lang: str = "ar",
) -> TicketView:
    """A ticket for ``service`` to a CPR whose booking the centre has not pulled, while offline.

    Only when the central link is not online (otherwise the booking would be
    here, and :class:`NoAppointment` stands) and the CPR has no booking here
    today. The ticket is an appointment ticket with no appointment; its
    ``checked_in`` event says ``"verify": true`` and the counter is told to
    verify the booking (:func:`needs_verification`). The CPR is kept only as
    a keyed digest, erased when the day is rolled; one such ticket per CPR a day.
    """
    digest = cpr_digest(parse_cpr(typed_cpr), store.cpr_key())
    chosen = resolve_service(config, service)
    if lang not in ("ar", "en"):
        raise BadInput(f"language must be ar or en, not {lang!r}")
    now = clock.now()
    day = business_day(config, now)
    with store.write() as repo:
        state = repo.sync_state()
        link = effective_link(state.link, state.last_ok, now, config.central.pull_seconds)
        if link == ONLINE:
            raise NoAppointment("no appointment today for this CPR at this centre")
        if any(a.business_day == day for a in repo.appointments_by_cpr(digest)):
            raise NoAppointment("this CPR has a booking here today: check it in as booked")
        given = repo.unverified_ticket_for_cpr(digest, day)
        if given is not None:
            earlier = repo.ticket(given)
            number = earlier.number if earlier is not None else None
            raise AlreadyCheckedIn(
                f"this CPR already has ticket {number} to verify today", number=number
            )
        paused = repo.paused_services()
        if chosen.code in paused:
            raise ServicePaused(
                f"{chosen.name.en} is paused for now",
                service=chosen.code,
                reason=paused[chosen.code],
            )
        ticket = Ticket(
            id=str(uuid.uuid4()),
            business_day=day,
            number=format_number(chosen.prefix, repo.next_number(day, chosen.prefix)),
            service=chosen.code,
            source=Source.APPOINTMENT,
            priority=Priority.NORMAL,
            issued_at=now,
            arrived_at=now,
            lang=lang,
        )
        ticket.record_issued()
        checked_in = ticket.events[0]
        [stored] = repo.append([replace(checked_in, data={**checked_in.data, "verify": True})])
        ticket.events.clear()
        assert stored.seq is not None
        ticket.arrival_seq = stored.seq
        repo.add_ticket(ticket)
        repo.add_unverified_checkin(ticket.id, day, chosen.code, digest, now)
    return view_of(store, clock, config, ticket)


def needs_verification(store: Store, ticket_id: str) -> bool:
    """Whether the counter must verify this ticket's booking (given offline, unverified)."""
    with store.read() as repo:
        return repo.unverified_checkin(ticket_id) is not None


def unverified_tickets(store: Store, clock: Clock, config: CentreConfig) -> list[str]:
    """Ids of today's tickets the counter must verify, in order of issue."""
    with store.read() as repo:
        return repo.unverified_tickets_of_day(business_day(config, clock.now()))


__all__ = ["check_in_unverified", "needs_verification", "unverified_tickets"]
