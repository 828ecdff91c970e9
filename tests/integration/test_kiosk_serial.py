"""A serial scanner wired into the kiosk: a scan on the line checks the booking in."""

from __future__ import annotations

from pathlib import Path

import serial
from pytestqt.qtbot import QtBot

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.local import LocalCentre
from centre.store.unit_of_work import Store
from kiosk.app import build_kiosk
from kiosk.viewmodel import Screen
from tests.helpers import MORNING, make_appointment, socat_pair


def test_a_serial_scan_checks_in_and_noise_asks_again(
    qtbot: QtBot, sqlite_store: Store, config: CentreConfig, clock: FixedClock, tmp_path: Path
) -> None:
    booking = make_appointment(
        sqlite_store, cpr="990012345", service="licence-renewal", slot=MORNING
    )
    uc.store_appointments(sqlite_store, [booking])
    kiosk_end, device_end = tmp_path / "kiosk", tmp_path / "scanner"
    scanner = config.scanner.model_copy(update={"scanner": f"serial:{kiosk_end}?baudrate=9600"})
    wired = config.model_copy(update={"scanner": scanner})
    with socat_pair(kiosk_end, device_end):
        kiosk = build_kiosk(
            LocalCentre(sqlite_store, clock, wired, device="kiosk-test"), None, None
        )
        qtbot.addWidget(kiosk.window)
        with qtbot.waitSignal(kiosk.bridge.connected_changed, timeout=5000):
            kiosk.start()
        vm = kiosk.view_model
        try:
            with serial.Serial(str(device_end), 9600) as device:
                with qtbot.waitSignal(kiosk.bridge.noise, timeout=5000):
                    device.write(b"\xff\xfe\x00noise\r\n")
                assert vm.screen is Screen.MESSAGE
                vm.go_home()
                with qtbot.waitSignal(vm.ticket_issued, timeout=5000):
                    device.write(booking.reference.encode() + b"\r\n")
            qtbot.waitUntil(lambda: vm.screen is Screen.TICKET and not vm.busy)
            assert kiosk.window.ticket_number.text() == "A001"
        finally:
            kiosk.stop()
