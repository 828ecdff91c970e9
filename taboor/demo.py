"""The demo centre: today's invented appointments, and a guide to driving it from the shell."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

from centre.config import CentreConfig
from centre.errors import BadInput
from centre.staff import CLERK, SUPERVISOR, add_staff, staff_member
from centre.usecases import business_day, store_appointments
from sim.live import stored_bookings, write_bookings
from sync.central_sim import CentralSim
from sync.intake import to_stored_appointment
from sync.wire import Appointment as WireAppointment
from taboor.bootstrap import Centre, config_path, data_dir, open_centre

# Invented CPRs (month 00 never occurs in a real one) of the sample visitors.
ONE_BOOKING = "990000101"
TWO_BOOKINGS = "990000102"
BOOKED_TOMORROW = "990000103"
# The same seed as `taboor central-sim`, so both invent the same bookings for a day.
DEMO_SEED = 2026
# Invented staff of the demo centre, one clerk per counter, and their demo-only PINs.
DEMO_CLERK_PIN = "1234"
DEMO_SUPERVISOR = "s100"
DEMO_SUPERVISOR_PIN = "9090"
_CLERKS = (
    ("فاطمة علي", "Fatima Ali"),
    ("أحمد حسن", "Ahmed Hasan"),
    ("مريم يوسف", "Maryam Yusuf"),
    ("علي عبدالله", "Ali Abdulla"),
    ("زينب جعفر", "Zainab Jaffar"),
    ("حسين مهدي", "Hussain Mahdi"),
    ("نورة خليل", "Noora Khalil"),
    ("يوسف سلمان", "Yusuf Salman"),
)


def clerk_of(counter_id: str) -> str:
    """The demo clerk who works at a counter (c101 at counter 1, …)."""
    return f"c{100 + int(counter_id)}" if counter_id.isdigit() else f"c-{counter_id}"


def seed_staff(centre: Centre) -> None:
    """The demo's clerks (one per counter) and supervisor, unless they exist already."""
    store, clock = centre.store, centre.clock
    for index, counter in enumerate(centre.config.counters):
        staff_id = clerk_of(counter.id)
        if staff_member(store, staff_id) is None:
            name_ar, name_en = _CLERKS[index % len(_CLERKS)]
            add_staff(
                store,
                clock,
                staff_id,
                name_ar=name_ar,
                name_en=name_en,
                role=CLERK,
                pin=DEMO_CLERK_PIN,
            )
    if staff_member(store, DEMO_SUPERVISOR) is None:
        add_staff(
            store,
            clock,
            DEMO_SUPERVISOR,
            name_ar="خالد إبراهيم",
            name_en="Khalid Ebrahim",
            role=SUPERVISOR,
            pin=DEMO_SUPERVISOR_PIN,
        )


def demo_device(screen: str) -> tuple[str, str, str | None]:
    """The device a demo screen is enrolled as: its name, role and counter."""
    role, _, counter = screen.partition(":")
    if role == "counter-screen":
        return f"demo-counter-screen-{counter}", "counter", counter
    if role == "counter":
        return f"demo-counter-{counter}", "counter", counter
    return f"demo-{role}", role, None


def enrol_demo_devices(centre: Centre, home: Path, screens: list[str]) -> dict[str, Path]:
    """A device token for each screen, in a file of the demo's data directory named by the
    screen (``counter-1.token``), as ``taboor tabs --token-dir`` reads them."""
    wanted = {screen.replace(":", "-"): demo_device(screen) for screen in screens}
    files = _enrol(centre, home / "devices", wanted)
    return {screen: files[screen.replace(":", "-")] for screen in screens}


def enrol_robots(centre: Centre, home: Path, counters: list[str]) -> Path:
    """The simulated visitors' kiosk and each robot clerk's counter as devices of their own
    (``demo-robot-kiosk``, ``demo-robot-counter-3``, …); the folder of their tokens."""
    folder = home / "devices" / "robots"
    wanted: dict[str, tuple[str, str, str | None]] = {"kiosk": ("demo-robot-kiosk", "kiosk", None)}
    for counter in counters:
        wanted[f"counter-{counter}"] = (f"demo-robot-counter-{counter}", "counter", counter)
    _enrol(centre, folder, wanted)
    return folder


def _enrol(
    centre: Centre, folder: Path, wanted: dict[str, tuple[str, str, str | None]]
) -> dict[str, Path]:
    """Enrol each (name, role, counter), its token in ``folder``/KEY.token.

    A device enrolled by an earlier demo is enrolled afresh: its old token
    stops working, as it would when a real centre replaces a device.
    """
    from centre import devices

    folder.mkdir(parents=True, exist_ok=True)
    known = {d.name: d for d in devices.device_list(centre.store)}
    files: dict[str, Path] = {}
    for key, (name, role, counter) in wanted.items():
        if name in known and known[name].active:
            devices.revoke_device(centre.store, centre.clock, name)
        enrolled = devices.add_device(
            centre.store, centre.clock, centre.config, name, role, counter
        )
        path = folder / f"{key}.token"
        path.write_text(f"{enrolled.token}\n", encoding="utf-8")
        path.chmod(0o600)
        files[key] = path
    return files


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
    seed_staff(centre)
    return _guide(centre, today, booked, first)


