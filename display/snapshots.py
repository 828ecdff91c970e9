"""Renders every screen, in both languages, to PNG: ``python -m display.snapshots DIR``.

A temporary SQLite centre is filled through the real use cases (a week of
simulated days behind it, then walk-ins, a checked-in appointment, calls at
several counters, a recall), and each screen follows it through the
in-process centre port, as it would in a centre.
Filling the sample is the one thing here that touches a store: the port has
no way to add a booking or a staff account, and need not.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget

from centre import devices, staff, supervision, syncing, webhooks
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import DEFAULT_CONFIG, CentreConfig, PublicConfig, load_config
from centre.domain import Appointment, EventType, TicketState
from centre.local import LocalCentre
from centre.rules.cpr import cpr_digest
from centre.rules.link import ONLINE
from centre.store.unit_of_work import Store
from display.counter_screen import CounterScreenViewModel, CounterScreenWindow
from display.follower import EventFollower
from display.hall import HallViewModel, HallWindow
from display.reports.viewmodel import QuickPeriod
from display.supervisor import SupervisorViewModel, SupervisorWindow
from display.terminal import CounterViewModel, CounterWindow
from sim.history import play_history, working_days_before
from sim.scenarios import SCENARIOS
from ui.app import application
from ui.fonts import FontBook
from ui.i18n import Translations

#: An invented CPR (month 00 never occurs in a real one).
SAMPLE_CPR = "990012345"
# A working Sunday morning in Manama, so every picture shows the same day.
SAMPLE_TIME = datetime(2026, 11, 22, 9, 41, tzinfo=ZoneInfo("Asia/Bahrain"))
TERMINAL_COUNTER = "1"
SCREEN_COUNTER = "7"
# The clerk at the terminal in the pictures (an invented person) and their PIN.
SAMPLE_CLERK = ("c101", "فاطمة علي الحايكي", "Fatima Ali Al-Haiki")
SAMPLE_PIN = "2468"
#: The sample centre's address for visitors' phones: the hall shows its paperless-ticket QR.
SAMPLE_PUBLIC_URL = "https://dana.taboor.example"
#: The sample centre's key for phone links, fixed so the hall's QR is the same at every render.
SAMPLE_SECRET = b"taboor sample centre, not a secret"
#: Working days simulated before the sample morning, so the Reports tab has a week to show;
#: their seed, so every render shows the same week.
SAMPLE_HISTORY_DAYS = 5
SAMPLE_HISTORY_SEED = 1611


def sample_config() -> CentreConfig:
    """The demo centre, reachable from visitors' phones at :data:`SAMPLE_PUBLIC_URL`."""
    config = load_config(DEFAULT_CONFIG, environ={})
    return config.model_copy(update={"public": PublicConfig(url=SAMPLE_PUBLIC_URL)})


def fill_sample_history(store: Store, config: CentreConfig) -> None:
    """The working days before the sample morning, each a quiet simulated day (a quiet one:
    the pictures are drawn in well under a minute)."""
    days = working_days_before(config, SAMPLE_TIME.date(), SAMPLE_HISTORY_DAYS)
    play_history(store, config, days, SCENARIOS["quiet"], SAMPLE_HISTORY_SEED)


