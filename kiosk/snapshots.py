"""Renders every kiosk screen in Arabic and English to PNG files, offscreen, for the README.

The kiosk runs on the in-process centre port over a throwaway SQLite store,
which is the one place a kiosk module opens a store: the scene's bookings
are stored there as the sync agent would store them.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import DEFAULT_CONFIG, PublicConfig, load_config
from centre.domain import Appointment
from centre.local import LocalCentre
from centre.rules.cpr import cpr_digest
from centre.store.unit_of_work import Store
from kiosk.app import Kiosk, build_kiosk
from kiosk.viewmodel import Screen

# Sunday 22 November 2026, 09:00 in Manama.
MORNING = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
INVENTED_CPR = "990012345"
INVENTED_MOBILE = "36001234"
#: The centre's address for visitors' phones: tickets carry a link, the kiosk offers the phone.
PUBLIC_URL = "https://dana.taboor.example"


def _book(store: Store, reference: str, service: str, slot: datetime) -> None:
    appointment = Appointment(
        id=reference,
        reference=reference,
        service=service,
        slot_start=slot,
        slot_end=slot + timedelta(minutes=15),
        business_day=slot.date(),
        cpr_digest=cpr_digest(INVENTED_CPR, store.cpr_key()),
        cpr_last4=INVENTED_CPR[-4:],
        name_ar="مريم أحمد",
        name_en="Maryam Ahmed",
        updated_at=MORNING,
    )
    uc.store_appointments(store, [appointment])


def _settle(kiosk: Kiosk, until: Callable[[], bool]) -> None:
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while not until() and datetime.now(UTC) < deadline:
        kiosk.app.processEvents()
    kiosk.app.processEvents()


def _render_language(kiosk: Kiosk, clock: FixedClock, folder: Path, lang: str) -> list[Path]:
    vm = kiosk.view_model
    written: list[Path] = []

    def shot(name: str) -> None:
        kiosk.app.processEvents()
        path = folder / f"kiosk-{name}-{lang}.png"
        kiosk.window.grab().save(str(path))
        written.append(path)

    vm.go_home()
    vm.set_language(lang)
    shot("home")
    vm.start_cpr()
    for digit in INVENTED_CPR[:7]:
        vm.press_digit(digit)
    shot("cpr")
    vm.press_digit(INVENTED_CPR[7])
    vm.press_digit(INVENTED_CPR[8])
    vm.submit_cpr()
    _settle(kiosk, lambda: vm.screen is Screen.CHOOSE and not vm.busy)
    shot("choose")
    vm.go_home()
    vm.start_walk_in()
    _settle(kiosk, lambda: vm.screen is Screen.SERVICES and not vm.busy)
    vm.set_priority("elderly")
    shot("services")
    vm.set_priority("normal")
    vm.choose_service("licence-renewal")
    _settle(kiosk, kiosk.window.ticket_qr.isVisible)
    shot("ticket-printer-off")
    vm.go_home()
    vm.start_walk_in()
    _settle(kiosk, lambda: vm.screen is Screen.SERVICES and not vm.busy)
    vm.toggle_phone()
    vm.choose_service("traffic-fines")
    _settle(kiosk, lambda: vm.ticket_on_phone and kiosk.window.ticket_qr.isVisible())
    shot("ticket-phone")
    vm.start_texts()
    for digit in INVENTED_MOBILE:
        vm.press_phone_digit(digit)
    shot("texts")
    vm.go_home()
    vm.scan("NO-SUCH-BOOKING")
    _settle(kiosk, lambda: vm.screen is Screen.MESSAGE and not vm.busy)
    shot("message")
    vm.go_home()
    vm.toggle_accessibility()
    shot("home-accessible")
    vm.toggle_accessibility()
    clock.set(MORNING + timedelta(hours=12))
    vm.check_hours()
    shot("closed")
    clock.set(MORNING)
    vm.check_hours()
    return written


def render_all(folder: Path) -> list[Path]:
    """Write ``kiosk-<screen>-<lang>.png`` for every screen into ``folder``; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    config = load_config(DEFAULT_CONFIG, environ={})
    config = config.model_copy(update={"public": PublicConfig(url=PUBLIC_URL)})
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch:
        store = Store.open(f"sqlite:///{Path(scratch) / 'kiosk.db'}")
        clock = FixedClock(MORNING)
        _book(store, "TD-261122-0001", "licence-renewal", MORNING)
        _book(store, "TD-261122-0002", "vehicle-registration", MORNING + timedelta(minutes=10))
        centre = LocalCentre(store, clock, config, device="kiosk-snapshots")
        for _ in range(7):
            centre.issue_ticket("licence-renewal")
        centre.pause_service("licence-lost", "system maintenance")
        kiosk = build_kiosk(centre, None, None, exit_pin="0000")
        kiosk.window.resize(1080, 1920)
        kiosk.start()
        try:
            for lang in ("ar", "en"):
                written += _render_language(kiosk, clock, folder, lang)
        finally:
            kiosk.stop()
            store.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m kiosk.snapshots FOLDER``: render the screens into FOLDER."""
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(args[0] if args else "assets/screens")
    for path in render_all(folder):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
