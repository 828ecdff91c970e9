"""Signed booking QR payloads (``TB1.<payload>.<signature>``): Ed25519 signing and verification.

The contract (CONTRACTS.md section 3) says the signature is "Ed25519 over the
ASCII bytes of ``payload``", where ``payload`` is the part written in the QR.
Taboor reads that as the *base64url-encoded* payload part exactly as it stands
between the two dots, the way JWS signs its encoded header and payload: the
verifier never has to re-serialise JSON, and the signed bytes are ASCII by
construction. So a QR ``TB1.eyJyZWYi….<sig>`` is valid when
``Ed25519.verify(public_key, signature=b64url_decode(<sig>), data=b"eyJyZWYi…")``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import date, time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

PREFIX = "TB1."
SIGNATURE_BYTES = 64
REFERENCE_PATTERN = re.compile(r"^[A-Z0-9-]{6,32}$")
_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLOT_PATTERN = re.compile(r"^\d{2}:\d{2}$")
_B64URL_PATTERN = re.compile(r"^[A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class BookingQr:
    """The fields of a signed booking QR (it never carries a CPR)."""

    ref: str
    centre: str
    service: str
    date: str
    slot: str


def b64url_encode(data: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url without padding; raise ``ValueError`` on anything else."""
    if not _B64URL_PATTERN.match(text) or len(text) % 4 == 1:
        raise ValueError("not base64url without padding")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url without padding") from exc


def generate_private_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 signing key."""
    return Ed25519PrivateKey.generate()


def private_key_from_b64(text: str) -> Ed25519PrivateKey:
    """A signing key from base64 of its raw 32 bytes; ``ValueError`` when it is not one."""
    raw = _decode_b64_key(text, "private key")
    return Ed25519PrivateKey.from_private_bytes(raw)


def private_key_to_b64(key: Ed25519PrivateKey) -> str:
    """Base64 of the raw 32 bytes of a signing key (keep it secret)."""
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode("ascii")


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """Base64 of the raw 32-byte public key: the value of ``[central] qr_public_key``."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def sign_booking_qr(
    private_key: Ed25519PrivateKey,
    ref: str,
    centre: str,
    service: str,
    date: date | str,
    slot: time | str,
) -> str:
    """The ``TB1.<payload>.<signature>`` text of a booking QR, signed with ``private_key``.

    ``date`` is the appointment's day and ``slot`` its start (``HH:MM``), both
    in the centre's time; ``ref`` is the booking reference (``[A-Z0-9-]{6,32}``).
    """
    day = date.isoformat() if not isinstance(date, str) else date
    start = slot.strftime("%H:%M") if not isinstance(slot, str) else slot
    if not REFERENCE_PATTERN.match(ref):
        raise ValueError("a booking reference is 6 to 32 of A-Z, 0-9 and -")
    if not _DATE_PATTERN.match(day):
        raise ValueError("date must be YYYY-MM-DD")
    if not _SLOT_PATTERN.match(start):
        raise ValueError("slot must be HH:MM")
    if not centre or not service:
        raise ValueError("centre and service must not be empty")
    body = {"ref": ref, "centre": centre, "service": service, "date": day, "slot": start}
    payload_part = b64url_encode(
        json.dumps(body, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    )
    signature = private_key.sign(payload_part.encode("ascii"))
    return f"{PREFIX}{payload_part}.{b64url_encode(signature)}"


class Ed25519QrVerifier:
    """Checks booking QR signatures with the central's public key (``[central] qr_public_key``)."""

    def __init__(self, public_key_b64: str) -> None:
        raw = _decode_b64_key(public_key_b64, "public key")
        self._key = Ed25519PublicKey.from_public_bytes(raw)

    def __repr__(self) -> str:
        return f"Ed25519QrVerifier({public_key_b64(self._key)!r})"

    def verify(self, payload: bytes, signature: bytes) -> bool:
        """Whether ``signature`` (64 raw bytes) signs ``payload``.

        ``payload`` is the ASCII bytes of the QR's payload part *as written*
        (base64url, between ``TB1.`` and the second dot); ``signature`` is the
        base64url-decoded signature part. Never raises on a bad signature.
        """
        if len(signature) != SIGNATURE_BYTES:
            return False
        try:
            self._key.verify(signature, payload)
        except InvalidSignature:
            return False
        return True


def read_booking_qr(text: str, verifier: Ed25519QrVerifier) -> BookingQr | None:
    """The fields of a signed QR whose signature holds, else ``None``.

    A reference helper for tests and the simulator; the centre core parses
    QRs itself and calls :meth:`Ed25519QrVerifier.verify`.
    """
    if not text.startswith(PREFIX):
        return None
    parts = text[len(PREFIX) :].split(".")
    if len(parts) != 2:
        return None
    payload_part, signature_part = parts
    try:
        signature = b64url_decode(signature_part)
        body = json.loads(b64url_decode(payload_part))
    except ValueError:
        return None
    if not verifier.verify(payload_part.encode("ascii"), signature):
        return None
    fields = ("ref", "centre", "service", "date", "slot")
    if not isinstance(body, dict) or not all(isinstance(body.get(f), str) for f in fields):
        return None
    return BookingQr(*(body[f] for f in fields))


def _decode_b64_key(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"the {what} is not base64") from None
    if len(raw) != 32:
        raise ValueError(f"the {what} must be 32 raw bytes, base64-encoded")
    return raw
