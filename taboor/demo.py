"""The demo centre: today's invented appointments, and a guide to driving it from the shell."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from centre.config import CentreConfig
from centre.usecases import business_day, store_appointments
from sync.central_sim import CentralSim
from sync.intake import to_stored_appointment
from sync.wire import Appointment as WireAppointment
from taboor.bootstrap import Centre

# Invented CPRs (month 00 never occurs in a real one) of the sample visitors.
ONE_BOOKING = "990000101"
TWO_BOOKINGS = "990000102"
BOOKED_TOMORROW = "990000103"
# The same seed as `taboor central-sim`, so both invent the same bookings for a day.
DEMO_SEED = 2026


def prepare_demo(centre: Centre) -> str:
    """Store today's invented appointments (again, harmlessly) and return what to type next."""
    config = centre.config
    now = centre.clock.now()
    today = business_day(config, now)
    # Only its appointment generator is used: the simulator is never served here.
    sim = CentralSim([config], token="demo", seed=DEMO_SEED, clock=centre.clock.now)  # noqa: S106
    centre_id = config.centre.id
    booked = sim.appointments(centre_id, today)
    first = sim.add_appointment(
        centre_id,
        today,
        service="licence-renewal",
        slot=_slot_near(now, config, 10),
        cpr=ONE_BOOKING,
    )
    samples = [
        first,
        sim.add_appointment(
            centre_id,
            today,
            service="vehicle-registration",
            slot=_slot_near(now, config, 5),
            cpr=TWO_BOOKINGS,
        ),
        sim.add_appointment(
            centre_id,
            today,
            service="traffic-fines",
            slot=_slot_near(now, config, 20),
            cpr=TWO_BOOKINGS,
        ),
        sim.add_appointment(
            centre_id, today + timedelta(days=1), service="ownership-transfer", cpr=BOOKED_TOMORROW
        ),
    ]
    key, zone = centre.store.cpr_key(), config.centre.zone
    store_appointments(
        centre.store, [to_stored_appointment(a, key, zone, "demo") for a in booked + samples]
    )
    return _guide(centre, today, booked, first)


def _slot_near(now: datetime, config: CentreConfig, minutes: int) -> time:
    # A slot on the five-minute grid about ``minutes`` from now, kept on today.
    local = now.astimezone(config.centre.zone)
    target = local + timedelta(minutes=minutes)
    if target.date() != local.date():
        target = local
    rounded = target.replace(second=0, microsecond=0) - timedelta(minutes=target.minute % 5)
    return rounded.time()


def _guide(
    centre: Centre, today: date, booked: list[WireAppointment], first: WireAppointment
) -> str:
    config = centre.config
    url = centre.store.engine.url.render_as_string(hide_password=True)
    services = ", ".join(f"{s.code} ({s.prefix})" for s in config.services)
    return f"""\
Demo centre ready: {config.centre.name.en} — {config.centre.name.ar}
  business day {today.isoformat()}, {len(booked)} invented appointments, database {url}
  services: {services}

Drive it from the shell (from the repository: .venv/bin/taboor …, or `source .venv/bin/activate`):

  As a visitor
    taboor issue licence-renewal                 a walk-in ticket (prints its JSON)
    taboor issue C --priority elderly --lang en  a priority ticket for vehicle registration
    taboor checkin --cpr {ONE_BOOKING}              check in a booking by CPR (invented)
    taboor checkin --cpr {TWO_BOOKINGS}              two bookings: names them; then --qr REF
    taboor checkin --cpr {BOOKED_TOMORROW}              booked for tomorrow: refused (exit 3)
    taboor checkin --qr {first.reference}        by booking reference: already checked in

  As the clerk at counter 1
    taboor call 1   taboor recall 1   taboor start 1   taboor done 1
    taboor no-show 1   taboor transfer 1 licence-lost

  As the supervisor
    taboor status   taboor tickets   taboor events --since 0
    taboor pause traffic-fines --reason "payment system down"   taboor resume traffic-fines

  The screens (each in its own terminal, on the same database)
    taboor kiosk   taboor hall   taboor counter 1   taboor counter-screen 1
  The central link
    taboor central-sim &   then   taboor sync --once
"""