def fill_sample_centre(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    """A morning's worth of tickets and calls, made through the use cases."""
    slot = SAMPLE_TIME.replace(minute=30)
    booking = Appointment(
        id="sample-appointment-1",
        reference="BK-7Q2M9C",
        service="licence-renewal",
        slot_start=slot,
        slot_end=slot + timedelta(minutes=15),
        business_day=slot.date(),
        cpr_digest=cpr_digest(SAMPLE_CPR, store.cpr_key()),
        cpr_last4=SAMPLE_CPR[-4:],
        name_ar="مريم أحمد الدوسري",
        name_en="Maryam Ahmed Al-Dosari",
        updated_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    uc.store_appointments(store, [booking])
    clock.set(SAMPLE_TIME - timedelta(minutes=50))
    walk_ins = ["licence-renewal", "traffic-fines", "vehicle-registration", "licence-lost"]
    walk_ins += ["ownership-transfer", "traffic-fines", "licence-renewal"]
    for index in range(40):
        uc.issue_ticket(store, clock, config, walk_ins[index % len(walk_ins)])
        clock.advance(timedelta(seconds=50))
    uc.check_in_by_cpr(store, clock, config, SAMPLE_CPR, lang="en")
    for counter in ("2", "3", "4", "5", "6"):
        uc.call_next(store, clock, config, counter)
        clock.advance(timedelta(seconds=40))
        uc.start_serving(store, clock, config, counter)
        clock.advance(timedelta(minutes=4))
        uc.finish(store, clock, config, counter)
        uc.call_next(store, clock, config, counter)
        uc.start_serving(store, clock, config, counter)
    clock.set(SAMPLE_TIME - timedelta(minutes=3))
    uc.call_next(store, clock, config, TERMINAL_COUNTER)  # the appointment, due at 09:30
    clock.advance(timedelta(seconds=50))
    uc.start_serving(store, clock, config, TERMINAL_COUNTER)
    clock.set(SAMPLE_TIME - timedelta(seconds=40))
    uc.call_next(store, clock, config, SCREEN_COUNTER)


def render_screens(out_dir: Path) -> list[Path]:
    """Render the hall (landscape and portrait), the counter terminal (signing in, at work
    and on a break, in Arabic and English) and the counter screen (a call, then the rating
    faces) to PNG files in ``out_dir``; returns their paths."""
    app = application()
    out_dir.mkdir(parents=True, exist_ok=True)
    config = sample_config()
    clock = FixedClock(SAMPLE_TIME)
    fonts = FontBook.load()
    translations = Translations(app)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'sample.db'}")
        try:
            fill_sample_history(store, config)
            fill_sample_centre(store, clock, config)
            clock.set(SAMPLE_TIME)

            centre = LocalCentre(store, clock, config, secret=SAMPLE_SECRET)
            hall = HallViewModel(centre, EventFollower.for_port(centre))
            hall_window = HallWindow(hall, fonts)
            _started(hall.start, hall.loaded)
            if hall.join is None:
                _started(lambda: None, hall.join_changed)
            # A recall now, while the hall follows: the number is highlighted.
            _started(lambda: centre.recall(SCREEN_COUNTER), hall.call_shown)
            written.append(_grab(app, hall_window, (1920, 1080), out_dir / "hall-landscape.png"))
            written.append(_grab(app, hall_window, (1080, 1920), out_dir / "hall-portrait.png"))
            hall.stop()

            counter_window, pictures = _render_counter_terminal(
                app, centre, clock, fonts, translations, out_dir
            )
            written += pictures

            screen = CounterScreenViewModel(centre, EventFollower.for_port(centre), SCREEN_COUNTER)
            screen_window = CounterScreenWindow(screen, fonts)
            _started(screen.start, screen.loaded)
            _started(lambda: centre.recall(SCREEN_COUNTER), screen.highlight_changed)
            written.append(_grab(app, screen_window, (1280, 720), out_dir / "counter-screen.png"))
            # The visitor is served: the screen asks them to rate the service.
            centre.start_serving(SCREEN_COUNTER)
            _started(lambda: centre.finish(SCREEN_COUNTER), screen.rating_changed)
            path = out_dir / "counter-screen-rating.png"
            written.append(_grab(app, screen_window, (1280, 720), path))
            screen.stop()
            supervisor_window, pictures = _render_supervisor(
                app, centre, clock, fonts, translations, out_dir
            )
            written += pictures
            for window in (hall_window, counter_window, screen_window, supervisor_window):
                window.deleteLater()
        finally:
            store.close()
    return written


def _render_counter_terminal(
    app: QApplication,
    centre: LocalCentre,
    clock: FixedClock,
    fonts: FontBook,
    translations: Translations,
    out_dir: Path,
) -> tuple[QWidget, list[Path]]:
    """The terminal asking for a PIN, signed in with a ticket, and on a break (ar and en)."""
    written: list[Path] = []
    translations.use("ar")
    clerk_id, name_ar, name_en = SAMPLE_CLERK
    staff.add_staff(centre.store, clock, clerk_id, name_ar=name_ar, name_en=name_en, pin=SAMPLE_PIN)
    counter = CounterViewModel(
        centre, EventFollower.for_port(centre), TERMINAL_COUNTER, lang="ar", tick_ms=100
    )
    counter.language_changed.connect(translations.use)
    window = CounterWindow(counter, fonts)

    def grab_both(name: str) -> None:
        for lang in ("ar", "en"):
            counter.set_language(lang)
            written.append(_grab(app, window, (1280, 800), out_dir / f"{name}-{lang}.png"))

    _started(counter.start, counter.loaded)
    # The clerk has typed their id and PIN, and is about to press Enter.
    form = window.sign_in_form
    if form is None:
        raise RuntimeError("the terminal does not ask for a PIN")
    form.staff_id.setText(clerk_id)
    form.pin.setText(SAMPLE_PIN)
    grab_both("counter-terminal-sign-in")
    counter.set_language("ar")
    _started(lambda: counter.sign_in(clerk_id, SAMPLE_PIN), counter.action_done)
    _settle(app, 400)  # the queue figures arrive after the desk
    grab_both("counter-terminal")
    # The visitor is served; the clerk went on a break twelve minutes ago.
    _started(counter.finish, counter.action_done)
    clock.set(SAMPLE_TIME - timedelta(minutes=12, seconds=20))
    _started(counter.take_break, counter.action_done)
    clock.set(SAMPLE_TIME)
    _settle(app, 300)  # a tick of the break's timer
    grab_both("counter-terminal-break")
    counter.stop()
    return window, written


# The supervisor in the pictures and the clerks at the other counters (invented people).
SAMPLE_SUPERVISOR = ("s1", "نورة خالد البنعلي", "Noura Khalid Albinali")
#: The centre's enrolled devices in the sample (invented names), and an integrator's endpoint.
SAMPLE_DEVICES = [
    ("kiosk-door", "kiosk", None),
    ("kiosk-inside", "kiosk", None),
    ("hall-tv", "hall", None),
    ("led-lobby", "hall", None),
    ("counter-1", "counter", "1"),
    ("counter-2", "counter", "2"),
    ("office", "supervisor", None),
]
SAMPLE_WEBHOOK = "https://erp.example.bh/hooks/taboor"
SAMPLE_SUPERVISOR_PIN = "13579"
SAMPLE_CLERKS = {
    "2": ("c102", "أحمد يوسف", "Ahmed Yusuf"),
    "3": ("c103", "مريم حسن", "Maryam Hasan"),
    "4": ("c104", "عبدالله سالم", "Abdulla Salem"),
    "5": ("c105", "زينب جعفر", "Zainab Jaffar"),
    "6": ("c106", "يوسف إبراهيم", "Yusuf Ebrahim"),
    "7": ("c107", "هدى محمد", "Huda Mohammed"),
    "8": ("c108", "خالد راشد", "Khalid Rashid"),
}


def fill_supervisor_sample(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    """What a supervisor sees mid-morning on top of the sample centre: clerks at every
    counter, visitors' ratings, a break, a paused service, a printer low on paper, a ticket
    that did not print, an event the central refused, the enrolled devices (one gone
    silent) and an integrator's webhook that is failing."""
    now = clock.now()
    clock.set(now - timedelta(minutes=58))
    # An integrator's endpoint added this morning, down since: what it missed piles up.
    hook = webhooks.add_webhook(
        store, clock, SAMPLE_WEBHOOK, ["called", "served", "no_show"], secrets.token_hex(16)
    )
    for name, role, counter in SAMPLE_DEVICES:
        devices.add_device(store, clock, config, name, role, counter)
    clock.set(now - timedelta(minutes=55))
    for counter, (staff_id, name_ar, name_en) in SAMPLE_CLERKS.items():
        staff.add_staff(store, clock, staff_id, name_ar=name_ar, name_en=name_en, pin=SAMPLE_PIN)
        if staff.signed_in(store, config, counter) is None:
            staff.sign_in(store, clock, config, counter, staff_id, SAMPLE_PIN)
    supervisor_id, name_ar, name_en = SAMPLE_SUPERVISOR
    staff.add_staff(
        store,
        clock,
        supervisor_id,
        name_ar=name_ar,
        name_en=name_en,
        role=staff.SUPERVISOR,
        pin=SAMPLE_SUPERVISOR_PIN,
    )
    # The office PC is the one she signed in on: it is never offered for revoking.
    devices.set_supervisor(store, clock, "office", supervisor_id)
    # Counters 5 and 6 move on to their next visitors; one of them does not come.
    clock.set(now - timedelta(minutes=9))
    for counter, no_show in (("5", True), ("6", False)):
        if uc.counter_desk(store, clock, config, counter).ticket is not None:
            uc.finish(store, clock, config, counter)
        uc.call_next(store, clock, config, counter)
        clock.advance(timedelta(seconds=90))
        if no_show:
            uc.no_show(store, clock, config, counter)
            uc.call_next(store, clock, config, counter)
        clock.advance(timedelta(seconds=40))
        uc.start_serving(store, clock, config, counter)
        clock.set(now - timedelta(minutes=4))
    clock.set(now - timedelta(minutes=6))
    uc.open_counter(store, clock, config, "8")
    staff.start_break(store, clock, config, "8", "prayer")
    if uc.counter_desk(store, clock, config, SCREEN_COUNTER).ticket is None:
        clock.set(now - timedelta(seconds=40))
        uc.call_next(store, clock, config, SCREEN_COUNTER)
    views = uc.tickets_of_day(store, clock, config)
    served = [v.ticket for v in views if v.ticket.state is TicketState.SERVED]
    for ticket, rating in zip(served, (5, 4, 5, 3, 4, 5, 2, 4), strict=False):
        supervision.record_feedback(store, clock, config, ticket.id, rating)
    waiting = [v.ticket for v in views if v.ticket.state is TicketState.WAITING]
    clock.set(now - timedelta(minutes=6))
    supervision.report_device(store, clock, "kiosk-1", "printer", "ok")
    supervision.report_device(store, clock, "kiosk-2", "printer", "paper_low", "paper near end")
    uc.record_print_failure(store, clock, waiting[-1], "usb:0x04b8:0x0202", "paper_out")
    uc.pause_service(store, clock, config, "ownership-transfer", "system maintenance")
    # The central took everything so far but one call, and the link is up.
    batch = syncing.next_batch(store, 0, limit=100_000)
    refused = next(e for e in uc.events_since(store) if e.type is EventType.CALLED)
    syncing.set_events_aside(store, clock, [(refused.id, "ticket number already reported")])
    if batch is not None:
        syncing.acknowledge(store, clock, batch)
    clock.set(now - timedelta(seconds=20))
    syncing.record_link(store, clock, ONLINE)
    webhooks.record_failure(store, clock, hook.id, "connection refused")
    # Every device heard from lately but the lobby's LED board, silent for 25 minutes.
    for index, (name, _role, _counter) in enumerate(SAMPLE_DEVICES):
        clock.set(now - timedelta(minutes=25) if name == "led-lobby" else now)
        devices.record_seen(store, clock, name, f"10.20.0.{21 + index}")
    clock.set(now)


def _render_supervisor(
    app: QApplication,
    centre: LocalCentre,
    clock: FixedClock,
    fonts: FontBook,
    translations: Translations,
    out_dir: Path,
) -> tuple[QWidget, list[Path]]:
    """The supervisor's screen, signed in, mid-morning (Arabic and English), its health
    tab, and its Reports tab on the week before (Arabic and English, and the weekday and
    hour map)."""
    written: list[Path] = []
    fill_supervisor_sample(centre.store, clock, centre.config)
    translations.use("ar")
    supervisor = SupervisorViewModel(
        centre, EventFollower.for_port(centre), lang="ar", reprint=lambda n: n
    )
    supervisor.language_changed.connect(translations.use)
    window = SupervisorWindow(supervisor, fonts)
    _started(supervisor.start, supervisor.loaded)
    _started(
        lambda: supervisor.sign_in(SAMPLE_SUPERVISOR[0], SAMPLE_SUPERVISOR_PIN),
        supervisor.signed_in_changed,
    )
    _settle(app, 500)  # the report read again for the supervisor
    for lang in ("ar", "en"):
        supervisor.set_language(lang)
        path = out_dir / f"supervisor-{lang}.png"
        written.append(_grab(app, window, (1920, 1080), path))
    window.tabs.setCurrentWidget(window.health)
    written.append(_grab(app, window, (1920, 1080), out_dir / "supervisor-health-en.png"))
    reports = supervisor.reports
    # Opening the tab reads its first report: the last seven days, by day.
    _started(lambda: window.tabs.setCurrentWidget(window.reports), reports.report_changed)
    if reports.report is None or reports.quick is not QuickPeriod.LAST_7_DAYS:
        raise RuntimeError("the Reports tab shows no report of the last seven days")
    for lang in ("ar", "en"):
        supervisor.set_language(lang)
        path = out_dir / f"supervisor-reports-{lang}.png"
        written.append(_grab(app, window, (1920, 1080), path))
    _started(lambda: reports.set_split("weekday-hour"), reports.report_changed)
    window.reports.charts.setCurrentWidget(window.reports.maps)
    path = out_dir / "supervisor-reports-map-en.png"
    written.append(_grab(app, window, (1920, 1080), path))
    supervisor.stop()
    translations.use("en")
    return window, written


def _started(start: Callable[[], object], ready: SignalInstance, timeout_ms: int = 10_000) -> None:
    loop = QEventLoop()
    ready.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    start()
    loop.exec()


def _settle(app: QApplication, ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def _grab(app: QApplication, window: QWidget, size: tuple[int, int], path: Path) -> Path:
    window.resize(*size)
    # Fonts follow the size (resizeEvent); lay out again with them before drawing.
    app.sendPostedEvents()
    app.processEvents()
    layout = window.layout()
    if layout is not None:
        layout.activate()
    # A window never shown holds its widgets' resize events back until it is drawn: draw
    # it once to hand them out (a chart then names what its width has room for), let what
    # follows settle, and draw it again.
    window.grab()
    _settle(app, 50)
    if not window.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    """Render the screens into the directory given (offscreen unless a display is chosen)."""
    parser = argparse.ArgumentParser(prog="python -m display.snapshots", description=__doc__)
    parser.add_argument("out_dir", type=Path, help="directory for the PNG files")
    args: Any = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for path in render_screens(args.out_dir):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
