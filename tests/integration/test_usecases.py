"""The use cases on a real store, each test on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import AppointmentStatus, EventType, TicketState
from centre.errors import (
    AlreadyCheckedIn,
    AppointmentCancelled,
    BadInput,
    CounterBusy,
    IllegalTransition,
    InvalidCpr,
    NoAppointment,
    NoCurrentTicket,
    OutsideWindow,
    QuotaReached,
    Refused,
    ServicePaused,
    SeveralAppointments,
    TicketMoved,
    UnknownCounter,
    UnknownService,
    WrongDay,
)
from centre.store.unit_of_work import Store
from tests.helpers import MORNING, make_appointment

CPR = "880312345"


def test_issue_numbers_per_prefix_and_estimates(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    first = uc.issue_ticket(store, clock, config, "licence-renewal")
    second = uc.issue_ticket(store, clock, config, "A", lang="en")
    other = uc.issue_ticket(store, clock, config, "c")
    assert [first.ticket.number, second.ticket.number, other.ticket.number] == [
        "A001",
        "A002",
        "C001",
    ]
    assert (first.ahead, second.ahead) == (0, 1)
    assert second.eta_minutes is not None
    assert second.eta_minutes >= 1
    assert second.ticket.lang == "en"
    log = uc.events_since(store)
    assert [e.seq for e in log] == [1, 2, 3]
    assert {e.type for e in log} == {EventType.TICKET_ISSUED}
    assert [e.ticket_id for e in log] == [first.ticket.id, second.ticket.id, other.ticket.id]


def test_numbering_starts_again_each_business_day(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    uc.issue_ticket(store, clock, config, "A")
    clock.advance(timedelta(days=1))
    assert uc.issue_ticket(store, clock, config, "A").ticket.number == "A001"


def test_bad_input(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    with pytest.raises(UnknownService):
        uc.issue_ticket(store, clock, config, "passport")
    with pytest.raises(BadInput, match="priority"):
        uc.issue_ticket(store, clock, config, "A", priority="vip")
    with pytest.raises(UnknownCounter):
        uc.call_next(store, clock, config, "99")
    with pytest.raises(InvalidCpr):
        uc.check_in_by_cpr(store, clock, config, "12345")
    assert uc.events_since(store) == []


def test_appointment_only_service_refuses_walk_ins(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    with pytest.raises(Refused, match="appointment only"):
        uc.issue_ticket(store, clock, config, "driving-test")


def test_quota(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    small = config.model_copy(
        update={
            "services": [
                s.model_copy(update={"daily_quota": 2}) if s.code == "licence-lost" else s
                for s in config.services
            ]
        }
    )
    uc.issue_ticket(store, clock, small, "B")
    uc.issue_ticket(store, clock, small, "B")
    with pytest.raises(QuotaReached):
        uc.issue_ticket(store, clock, small, "B")
    assert len(uc.tickets_of_day(store, clock, small)) == 2


def test_pause_and_resume(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    waiting = uc.issue_ticket(store, clock, config, "A")
    uc.pause_service(store, clock, config, "A", "system down")
    with pytest.raises(ServicePaused):
        uc.issue_ticket(store, clock, config, "A")
    status = uc.queue_status(store, clock, config)
    assert next(s for s in status.services if s.service.code == "licence-renewal").paused
    # those already waiting are still called
    called = uc.call_next(store, clock, config, "1")
    assert called is not None
    assert called.ticket.id == waiting.ticket.id
    uc.resume_service(store, clock, config, "A")
    assert uc.issue_ticket(store, clock, config, "A").ticket.number == "A002"
    types = [e.type for e in uc.events_since(store)]
    assert EventType.SERVICE_PAUSED in types
    assert EventType.SERVICE_RESUMED in types


def test_counter_day(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    assert uc.call_next(store, clock, config, "4") is None
    ticket = uc.issue_ticket(store, clock, config, "C").ticket
    called = uc.call_next(store, clock, config, "4")
    assert called is not None
    assert called.ticket.id == ticket.id
    assert called.ticket.state is TicketState.CALLED
    with pytest.raises(CounterBusy):
        uc.call_next(store, clock, config, "4")
    uc.recall(store, clock, config, "4")
    clock.advance(timedelta(minutes=1))
    uc.start_serving(store, clock, config, "4")
    clock.advance(timedelta(minutes=5))
    done = uc.finish(store, clock, config, "4")
    assert done.ticket.state is TicketState.SERVED
    with pytest.raises(NoCurrentTicket):
        uc.finish(store, clock, config, "4")
    status = uc.queue_status(store, clock, config)
    assert {c.counter.id: c.state.value for c in status.counters}["4"] == "open"
    uc.close_counter(store, clock, config, "4")
    status = uc.queue_status(store, clock, config)
    assert {c.counter.id: c.state.value for c in status.counters}["4"] == "closed"


def test_no_show_and_illegal_moves(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    uc.issue_ticket(store, clock, config, "E")
    uc.call_next(store, clock, config, "7")
    with pytest.raises(IllegalTransition):
        uc.finish(store, clock, config, "7")  # not started
    assert uc.no_show(store, clock, config, "7").ticket.state is TicketState.NO_SHOW


def test_transfer_keeps_place_by_arrival(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    first = uc.issue_ticket(store, clock, config, "A").ticket
    clock.advance(timedelta(minutes=5))
    later = uc.issue_ticket(store, clock, config, "B").ticket
    uc.call_next(store, clock, config, "3")  # counter 3 serves A and E: takes the A ticket
    uc.start_serving(store, clock, config, "3")
    moved = uc.transfer(store, clock, config, "3", "licence-lost")
    assert moved.ticket.state is TicketState.WAITING
    assert moved.ticket.number == first.number
    assert moved.ahead == 0  # it arrived before B001
    called = uc.call_next(store, clock, config, "2")
    assert called is not None
    assert called.ticket.id == first.id
    assert later.state is TicketState.WAITING


def test_transfer_to_paused_service_is_refused(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    uc.issue_ticket(store, clock, config, "A")
    uc.call_next(store, clock, config, "1")
    uc.pause_service(store, clock, config, "B")
    with pytest.raises(ServicePaused):
        uc.transfer(store, clock, config, "1", "B")
    assert uc.recall(store, clock, config, "1").ticket.state is TicketState.CALLED


def test_cancel_waiting_ticket(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    ticket = uc.issue_ticket(store, clock, config, "A").ticket
    assert uc.cancel_ticket(store, clock, config, "A001").ticket.state is TicketState.CANCELLED
    with pytest.raises(IllegalTransition):
        uc.cancel_ticket(store, clock, config, ticket.id)
    assert uc.call_next(store, clock, config, "1") is None


# -- check-in ------------------------------------------------------------------


def book(store: Store, minutes_from_now: int, service: str = "licence-renewal", **kw: object):  # type: ignore[no-untyped-def]
    appointment = make_appointment(
        store, cpr=CPR, service=service, slot=MORNING + timedelta(minutes=minutes_from_now), **kw
    )
    uc.store_appointments(store, [appointment])
    return appointment


def test_check_in_by_cpr(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    appointment = book(store, 10)
    view = uc.check_in_by_cpr(store, clock, config, "٨٨٠-٣١٢-٣٤٥", lang="en")
    assert view.ticket.appointment_id == appointment.id
    assert view.ticket.source.value == "appointment"
    assert view.ticket.number == "A001"
    [event] = uc.events_since(store)
    assert event.type is EventType.CHECKED_IN
    assert CPR not in repr(event)
    with pytest.raises(AlreadyCheckedIn, match="A001"):
        uc.check_in_by_cpr(store, clock, config, CPR)


def test_check_in_window(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    book(store, 45)  # early window is 30 minutes
    with pytest.raises(OutsideWindow, match="opens at 09:15") as early:
        uc.check_in_by_cpr(store, clock, config, CPR)
    assert early.value.params["when"] == "early"
    clock.advance(timedelta(minutes=61))  # 16 minutes after the slot: late window is 15
    with pytest.raises(OutsideWindow, match="too late") as late:
        uc.check_in_by_cpr(store, clock, config, CPR)
    assert late.value.params["service"] == "licence-renewal"


def test_no_appointment_wrong_day_and_cancelled(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    with pytest.raises(NoAppointment):
        uc.check_in_by_cpr(store, clock, config, CPR)
    book(store, 60 * 48)
    with pytest.raises(WrongDay, match="2026-11-24"):
        uc.check_in_by_cpr(store, clock, config, CPR)
    book(store, 0, status=AppointmentStatus.CANCELLED)
    with pytest.raises(AppointmentCancelled):
        uc.check_in_by_cpr(store, clock, config, CPR)


def test_several_appointments_let_the_visitor_choose(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    first = book(store, 5)
    second = book(store, 10, service="vehicle-registration")
    with pytest.raises(SeveralAppointments) as caught:
        uc.check_in_by_cpr(store, clock, config, CPR)
    assert set(caught.value.params["choices"]) == {first.id, second.id}
    options = uc.appointments_for_cpr(store, clock, config, CPR)
    assert [o.verdict for o in options] == ["open", "open"]
    view = uc.check_in_by_cpr(store, clock, config, CPR, appointment_id=second.id)
    assert view.ticket.number == "C001"
    # now only the first is open, so no choice is needed
    assert uc.check_in_by_cpr(store, clock, config, CPR).ticket.appointment_id == first.id


def test_check_in_by_plain_qr(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    appointment = book(store, 0, reference="TRF-2026-0042")
    view = uc.check_in_by_qr(store, clock, config, "TRF-2026-0042")
    assert view.ticket.appointment_id == appointment.id
    with pytest.raises(NoAppointment):
        uc.check_in_by_qr(store, clock, config, "TRF-2026-9999")


def test_due_appointment_is_called_before_earlier_walk_ins(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    uc.issue_ticket(store, clock, config, "A")
    uc.issue_ticket(store, clock, config, "A")
    book(store, 10)
    booked = uc.check_in_by_cpr(store, clock, config, CPR).ticket
    first = uc.call_next(store, clock, config, "2")
    assert first is not None
    assert first.ticket.number == "A001"  # the slot is not due yet
    uc.no_show(store, clock, config, "2")
    clock.advance(timedelta(minutes=10))
    second = uc.call_next(store, clock, config, "2")
    assert second is not None
    assert second.ticket.id == booked.id


def test_status_snapshot(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    uc.issue_ticket(store, clock, config, "A")
    clock.advance(timedelta(minutes=7))
    uc.issue_ticket(store, clock, config, "A")
    uc.issue_ticket(store, clock, config, "E")
    uc.call_next(store, clock, config, "4")  # fines and vehicles only
    status = uc.queue_status(store, clock, config)
    by_service = {s.service.code: s for s in status.services}
    assert by_service["licence-renewal"].waiting == 2
    assert by_service["licence-renewal"].longest_wait_s == 420
    assert by_service["traffic-fines"].waiting == 0
    counters = {c.counter.id: c for c in status.counters}
    assert counters["4"].state.value == "calling"
    assert counters["4"].ticket is not None
    assert counters["4"].ticket.number == "E001"
    assert counters["1"].state.value == "closed"
    assert status.sync.link == "off"
    assert status.sync.pending == 5  # three tickets, a counter opened, a call


def test_roll_day_closes_yesterday_and_purges_old_personal_data(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    old = book(store, -60 * 24 * 10)
    uc.issue_ticket(store, clock, config, "A")
    uc.issue_ticket(store, clock, config, "A")
    uc.call_next(store, clock, config, "1")
    clock.advance(timedelta(days=1))
    assert uc.roll_day(store, clock, config) == 2
    assert uc.roll_day(store, clock, config) == 0
    yesterday = uc.tickets_of_day(store, clock, config, (MORNING).date())
    assert {v.ticket.state for v in yesterday} == {TicketState.CANCELLED, TicketState.NO_SHOW}
    with store.read() as repo:
        purged = repo.appointment(old.id)
    assert purged is not None
    assert (purged.cpr_digest, purged.name_en, purged.name_ar) == (None, None, None)
    assert uc.events_since(store)[-1].type is EventType.PERSONAL_DATA_PURGED


def test_counter_actions_refuse_a_ticket_another_terminal_moved_on(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    first = uc.issue_ticket(store, clock, config, "A").ticket
    second = uc.issue_ticket(store, clock, config, "A").ticket
    uc.call_next(store, clock, config, "1")
    # A clerk acts on the ticket they see: it is still the counter's.
    assert uc.recall(store, clock, config, "1", expected=first.id).ticket.recalls == 1
    uc.start_serving(store, clock, config, "1", expected=first.id)
    uc.finish(store, clock, config, "1", expected=first.id)
    uc.call_next(store, clock, config, "1")
    # Another terminal moved on to the second; the first is acted on no more.
    for act in (uc.recall, uc.start_serving, uc.finish, uc.no_show):
        with pytest.raises(TicketMoved, match="now has A002") as moved:
            act(store, clock, config, "1", expected=first.id)
        assert moved.value.params == {"counter": "1", "number": "A002", "acted_on": "A001"}
        assert moved.value.code == "ticket_moved"
    with pytest.raises(TicketMoved):
        uc.transfer(store, clock, config, "1", "B", expected=first.id)
    assert uc.find_ticket(store, clock, config, second.id).state is TicketState.CALLED
    # With the counter empty, acting on what the clerk saw is refused as moved too.
    uc.no_show(store, clock, config, "1", expected=second.id)
    with pytest.raises(TicketMoved, match="now has no ticket") as gone:
        uc.recall(store, clock, config, "1", expected=second.id)
    assert gone.value.params["number"] is None
    assert gone.value.params["acted_on"] == "A002"
    # Without an expectation the counter's current ticket is acted on, as before.
    with pytest.raises(NoCurrentTicket):
        uc.recall(store, clock, config, "1")


def test_counter_desk_and_last_seq(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    assert uc.last_seq(store) == 0
    desk = uc.counter_desk(store, clock, config, "1")
    assert (desk.counter.id, desk.is_open, desk.ticket, desk.appointment) == (
        "1",
        False,
        None,
        None,
    )
    booking = make_appointment(store, cpr=CPR, service="licence-renewal", slot=MORNING)
    uc.store_appointments(store, [booking])
    uc.check_in_by_cpr(store, clock, config, CPR)
    called = uc.call_next(store, clock, config, "1")
    assert called is not None
    desk = uc.counter_desk(store, clock, config, "1")
    assert desk.is_open
    assert desk.ticket is not None
    assert desk.ticket.id == called.ticket.id
    assert desk.appointment is not None
    assert desk.appointment.id == booking.id
    assert uc.last_seq(store) == uc.events_since(store)[-1].seq
    clock.advance(timedelta(days=1))  # opened yesterday: not open today
    assert not uc.counter_desk(store, clock, config, "1").is_open
    with pytest.raises(UnknownCounter):
        uc.counter_desk(store, clock, config, "99")


def test_hall_message(store: Store, clock: FixedClock) -> None:
    assert uc.hall_message(store) is None
    uc.set_hall_message(store, clock, " الرجاء\nالانتظار ", "Please  wait")
    assert uc.hall_message(store) == ("الرجاء الانتظار", "Please wait")
    with pytest.raises(BadInput, match="at most 160"):
        uc.set_hall_message(store, clock, "", "x" * 161)
    uc.set_hall_message(store, clock)
    assert uc.hall_message(store) is None
    kinds = [e.type for e in uc.events_since(store)]
    assert kinds == [EventType.HALL_MESSAGE_SET, EventType.HALL_MESSAGE_SET]
