"""Signed booking QRs: signing, verifying, and agreement with the centre's parser."""

from __future__ import annotations

import base64
import json
from datetime import date, time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from centre.errors import InvalidQr
from centre.rules.qr import parse_booking_qr
from sync.qr import (
    BookingQr,
    Ed25519QrVerifier,
    b64url_decode,
    b64url_encode,
    generate_private_key,
    private_key_from_b64,
    private_key_to_b64,
    public_key_b64,
    read_booking_qr,
    sign_booking_qr,
)

# RFC 8032's first test seed, 00 01 … 1f; Ed25519 signatures are deterministic, so
# this vector pins the wire format for any other implementation of the central.
VECTOR_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
VECTOR_PUBLIC = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
VECTOR_QR = (
    "TB1.eyJyZWYiOiJURC0yNjExMjItMDA0MiIsImNlbnRyZSI6InRyYWZmaWMtZGFuYSIsInNlcnZpY2UiOiJs"
    "aWNlbmNlLXJlbmV3YWwiLCJkYXRlIjoiMjAyNi0xMS0yMiIsInNsb3QiOiIwOTozMCJ9"
    ".kQMPZEro8wgB1nXurA3DOezouXUZK5xh6MMR0qCwCW4SaRrVytv55MlWujbE40puOuiElErLMsw85Jtm4_t0BQ"
)


def sign_sample(key: Ed25519PrivateKey = VECTOR_KEY) -> str:
    return sign_booking_qr(
        key, "TD-261122-0042", "traffic-dana", "licence-renewal", "2026-11-22", "09:30"
    )


def split(qr: str) -> tuple[str, str]:
    prefix, payload, signature = qr.split(".")
    assert prefix == "TB1"
    return payload, signature


def test_known_vector() -> None:
    assert public_key_b64(VECTOR_KEY) == VECTOR_PUBLIC
    assert sign_sample() == VECTOR_QR


def test_payload_is_the_contract_json_in_base64url_without_padding() -> None:
    payload, signature = split(sign_sample())
    assert "=" not in payload + signature
    assert json.loads(b64url_decode(payload)) == {
        "ref": "TD-261122-0042",
        "centre": "traffic-dana",
        "service": "licence-renewal",
        "date": "2026-11-22",
        "slot": "09:30",
    }
    assert len(b64url_decode(signature)) == 64


def test_signature_is_over_the_ascii_bytes_of_the_encoded_payload_part() -> None:
    payload, signature = split(sign_sample())
    public = VECTOR_KEY.public_key()
    public.verify(b64url_decode(signature), payload.encode("ascii"))  # raises if not


def test_verifier_accepts_the_right_signature() -> None:
    payload, signature = split(sign_sample())
    verifier = Ed25519QrVerifier(VECTOR_PUBLIC)
    assert verifier.verify(payload.encode("ascii"), b64url_decode(signature))


def test_verifier_refuses_a_signature_over_the_decoded_json() -> None:
    payload, _ = split(sign_sample())
    decoded = b64url_decode(payload)
    wrong = VECTOR_KEY.sign(decoded)
    assert not Ed25519QrVerifier(VECTOR_PUBLIC).verify(payload.encode("ascii"), wrong)


@pytest.mark.parametrize("flip", [0, 10, 63])
def test_verifier_refuses_a_tampered_signature(flip: int) -> None:
    payload, signature = split(sign_sample())
    raw = bytearray(b64url_decode(signature))
    raw[flip] ^= 0x01
    assert not Ed25519QrVerifier(VECTOR_PUBLIC).verify(payload.encode("ascii"), bytes(raw))


def test_verifier_refuses_a_tampered_payload() -> None:
    payload, signature = split(sign_sample())
    body = json.loads(b64url_decode(payload))
    body["date"] = "2026-11-23"
    forged = b64url_encode(json.dumps(body, separators=(",", ":")).encode())
    verifier = Ed25519QrVerifier(VECTOR_PUBLIC)
    assert not verifier.verify(forged.encode("ascii"), b64url_decode(signature))


def test_verifier_refuses_another_key() -> None:
    payload, signature = split(sign_sample(generate_private_key()))
    assert not Ed25519QrVerifier(VECTOR_PUBLIC).verify(
        payload.encode("ascii"), b64url_decode(signature)
    )


