"""A serial scanner on a real serial line (a socat pair): scans, noise, unplugging."""

from __future__ import annotations

import queue
import time
from pathlib import Path

import serial

from centre.retry import RetrySchedule
from centre.serial_uri import SerialUri
from kiosk.scanner import SerialScanner
from tests.helpers import socat_pair


class Heard:
    """What the kiosk would hear from the scanner, in order."""

    def __init__(self) -> None:
        self.items: queue.Queue[tuple[str, object]] = queue.Queue()

    def scan(self, text: str) -> None:
        self.items.put(("scan", text))

    def noise(self) -> None:
        self.items.put(("noise", None))

    def connected(self, up: bool) -> None:
        self.items.put(("connected", up))

    def next(self, timeout_s: float = 5.0) -> tuple[str, object]:
        return self.items.get(timeout=timeout_s)


def scanner_for(kiosk_end: Path, heard: Heard) -> SerialScanner:
    return SerialScanner(
        SerialUri(str(kiosk_end), 9600),
        heard.scan,
        on_noise=heard.noise,
        on_connected=heard.connected,
        retry=RetrySchedule(0.05, 0.05),
    )


def test_scans_noise_and_long_lines(tmp_path: Path) -> None:
    kiosk_end, device_end = tmp_path / "kiosk", tmp_path / "scanner"
    heard = Heard()
    with socat_pair(kiosk_end, device_end), scanner_for(kiosk_end, heard):
        assert heard.next() == ("connected", True)
        with serial.Serial(str(device_end), 9600) as device:
            device.write(b"TRF-2026-0042\r")
            assert heard.next() == ("scan", "TRF-2026-0042")
            device.write(b"\xff\xfe\x00\x01noise\n")
            assert heard.next() == ("noise", None)
            device.write(b"X" * 5000 + b"\r\n")  # one report for the whole long line
            assert heard.next() == ("noise", None)
            device.write(b"TB1.eyJ.c2ln\nTRF-2026-0043\r\n")  # two in one burst
            assert heard.next() == ("scan", "TB1.eyJ.c2ln")
            assert heard.next() == ("scan", "TRF-2026-0043")
            device.write(b"TRF-20")  # a scan split across reads
            device.flush()
            time.sleep(0.2)
            device.write(b"26-0044\r")
            assert heard.next() == ("scan", "TRF-2026-0044")
    assert heard.items.empty() or heard.next() == ("connected", False)


def test_unplugged_scanner_comes_back(tmp_path: Path) -> None:
    kiosk_end, device_end = tmp_path / "kiosk", tmp_path / "scanner"
    heard = Heard()
    scanner = scanner_for(kiosk_end, heard)
    scanner.start()
    try:
        with socat_pair(kiosk_end, device_end):
            assert heard.next() == ("connected", True)
        assert heard.next() == ("connected", False)  # the line went away
        with socat_pair(kiosk_end, device_end):
            assert heard.next() == ("connected", True)
            with serial.Serial(str(device_end), 9600) as device:
                device.write(b"TRF-2026-0045\n")
                assert heard.next() == ("scan", "TRF-2026-0045")
    finally:
        scanner.stop()
