"""What counts as a clean scan, and scanner settings."""

from __future__ import annotations

import pytest

from centre.serial_uri import SerialUri
from kiosk.scanner import BadScannerUri, clean_scan, parse_scanner_uri


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"TRF-2026-0042\r", "TRF-2026-0042"),
        ("  TB1.eyJy.c2ln\n", "TB1.eyJy.c2ln"),
        (b"https://example.com/?q=1", "https://example.com/?q=1"),  # the rules refuse it later
        (b"'; DROP TABLE tickets; --", "'; DROP TABLE tickets; --"),
    ],
)
def test_clean_scans_pass_through(raw: bytes | str, expected: str) -> None:
    assert clean_scan(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"   \r\n",
        b"\xff\xfe\x00binary",
        b"ABC\x00DEF",
        b"ABC\x1bDEF",
        b"A" * 5000,
        "\u202eevil",
    ],
)
def test_noise_is_not_a_scan(raw: bytes | str) -> None:
    assert clean_scan(raw) is None


def test_scanner_uri() -> None:
    assert parse_scanner_uri("serial:/dev/ttyACM0?baudrate=115200") == SerialUri(
        "/dev/ttyACM0", 115200
    )
    assert parse_scanner_uri("serial:/dev/ttyUSB1").baudrate == 9600


@pytest.mark.parametrize(
    "text", ["", "usb:1", "serial:", "serial:/dev/x?baudrate=fast", "serial:/dev/x?parity=E"]
)
def test_bad_scanner_uri_names_itself(text: str) -> None:
    with pytest.raises(BadScannerUri, match="bad scanner"):
        parse_scanner_uri(text)
