"""Booking QR payloads (CONTRACTS.md section 3): plain references and signed ``TB1.`` codes."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import date, time
from typing import Protocol

from centre.errors import InvalidQr

REFERENCE = re.compile(r"^[A-Z0-9-]{6,32}$")
MAX_PAYLOAD = 2048


class QrVerifier(Protocol):
    """Checks the Ed25519 signature of a ``TB1.`` payload (the adapter lives in ``sync``)."""

    def verify(self, payload: bytes, signature: bytes) -> bool:
        """Whether ``signature`` signs ``payload`` (the ASCII bytes of the payload part)."""
        ...


@dataclass(frozen=True)
class BookingQr:
    """What a scanned booking QR says."""

    reference: str
    centre: str | None = None
    service: str | None = None
    date: date | None = None
    slot: time | None = None
    signed: bool = False
    verified: bool = False


def parse_booking_qr(scanned: str, verifier: QrVerifier | None = None) -> BookingQr:
    """Read a scanned payload; raise :class:`InvalidQr` when it is neither form.

    With a ``verifier``, a ``TB1.`` code must carry a valid signature.
    """
    text = scanned.strip()
    if len(text) > MAX_PAYLOAD or not text.isascii() or not text.isprintable():
        raise InvalidQr("this code is not a booking QR")
    if text.startswith("TB1."):
        return _parse_signed(text, verifier)
    reference = text.upper()
    if not REFERENCE.fullmatch(reference):
        raise InvalidQr("this code is not a booking QR")
    return BookingQr(reference=reference)


def _parse_signed(text: str, verifier: QrVerifier | None) -> BookingQr:
    parts = text.split(".")
    if len(parts) != 3 or not parts[1] or not parts[2]:
        raise InvalidQr("this booking QR is damaged")
    payload_part, signature_part = parts[1], parts[2]
    try:
        payload = json.loads(_b64url(payload_part))
        signature = _b64url(signature_part)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidQr("this booking QR is damaged") from None
    if not isinstance(payload, dict):
        raise InvalidQr("this booking QR is damaged")
    try:
        reference = str(payload["ref"]).upper()
        centre = str(payload["centre"])
        service = str(payload["service"])
        day = date.fromisoformat(str(payload["date"]))
        slot = time.fromisoformat(str(payload["slot"]))
    except (KeyError, ValueError):
        raise InvalidQr("this booking QR is damaged") from None
    if not REFERENCE.fullmatch(reference):
        raise InvalidQr("this booking QR is damaged")
    verified = False
    if verifier is not None:
        if not verifier.verify(payload_part.encode("ascii"), signature):
            raise InvalidQr("this booking QR's signature does not match")
        verified = True
    return BookingQr(reference, centre, service, day, slot, signed=True, verified=verified)


def _b64url(part: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]+", part):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
