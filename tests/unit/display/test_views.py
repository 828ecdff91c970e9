"""What the view-models hand to windows: masked CPRs, bookings, desks, queues."""

from __future__ import annotations

from datetime import timedelta

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import Appointment
from display.terminal import format_elapsed
from display.views import AppointmentView, DeskView, mask_cpr
from tests.helpers import BAHRAIN, MORNING


def booking(**changes: object) -> Appointment:
    fields: dict[str, object] = {
        "id": "a1",
        "reference": "BK-1",
        "service": "licence-renewal",
        "slot_start": MORNING,
        "slot_end": MORNING + timedelta(minutes=15),
        "business_day": MORNING.date(),
        "cpr_digest": "d" * 64,
        "cpr_last4": "1234",
        "name_ar": "مريم أحمد",
        "name_en": "Maryam Ahmed",
    }
    fields.update(changes)
    return Appointment(**fields)  # type: ignore[arg-type]


def test_a_cpr_is_shown_masked_from_its_last_four_digits_only() -> None:
    assert mask_cpr("1234") == "*****1234"
    assert mask_cpr(None) is None
    assert mask_cpr("") is None


def test_a_booking_shows_its_slot_in_centre_time_and_never_the_digest() -> None:
    view = AppointmentView.of(booking(), BAHRAIN)
    assert view.cpr_masked == "*****1234"
    assert (view.slot_start.hour, view.slot_end.minute) == (9, 15)
    assert view.name is not None
    assert (view.name.ar, view.name.en) == ("مريم أحمد", "Maryam Ahmed")
    assert "d" * 64 not in repr(view)


def test_a_name_in_one_language_serves_both() -> None:
    view = AppointmentView.of(booking(name_ar=None), BAHRAIN)
    assert view.name is not None
    assert view.name.get("ar") == "Maryam Ahmed"
    assert AppointmentView.of(booking(name_ar=None, name_en=None), BAHRAIN).name is None


def test_a_desk_with_a_ticket_is_open(config: CentreConfig, clock: FixedClock) -> None:
    desk = DeskView.of(uc.CounterDesk(config.counter("3"), False, None, None), config)
    assert (desk.counter, desk.is_open, desk.ticket) == ("3", False, None)


def test_elapsed_time_reads_as_a_clock() -> None:
    assert format_elapsed(0) == "0:00"
    assert format_elapsed(75) == "1:15"
    assert format_elapsed(3 * 3600 + 62) == "3:01:02"