def run_demo(args: argparse.Namespace) -> int:
    """`taboor demo`: prepare the demo centre, then run the central, the agent and the screens."""
    from taboor.launcher import (
        Demo,
        free_port,
        fresh_home,
        parse_screens,
        plan,
        primary_screen_size,
        tabs_by_default,
    )

    screens = parse_screens(args.screens)
    if screens and not args.prepare_only:  # preparing opens no window
        from ui.app import desktop_problem

        problem = desktop_problem()
        if problem is not None:
            raise BadInput(f"{problem} (or `taboor demo --screens none` for no windows)")
    home = Path(os.environ.get("TABOOR_DEMO_HOME") or data_dir() / "demo")
    fresh_home(home, keep=args.keep)
    config = config_path(args.config)
    port = None if args.no_central else free_port()
    # The parts, and this process, share the demo's data directory and database.
    os.environ["TABOOR_HOME"] = str(home)
    os.environ["TABOOR_DB"] = args.db or f"sqlite:///{home / 'taboor.db'}"
    if port is not None:
        os.environ["TABOOR_CENTRAL_URL"] = f"http://127.0.0.1:{port}"
    tabs = args.tabs
    if tabs is None and screens:
        env = dict(os.environ)
        tabs = tabs_by_default(env.get("QT_QPA_PLATFORM", ""), lambda: primary_screen_size(env))
    # The screens reach the centre through its server, as on a LAN.
    server_port = free_port()
    # Visitors' phones on the same Wi-Fi reach the phone pages (and only those) on the
    # laptop's LAN address; the device API stays on the loopback.
    public_port = free_port()
    lan = lan_address()
    os.environ.setdefault("TABOOR_PUBLIC_URL", f"http://{lan}:{public_port}")
    os.environ.setdefault("TABOOR_PUBLIC_LISTEN", f"0.0.0.0:{public_port}")
    with open_centre(str(config), os.environ["TABOOR_DB"]) as centre:
        _say(prepare_demo(centre))
        _say(f"  In another terminal, first: export TABOOR_HOME={home}\n")
        counters = [c.id for c in centre.config.counters]
        tokens = enrol_demo_devices(centre, home, screens)
        staffed = {s.partition(":")[2] for s in screens if s.startswith("counter:")}
        robots = [c for c in counters if c not in staffed]
        robot_tokens = bookings = None
        if args.simulate is not None and not args.prepare_only:
            # The simulated visitors and clerks reach the centre through its server too.
            robot_tokens = enrol_robots(centre, home, robots)
            bookings = home / "bookings.json"
            write_bookings(bookings, stored_bookings(centre.store, centre.clock, centre.config))
    if args.prepare_only:
        return 0
    parts = plan(
        config,
        home,
        screens,
        simulate=args.simulate,
        fullscreen=args.fullscreen,
        robot_counters=robots,
        central_port=port,
        tabs=bool(tabs),
        server_port=server_port,
        tokens=tokens,
        robot_tokens=robot_tokens,
        bookings=bookings,
    )
    demo = Demo(parts, dict(os.environ), out=lambda line: _say(f"demo: {line}"))
    url = os.environ.get("TABOOR_CENTRAL_URL") if port is not None else None
    server = f"http://127.0.0.1:{server_port}"
    _say(f"  The centre server: {server} (its screens' tokens in {home / 'devices'})\n")
    _say(
        f"  Phones on the same Wi-Fi: scan a ticket's QR, or open the hall's code; the phone "
        f"pages are at {os.environ['TABOOR_PUBLIC_URL']}\n"
    )
    return demo.run(url, exit_after=args.exit_after, server_url=server)


def lan_address() -> str:
    """This machine's address on its LAN (the one a default route leaves by), else loopback."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        # A datagram socket "connects" without sending anything: it only picks a route.
        probe.connect(("192.0.2.1", 9))
        address = str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()
    return address


def _say(text: str) -> None:
    sys.stdout.write(text.rstrip("\n") + "\n")
    sys.stdout.flush()


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

  Staff (invented, demo only)
    clerks c101 … c{100 + len(config.counters)} (c101 works at counter 1, …), PIN {DEMO_CLERK_PIN}
    supervisor {DEMO_SUPERVISOR}, PIN {DEMO_SUPERVISOR_PIN}

  The screens (each its own process, on the same database)
    taboor kiosk   taboor hall   taboor counter 1   taboor counter-screen 1   taboor supervisor
  The central link
    taboor central-sim &   then   taboor sync --once
"""
