"""The real kiosk, wired as ``run_kiosk`` wires it, printing on a virtual printer."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from kiosk.app import build_kiosk
from kiosk.viewmodel import Screen
from taboor.bootstrap import Centre
from taboor.printing import slip_for
from tests.helpers import MORNING, make_appointment
from tests.unit.printer.fakes import decode_qr_codes


def test_scan_a_booking_and_read_the_ticket_on_the_paper(
    qtbot: QtBot, sqlite_store: Store, config: CentreConfig, clock: FixedClock, tmp_path: Path
) -> None:
    booking = make_appointment(
        sqlite_store,
        cpr="990012345",
        service="licence-renewal",
        slot=MORNING + timedelta(minutes=5),
    )
    uc.store_appointments(sqlite_store, [booking])
    centre = Centre(config, sqlite_store, clock)
    paper = tmp_path / "paper"
    kiosk = build_kiosk(
        centre.port(device="kiosk-test"), partial(slip_for, config), f"virtual:{paper}"
    )
    qtbot.addWidget(kiosk.window)
    kiosk.start()
    try:
        window = kiosk.window
        assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft  # Arabic first
        with qtbot.waitSignal(kiosk.view_model.ticket_printed, timeout=15000):
            qtbot.keyClicks(window, booking.reference)
            qtbot.keyClick(window, Qt.Key.Key_Return)
        assert kiosk.view_model.screen is Screen.TICKET
        view = kiosk.view_model.ticket
        assert view is not None
        assert window.ticket_number.text() == view.ticket.number == "A001"
        [png] = sorted(paper.glob("*.png"))
        with Image.open(png) as image:
            assert decode_qr_codes(image) == [view.ticket.id]
    finally:
        kiosk.stop()
