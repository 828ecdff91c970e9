"""The two adapters of the centre port answer alike: a centre day in-process and over HTTP.

The same scenario (a kiosk, two counters, the hall and the supervisor) runs
once on :class:`LocalCentre` and once on :class:`RemoteCentre` through a real
server, and what each role observes must be the same: the values, and the
errors with their codes and parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from centre import staff
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.errors import TaboorError
from centre.local import LocalCentre
from centre.port import CentrePort
from centre.store.unit_of_work import Store
from centre.usecases import store_appointments
from tests.helpers import MORNING, make_appointment
from tests.live_server import PIN, live_server

CPR = "990012345"  # invented
OTHER_CPR = "990054321"  # invented


@dataclass
class Roles:
    """One port per device of the scenario."""

    kiosk: CentrePort
    counter_1: CentrePort
    counter_2: CentrePort
    hall: CentrePort
    supervisor: CentrePort


def prepare(store: Store, clock: FixedClock) -> str:
    """Two bookings and the staff; returns the QR reference of the second booking."""
    first = make_appointment(
        store, cpr=CPR, service="licence-renewal", slot=MORNING, reference="BK-CPR0001"
    )
    second = make_appointment(
        store, cpr=OTHER_CPR, service="vehicle-registration", slot=MORNING, reference="BK-QR0001"
    )
    store_appointments(store, [first, second])
    for staff_id, role in (("c101", staff.CLERK), ("c102", staff.CLERK), ("s100", "supervisor")):
        staff.add_staff(
            store, clock, staff_id, name_ar="موظف", name_en="Someone", role=role, pin=PIN
        )
    return second.reference


def observe(roles: Roles, reference: str) -> list[Any]:
    """What each role sees through its port during a short morning."""
    seen: list[Any] = []

    def attempt(call: Callable[[], Any]) -> Any:
        try:
            return call()
        except TaboorError as error:
            seen.append(("refused", type(error).__name__, error.code, _safe(error.params)))
            return None

    kiosk, one, two = roles.kiosk, roles.counter_1, roles.counter_2
    walk_in = kiosk.issue_ticket("licence-renewal", lang="en")
    seen.append(("issued", walk_in.ticket.number, walk_in.ticket.lang, walk_in.ahead))
    seen.append(("issued", kiosk.issue_ticket("E", priority="elderly").ticket.number))
    attempt(lambda: kiosk.issue_ticket("no-such-service"))
    attempt(lambda: kiosk.issue_ticket("driving-test"))
    attempt(lambda: kiosk.issue_ticket("A", priority="royal"))
    options = kiosk.appointments_for_cpr(CPR)
    seen.append(("options", [(o.verdict, o.appointment.reference) for o in options]))
    booked = kiosk.check_in_by_cpr(CPR)
    seen.append(("checked in", booked.ticket.number, booked.ticket.source, booked.slot_start))
    attempt(lambda: kiosk.check_in_by_cpr(CPR))
    attempt(lambda: kiosk.check_in_by_cpr("12345"))
    attempt(lambda: kiosk.check_in_by_cpr("990099999"))
    scanned = kiosk.check_in_by_qr(reference, lang="en")
    seen.append(("scanned", scanned.ticket.number, scanned.ticket.service))
    attempt(lambda: kiosk.check_in_by_qr("not a qr!"))

    member = one.sign_in("1", "c101", PIN)
    seen.append(("signed in", member.id, member.role))
    attempt(lambda: two.sign_in("2", "c102", "0000"))
    two.sign_in("2", "c102", PIN)
    called = one.call_next("1")
    assert called is not None
    seen.append(("called", called.ticket.number, called.ticket.state, called.ticket.counter))
    attempt(lambda: one.start_serving("1", expected="not-the-ticket"))
    seen.append(("recalled", one.recall("1", expected=called.ticket.id).ticket.state))
    desk = one.counter_desk("1")
    seen.append(("desk", desk.is_open, desk.ticket.number if desk.ticket else None, desk.staff_id))
    seen.append(("desk name", desk.staff_name))
    seen.append(("started", one.start_serving("1").ticket.state))
    seen.append(("finished", one.finish("1").ticket.state))
    attempt(lambda: one.finish("1"))
    again = one.call_next("1")
    assert again is not None
    moved = one.transfer("1", "vehicle-registration", expected=again.ticket.id)
    seen.append(("transferred", moved.ticket.number, moved.ticket.service, moved.ticket.state))
    other = two.call_next("2")
    seen.append(("called at 2", other.ticket.number if other else None))
    attempt(lambda: two.no_show("2"))
    one.start_break("1", "tea")
    seen.append(("break", one.counter_desk("1").on_break))
    one.end_break("1")
    attempt(lambda: one.close_counter("1"))
    seen.append(("accounts", one.has_staff_accounts()))

    boss = roles.supervisor
    seen.append(("supervisor", boss.supervisor_sign_in("s100", PIN).role))
    attempt(lambda: boss.supervisor_sign_in("c101", PIN))
    boss.supervisor_sign_in("s100", PIN)
    boss.pause_service("traffic-fines", "network down")
    attempt(lambda: kiosk.issue_ticket("E"))
    boss.resume_service("traffic-fines")
    changed = boss.set_counter_services("2", ["traffic-fines"])
    seen.append(("services", changed.id, changed.services))
    boss.set_hall_message("مرحبا", "Welcome")
    cancelled = boss.cancel_ticket("E001", "left")
    seen.append(("cancelled", cancelled.ticket.number, cancelled.ticket.state))
    attempt(lambda: boss.cancel_ticket("E001"))
    attempt(lambda: boss.cancel_ticket("Z404"))
    attempt(lambda: boss.revoke_device("tv-nowhere"))
    view = boss.ticket_view(scanned.ticket.number)
    seen.append(("view", view.ticket.number, view.ahead, view.slot_start))
    finished = one.call_next("1")
    if finished is not None:
        one.start_serving("1")
        one.finish("1")
        roles.counter_1.record_feedback(finished.ticket.id, 4)
        attempt(lambda: roles.counter_1.record_feedback(finished.ticket.id, 4))
    kiosk.record_print_failure(walk_in.ticket, "virtual:x", "paper_out")
    seen.append(("printer", kiosk.report_device("printer", "paper_low", "80 mm")))
    seen.append(("printer again", kiosk.report_device("printer", "paper_low", "80 mm")))

    hall = roles.hall
    seen.append(("message", hall.hall_message()))
    calls = hall.recent_calls(hall.last_seq(), 5)
    seen.append(("calls", [(c.ticket_number, c.counter, c.type) for c in calls]))
    status = hall.queue_status()
    seen.append(("queues", [(s.service.code, s.waiting, s.paused) for s in status.services]))
    seen.append(
        ("counters", [(c.counter.id, c.state, c.counter.services) for c in status.counters])
    )
    report = boss.day_report()
    seen.append(
        (
            "report",
            report.issued,
            report.served,
            report.no_shows,
            report.cancelled,
            report.satisfaction.ratings,
            [(d.kind, d.state) for d in report.devices],
            [a.type for a in report.alerts],
        )
    )
    boss.supervisor_sign_out()
    return seen


def _safe(params: dict[str, Any]) -> dict[str, Any]:
    # What the server may send of an error's parameters (CPR-free by construction).
    from server.wire import SAFE_PARAMS  # noqa: PLC0415

    return {k: v for k, v in params.items() if k in SAFE_PARAMS}


@pytest.fixture
def local_roles(
    tmp_path: Path, clock: FixedClock, config: CentreConfig
) -> Iterator[tuple[Roles, str]]:
    store = Store.open(f"sqlite:///{tmp_path / 'local.db'}")
    ports = {
        name: LocalCentre(store, clock, config, device=name)
        for name in ("kiosk", "counter_1", "counter_2", "hall", "supervisor")
    }
    reference = prepare(store, clock)
    yield Roles(**ports), reference
    store.close()


def test_both_adapters_answer_a_centre_day_alike(
    local_roles: tuple[Roles, str], store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    reference = prepare(store, clock)
    with live_server(store, clock, config) as live:
        remote = Roles(
            kiosk=live.remote("kiosk"),
            counter_1=live.remote("counter", "1"),
            counter_2=live.remote("counter", "2"),
            hall=live.remote("hall"),
            supervisor=live.remote_of(live.enrol("supervisor")),
        )
        over_http = observe(remote, reference)
    in_process = observe(*local_roles)
    assert over_http == in_process
