"""Booking QR payloads: plain references and signed TB1 codes."""

from __future__ import annotations

import base64
import json
from datetime import date, time

import pytest

from centre.errors import InvalidQr
from centre.rules.qr import parse_booking_qr


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def tb1(payload: dict[str, str], signature: bytes = b"s" * 64) -> str:
    return f"TB1.{_b64(json.dumps(payload).encode())}.{_b64(signature)}"


PAYLOAD = {
    "ref": "TRF-2026-0042",
    "centre": "traffic-dana",
    "service": "licence-renewal",
    "date": "2026-11-22",
    "slot": "09:30",
}


class RecordingVerifier:
    """Says yes or no, and keeps what it was asked."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.asked: list[tuple[bytes, bytes]] = []

    def verify(self, payload: bytes, signature: bytes) -> bool:
        self.asked.append((payload, signature))
        return self.answer


def test_plain_reference() -> None:
    qr = parse_booking_qr(" trf-2026-0042\n")
    assert qr.reference == "TRF-2026-0042"
    assert not qr.signed


def test_signed_without_key_is_read_but_not_verified() -> None:
    qr = parse_booking_qr(tb1(PAYLOAD))
    assert (qr.reference, qr.centre, qr.service) == (
        "TRF-2026-0042",
        "traffic-dana",
        "licence-renewal",
    )
    assert (qr.date, qr.slot) == (date(2026, 11, 22), time(9, 30))
    assert qr.signed
    assert not qr.verified


def test_signed_with_key_checks_the_payload_part_bytes() -> None:
    verifier = RecordingVerifier(True)
    code = tb1(PAYLOAD, b"\x01" * 64)
    qr = parse_booking_qr(code, verifier)
    assert qr.verified
    assert verifier.asked == [(code.split(".")[1].encode("ascii"), b"\x01" * 64)]


def test_bad_signature_is_refused() -> None:
    with pytest.raises(InvalidQr, match="signature"):
        parse_booking_qr(tb1(PAYLOAD), RecordingVerifier(False))


@pytest.mark.parametrize(
    "scanned",
    [
        "",
        "ABC",  # too short for a reference
        "https://example.com/booking?id=1",
        "'; DROP TABLE tickets; --",
        "\x00\x01\x02binary",
        "A" * 5000,
        "TB1.",
        "TB1.abc",
        "TB1.!!!.sig",
        "TB1." + _b64(b"not json") + "." + _b64(b"sig"),
        "TB1." + _b64(b"[1, 2]") + "." + _b64(b"sig"),
        tb1({"ref": "X"}),
        tb1({**PAYLOAD, "date": "tomorrow"}),
        tb1({**PAYLOAD, "ref": "bad ref!"}),
        "مرحبا",
    ],
)
def test_garbage_is_invalid_qr(scanned: str) -> None:
    with pytest.raises(InvalidQr):
        parse_booking_qr(scanned)
