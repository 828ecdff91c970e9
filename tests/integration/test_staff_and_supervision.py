"""Staff sign-in and breaks, counters' services, ratings, devices and the supervisor's report,
on a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from centre import staff, syncing
from centre import supervision as sv
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import AppointmentStatus, CounterState, EventType, TicketState
from centre.errors import (
    AlreadyRated,
    BadInput,
    CounterBusy,
    CounterNotOpen,
    InvalidPin,
    NotAllowed,
    NotServed,
    SignInLocked,
    UnknownStaff,
    WrongPin,
)
from centre.offline import check_in_unverified, needs_verification
from centre.rules.link import OFFLINE
from centre.store.unit_of_work import Store
from tests.helpers import MORNING, make_appointment

CPR = "990000555"


@pytest.fixture
def clerk(store: Store, clock: FixedClock) -> staff.StaffMember:
    return staff.add_staff(
        store, clock, "c101", name_ar="فاطمة علي", name_en="Fatima Ali", pin="2468"
    )


def kinds(store: Store, after: int = 0) -> list[EventType]:
    return [e.type for e in uc.events_since(store, after)]


def test_a_pin_is_kept_hashed_and_signs_in_at_a_counter(
    store: Store, clock: FixedClock, config: CentreConfig, clerk: staff.StaffMember
) -> None:
    with store.read() as repo:
        row = repo.staff_member("c101")
    assert row is not None
    assert "2468" not in row.pin_hash
    assert row.pin_hash.startswith("scrypt$")
    member = staff.sign_in(store, clock, config, "3", "c101", "٢٤٦٨")
    assert member.name_en == "Fatima Ali"
    assert staff.signed_in(store, config, "3") == member
    assert uc.counter_desk(store, clock, config, "3").staff_id == "c101"
    assert EventType.STAFF_SIGNED_IN in kinds(store)


def test_wrong_pins_are_refused_and_slow_down(
    store: Store, clock: FixedClock, clerk: staff.StaffMember
) -> None:
    for _ in range(2):
        with pytest.raises(WrongPin) as free:
            staff.check_pin(store, clock, "c101", "1111")
        assert "seconds" not in free.value.params
    with pytest.raises(WrongPin) as third:
        staff.check_pin(store, clock, "c101", "1111")
    assert third.value.params["seconds"] == 15
    # Even the right PIN waits out the lock, and says how long.
    with pytest.raises(SignInLocked) as locked:
        staff.check_pin(store, clock, "c101", "2468")
    assert locked.value.params["seconds"] == 15
    clock.advance(timedelta(seconds=16))
    with pytest.raises(WrongPin) as fourth:
        staff.check_pin(store, clock, "c101", "1112")
    assert fourth.value.params["seconds"] == 30  # doubles
    clock.advance(timedelta(seconds=31))
    assert staff.check_pin(store, clock, "c101", "2468").id == "c101"
    with store.read() as repo:
        row = repo.staff_member("c101")
    assert row is not None
    assert row.failed_tries == 0
    assert row.locked_until is None


def test_unknown_ids_and_malformed_pins(store: Store, clock: FixedClock, clerk: object) -> None:
    with pytest.raises(WrongPin) as unknown:
        staff.check_pin(store, clock, "nobody", "2468")
    assert str(unknown.value) == "wrong staff id or PIN"
    with pytest.raises(InvalidPin):
        staff.check_pin(store, clock, "c101", "12a4")
    with pytest.raises(InvalidPin):
        staff.add_staff(store, clock, "c102", name_ar="أ", name_en="A", pin="123")
    with pytest.raises(BadInput):
        staff.add_staff(store, clock, "c 102", name_ar="أ", name_en="A", pin="1234")
    with pytest.raises(UnknownStaff):
        staff.set_pin(store, clock, "nobody", "1234")


def test_supervisor_role_and_deactivation(
    store: Store, clock: FixedClock, clerk: staff.StaffMember
) -> None:
    with pytest.raises(NotAllowed):
        staff.check_pin(store, clock, "c101", "2468", role=staff.SUPERVISOR)
    staff.add_staff(
        store, clock, "s1", name_ar="خالد", name_en="Khalid", role=staff.SUPERVISOR, pin="13579"
    )
    assert staff.check_pin(store, clock, "s1", "13579", role=staff.SUPERVISOR).role == "supervisor"
    staff.set_active(store, clock, "c101", False)
    with pytest.raises(WrongPin):
        staff.check_pin(store, clock, "c101", "2468")
    staff.set_pin(store, clock, "s1", "97531")
    with pytest.raises(WrongPin):
        staff.check_pin(store, clock, "s1", "13579")


def test_signing_in_elsewhere_leaves_the_first_counter_and_sign_out_closes(
    store: Store, clock: FixedClock, config: CentreConfig, clerk: staff.StaffMember
) -> None:
    staff.sign_in(store, clock, config, "1", "c101", "2468")
    uc.open_counter(store, clock, config, "1")
    uc.issue_ticket(store, clock, config, "A")
    uc.call_next(store, clock, config, "1")
    with pytest.raises(CounterBusy):
        staff.sign_in(store, clock, config, "2", "c101", "2468")
    uc.no_show(store, clock, config, "1")
    staff.sign_in(store, clock, config, "2", "c101", "2468")
    assert staff.signed_in(store, config, "1") is None
    assert not uc.counter_desk(store, clock, config, "1").is_open
    staff.sign_out(store, clock, config, "2")
    assert staff.signed_in(store, config, "2") is None


def test_a_break_stops_calls_and_calling_next_ends_it(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    with pytest.raises(CounterNotOpen):
        staff.start_break(store, clock, config, "1")
    uc.open_counter(store, clock, config, "1")
    staff.start_break(store, clock, config, "1", "prayer")
    status = uc.queue_status(store, clock, config)
    assert status.counters[0].state is CounterState.BREAK
    assert uc.counter_desk(store, clock, config, "1").on_break
    clock.advance(timedelta(minutes=10))
    uc.issue_ticket(store, clock, config, "A")
    called = uc.call_next(store, clock, config, "1")
    assert called is not None
    ended = [e for e in uc.events_since(store) if e.type is EventType.BREAK_ENDED]
    assert ended[0].data["seconds"] == 600
    with pytest.raises(CounterBusy):
        staff.start_break(store, clock, config, "1")


def test_the_supervisor_changes_a_counters_services_for_the_day(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    counter = config.counter("1")
    other = next(s.code for s in config.services if s.code not in counter.services)
    uc.issue_ticket(store, clock, config, counter.services[0])
    uc.issue_ticket(store, clock, config, other)
    changed = uc.set_counter_services(store, clock, config, "1", [other])
    assert changed.services == [other]
    called = uc.call_next(store, clock, config, "1")
    assert called is not None
    assert called.ticket.service == other
    snapshot = uc.queue_status(store, clock, config).counters[0]
    assert snapshot.counter.services == [other]
    assert EventType.COUNTER_SERVICES_CHANGED in kinds(store)
    with pytest.raises(BadInput):
        uc.set_counter_services(store, clock, config, "1", [])
    # The next day the counter calls its configured services again.
    uc.no_show(store, clock, config, "1")
    clock.advance(timedelta(days=1))
    assert uc.counter_desk(store, clock, config, "1").counter.services == counter.services


def test_a_rating_is_recorded_once_for_a_served_ticket(
    store: Store, clock: FixedClock, config: CentreConfig, clerk: staff.StaffMember
) -> None:
    staff.sign_in(store, clock, config, "1", "c101", "2468")
    issued = uc.issue_ticket(store, clock, config, "A")
    with pytest.raises(NotServed):
        sv.record_feedback(store, clock, config, issued.ticket.id, 5)
    uc.call_next(store, clock, config, "1")
    uc.start_serving(store, clock, config, "1")
    uc.finish(store, clock, config, "1")
    with pytest.raises(BadInput):
        sv.record_feedback(store, clock, config, issued.ticket.id, 6)
    sv.record_feedback(store, clock, config, issued.ticket.number, 4)
    with pytest.raises(AlreadyRated):
        sv.record_feedback(store, clock, config, issued.ticket.id, 1)
    [event] = [e for e in uc.events_since(store) if e.type is EventType.FEEDBACK]
    assert (event.counter, event.service, event.data) == (
        "1",
        issued.ticket.service,
        {"rating": 4, "staff": "c101"},
    )


def test_a_device_state_is_logged_only_when_it_changes(store: Store, clock: FixedClock) -> None:
    assert sv.report_device(store, clock, "kiosk-1", "printer", "ok")
    assert not sv.report_device(store, clock, "kiosk-1", "printer", "ok")
    assert sv.report_device(store, clock, "kiosk-1", "printer", "paper_low", "near end")
    with pytest.raises(BadInput):
        sv.report_device(store, clock, "kiosk-1", "printer", "on fire")
    assert kinds(store).count(EventType.DEVICE_STATUS) == 2


def test_the_day_report_adds_up(
    store: Store, clock: FixedClock, config: CentreConfig, clerk: staff.StaffMember
) -> None:
    staff.sign_in(store, clock, config, "1", "c101", "2468")
    a = config.counter("1").services[0]
    tickets = [uc.issue_ticket(store, clock, config, a) for _ in range(4)]
    clock.advance(timedelta(minutes=5))
    for rating in (5, 3):
        uc.call_next(store, clock, config, "1")
        uc.start_serving(store, clock, config, "1")
        clock.advance(timedelta(minutes=4))
        served = uc.finish(store, clock, config, "1")
        sv.record_feedback(store, clock, config, served.ticket.id, rating)
    uc.call_next(store, clock, config, "1")
    uc.no_show(store, clock, config, "1")
    uc.call_next(store, clock, config, "1")
    sv.report_device(store, clock, "kiosk-1", "printer", "paper_out")
    report = sv.day_report(store, clock, config)
    assert (report.issued, report.served, report.no_shows, report.waiting) == (4, 2, 1, 0)
    assert sum(h.issued for h in report.hours) == 4
    assert sum(h.served for h in report.hours) == 2
    assert report.satisfaction.average == 4.0
    assert report.by_service[a].counts == (0, 0, 1, 0, 1)
    assert report.by_counter["1"].ratings == 2
    line = next(c for c in report.counters if c.snapshot.counter.id == "1")
    assert line.staff_name == ("فاطمة علي", "Fatima Ali")
    assert line.snapshot.state is CounterState.CALLING
    assert line.served == 2
    assert line.since == clock.now()
    assert [d.state for d in report.devices] == ["paper_out"]
    assert tickets[3].ticket.state is TicketState.WAITING


def test_a_queue_past_its_maximum_wait_is_a_breach(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    service = config.services[0]
    uc.issue_ticket(store, clock, config, service.code)
    clock.advance(timedelta(minutes=service.max_wait_minutes * 0.9))
    line = sv.day_report(store, clock, config).services[0]
    assert line.near_breach
    assert not line.breach
    clock.advance(timedelta(minutes=service.max_wait_minutes * 0.2))
    assert sv.day_report(store, clock, config).services[0].breach


def test_a_booking_pulled_later_is_matched_to_the_ticket_given_offline(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    syncing.record_link(store, clock, OFFLINE, "down")
    view = check_in_unverified(store, clock, config, CPR, "A")
    assert needs_verification(store, view.ticket.id)
    booking = make_appointment(store, cpr=CPR, service="A", slot=MORNING + timedelta(minutes=30))
    outcome = syncing.apply_appointments(
        store, clock, config, [booking], day=booking.business_day, cursor="c1"
    )
    assert outcome.reconciled == 1
    assert not needs_verification(store, view.ticket.id)
    with store.read() as repo:
        ticket = repo.ticket(view.ticket.id)
    assert ticket is not None
    assert ticket.appointment_id == booking.id
    [event] = [e for e in uc.events_since(store) if e.type is EventType.APPOINTMENT_RECONCILED]
    assert event.data["was"] == "unverified"
    assert event.ticket_id == view.ticket.id


def test_a_cancelled_booking_pulled_later_warns_the_supervisor(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    syncing.record_link(store, clock, OFFLINE, "down")
    view = check_in_unverified(store, clock, config, CPR, "A")
    booking = make_appointment(
        store,
        cpr=CPR,
        service="A",
        slot=MORNING + timedelta(minutes=30),
        status=AppointmentStatus.CANCELLED,
    )
    syncing.apply_appointments(
        store, clock, config, [booking], day=booking.business_day, cursor=None
    )
    assert needs_verification(store, view.ticket.id)
    report = sv.day_report(store, clock, config)
    assert [a.type for a in report.alerts] == [EventType.BOOKING_CANCELLED_AFTER_CHECK_IN]
    assert report.unverified == 1
