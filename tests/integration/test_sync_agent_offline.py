"""Checking in while the central is unreachable: a ticket the counter verifies, on both stores."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from centre import syncing
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import AppointmentStatus, EventType, Source
from centre.errors import (
    AlreadyCheckedIn,
    InvalidCpr,
    NoAppointment,
    ServicePaused,
    UnknownService,
)
from centre.offline import check_in_unverified, needs_verification, unverified_tickets
from centre.rules.link import AUTH_FAILED, OFFLINE, ONLINE
from centre.store import schema
from centre.store.unit_of_work import Store
from tests.helpers import MORNING, make_appointment

CPR = "990055501"  # invented: month 00 never occurs in a real CPR


def set_link(store: Store, clock: FixedClock, link: str) -> None:
    syncing.record_link(store, clock, link, None if link == ONLINE else "test")


def test_online_the_refusal_stands(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    set_link(store, clock, ONLINE)
    with pytest.raises(NoAppointment):
        check_in_unverified(store, clock, config, CPR, "licence-renewal")


@pytest.mark.parametrize("link", [OFFLINE, AUTH_FAILED, "off"])
def test_offline_a_cpr_without_a_booking_gets_a_ticket_to_verify(
    store: Store, clock: FixedClock, config: CentreConfig, link: str
) -> None:
    if link != "off":  # "off": no agent ever ran
        set_link(store, clock, link)
    view = check_in_unverified(store, clock, config, "٩٩٠٠٥٥٥٠١", "A", "en")
    ticket = view.ticket
    assert (ticket.source, ticket.appointment_id, ticket.service) == (
        Source.APPOINTMENT,
        None,
        "licence-renewal",
    )
    assert ticket.number == "A001"
    assert view.ahead == 0
    assert needs_verification(store, ticket.id)
    assert unverified_tickets(store, clock, config) == [ticket.id]
    [event] = uc.events_since(store)
    assert event.type is EventType.CHECKED_IN
    assert event.data == {"priority": "normal", "source": "appointment", "verify": True}
    everything = json.dumps([e.data for e in uc.events_since(store)])
    assert CPR not in everything
    assert CPR[-4:] not in everything
    # One such ticket per CPR a day; another CPR gets its own.
    with pytest.raises(AlreadyCheckedIn, match="A001"):
        check_in_unverified(store, clock, config, CPR, "licence-renewal")
    other = check_in_unverified(store, clock, config, "990055502", "traffic-fines")
    assert other.ticket.number == "E001"
    assert not needs_verification(store, uc.issue_ticket(store, clock, config, "A").ticket.id)


def test_a_link_left_online_by_a_dead_agent_counts_as_down(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    set_link(store, clock, ONLINE)
    clock.advance(timedelta(minutes=10))
    assert uc.queue_status(store, clock, config).sync.link == OFFLINE
    assert check_in_unverified(store, clock, config, CPR, "licence-renewal").ticket.number


def test_a_booking_here_today_is_checked_in_as_booked_not_unverified(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    set_link(store, clock, OFFLINE)
    cancelled = make_appointment(
        store,
        cpr=CPR,
        service="licence-renewal",
        slot=MORNING,
        status=AppointmentStatus.CANCELLED,
    )
    uc.store_appointments(store, [cancelled])
    with pytest.raises(NoAppointment, match="booking here today"):
        check_in_unverified(store, clock, config, CPR, "licence-renewal")


def test_bad_input_and_a_paused_service_are_refused(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    set_link(store, clock, OFFLINE)
    with pytest.raises(InvalidCpr):
        check_in_unverified(store, clock, config, "12345", "licence-renewal")
    with pytest.raises(UnknownService):
        check_in_unverified(store, clock, config, CPR, "passports")
    uc.pause_service(store, clock, config, "licence-renewal", "system down")
    with pytest.raises(ServicePaused):
        check_in_unverified(store, clock, config, CPR, "licence-renewal")
    assert uc.events_since(store)[-1].type is EventType.SERVICE_PAUSED


def test_the_cpr_digest_is_erased_when_the_day_rolls(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    set_link(store, clock, OFFLINE)
    view = check_in_unverified(store, clock, config, CPR, "licence-renewal")
    table = schema.unverified_checkins
    with store.read() as repo:
        assert repo.connection.execute(table.select()).one().cpr_digest is not None
    clock.advance(timedelta(days=1))
    uc.roll_day(store, clock, config)
    with store.read() as repo:
        row = repo.connection.execute(table.select()).one()
    assert (row.ticket_id, row.cpr_digest) == (view.ticket.id, None)
    # A new day: the same CPR may be given a ticket again.
    assert check_in_unverified(store, clock, config, CPR, "licence-renewal").ticket.number == "A001"
