"""A booking's signed QR (TB1) scanned at the kiosk while the central link is down.

The booking was never pulled: the kiosk checks the Ed25519 signature with the
configured public key and gives the ticket. A forged QR, another centre's or
another day's is refused in one line, and nothing is issued.
"""

from __future__ import annotations

from datetime import timedelta
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
from sync.qr import Ed25519QrVerifier, generate_private_key, public_key_b64, sign_booking_qr
from tests.helpers import MORNING, socat_pair


def test_a_signed_qr_checks_in_a_booking_never_pulled_and_a_forged_one_does_not(
    qtbot: QtBot, sqlite_store: Store, config: CentreConfig, clock: FixedClock, tmp_path: Path
) -> None:
    central_key, forger_key = generate_private_key(), generate_private_key()
    with sqlite_store.write() as repo:
        repo.update_sync_state(link="offline", last_ok=None)
    centre, day = config.centre.id, MORNING.date()
    slot = (MORNING + timedelta(minutes=10)).time()

    def signed(ref: str, key: object = central_key, **changes: object) -> bytes:
        fields = {"centre": centre, "service": "licence-renewal", "date": day, "slot": slot}
        fields.update(changes)
        return sign_booking_qr(key, ref, **fields).encode() + b"\r\n"  # type: ignore[arg-type]

    kiosk_end, device_end = tmp_path / "kiosk", tmp_path / "scanner"
    scanner = config.scanner.model_copy(update={"scanner": f"serial:{kiosk_end}?baudrate=9600"})
    wired = config.model_copy(update={"scanner": scanner})
    verifier = Ed25519QrVerifier(public_key_b64(central_key))
    with socat_pair(kiosk_end, device_end):
        port = LocalCentre(sqlite_store, clock, wired, verifier=verifier, device="kiosk-test")
        kiosk = build_kiosk(port, None, None)
        qtbot.addWidget(kiosk.window)
        with qtbot.waitSignal(kiosk.bridge.connected_changed, timeout=5000):
            kiosk.start()
        vm = kiosk.view_model
        vm.set_language("en")
        try:
            with serial.Serial(str(device_end), 9600) as device:
                refused = [
                    signed("TD-FORGED-01", forger_key),
                    signed("TD-ELSEWHERE-1", centre="passports-isa-town"),
                    signed("TD-TOMORROW-1", date=day + timedelta(days=1)),
                ]
                said = []
                for line in refused:
                    vm.go_home()
                    qtbot.waitUntil(lambda: vm.screen is Screen.HOME and not vm.busy)
                    device.write(line)
                    qtbot.waitUntil(lambda: vm.screen is Screen.MESSAGE and not vm.busy)
                    said.append(kiosk.window.message_text.text())
                assert "not a booking" in said[0]
                assert "no appointment for you here today" in said[1]
                assert "not today" in said[2]
                assert all("\n" not in text.strip() for text in said)
                assert uc.tickets_of_day(sqlite_store, clock, config) == []

                vm.go_home()
                with qtbot.waitSignal(vm.ticket_issued, timeout=5000):
                    device.write(signed("TD-NEVERPULLED-7"))
            qtbot.waitUntil(lambda: vm.screen is Screen.TICKET and not vm.busy)
        finally:
            kiosk.stop()
    [view] = uc.tickets_of_day(sqlite_store, clock, config)
    assert view.ticket.number == "A001"
    assert view.ticket.appointment_id == "qr:TD-NEVERPULLED-7"
    assert kiosk.window.ticket_number.text() == "A001"