@pytest.mark.parametrize("signature", [b"", b"\x00" * 63, b"\x00" * 65])
def test_verifier_refuses_signatures_of_the_wrong_length(signature: bytes) -> None:
    payload, _ = split(sign_sample())
    assert not Ed25519QrVerifier(VECTOR_PUBLIC).verify(payload.encode("ascii"), signature)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "not base64!",
        base64.b64encode(b"\x01" * 31).decode(),
        base64.b64encode(b"\x01" * 33).decode(),
    ],
)
def test_verifier_refuses_a_malformed_public_key(key: str) -> None:
    with pytest.raises(ValueError, match="public key"):
        Ed25519QrVerifier(key)


def test_private_key_round_trips_through_base64() -> None:
    key = generate_private_key()
    again = private_key_from_b64(private_key_to_b64(key))
    assert public_key_b64(again) == public_key_b64(key)


def test_verifier_repr_shows_only_the_public_key() -> None:
    assert repr(Ed25519QrVerifier(VECTOR_PUBLIC)) == f"Ed25519QrVerifier({VECTOR_PUBLIC!r})"


def test_sign_takes_dates_and_times() -> None:
    qr = sign_booking_qr(
        VECTOR_KEY,
        "TD-261122-0042",
        "traffic-dana",
        "licence-renewal",
        date(2026, 11, 22),
        time(9, 30),
    )
    assert qr == VECTOR_QR


@pytest.mark.parametrize(
    ("ref", "day", "slot"),
    [
        ("short", "2026-11-22", "09:30"),
        ("lower-case-ref", "2026-11-22", "09:30"),
        ("TD-261122-0042", "22/11/2026", "09:30"),
        ("TD-261122-0042", "2026-11-22", "9:30"),
    ],
)
def test_sign_refuses_fields_outside_the_contract(ref: str, day: str, slot: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (the message varies by field)
        sign_booking_qr(VECTOR_KEY, ref, "traffic-dana", "licence-renewal", day, slot)


def test_read_booking_qr_gives_the_fields_of_a_good_code() -> None:
    assert read_booking_qr(sign_sample(), Ed25519QrVerifier(VECTOR_PUBLIC)) == BookingQr(
        "TD-261122-0042", "traffic-dana", "licence-renewal", "2026-11-22", "09:30"
    )


@pytest.mark.parametrize(
    "text",
    ["TD-261122-0042", "TB1.", "TB1.a.b.c", "TB1.!!.??", VECTOR_QR[:-2] + "AA", VECTOR_QR + "="],
)
def test_read_booking_qr_refuses_anything_else(text: str) -> None:
    assert read_booking_qr(text, Ed25519QrVerifier(VECTOR_PUBLIC)) is None


@pytest.mark.parametrize("text", ["a=", "a+b", "a/b", "a b", "abcde"])
def test_b64url_decode_refuses_padding_and_foreign_alphabets(text: str) -> None:
    with pytest.raises(ValueError, match="base64url"):
        b64url_decode(text)


def test_the_centre_parser_accepts_our_codes_with_our_verifier() -> None:
    booking = parse_booking_qr(sign_sample(), Ed25519QrVerifier(VECTOR_PUBLIC))
    assert booking.verified
    assert (booking.reference, booking.centre, booking.service) == (
        "TD-261122-0042",
        "traffic-dana",
        "licence-renewal",
    )
    assert (booking.date, booking.slot) == (date(2026, 11, 22), time(9, 30))


def test_the_centre_parser_refuses_a_code_signed_by_another_key() -> None:
    with pytest.raises(InvalidQr):
        parse_booking_qr(sign_sample(generate_private_key()), Ed25519QrVerifier(VECTOR_PUBLIC))


@given(
    ref=st.from_regex(r"\A[A-Z0-9-]{6,32}\Z"),
    centre=st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,31}\Z"),
    service=st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,31}\Z"),
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    slot=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
def test_every_signed_code_reads_back(
    ref: str, centre: str, service: str, day: date, slot: time
) -> None:
    qr = sign_booking_qr(VECTOR_KEY, ref, centre, service, day, slot)
    assert read_booking_qr(qr, Ed25519QrVerifier(VECTOR_PUBLIC)) == BookingQr(
        ref, centre, service, day.isoformat(), slot.strftime("%H:%M")
    )
