"""Staff PINs: what a PIN may be, how it is kept (salted scrypt) and how wrong tries slow down."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

from centre.errors import InvalidPin
from centre.rules.cpr import LATIN_DIGITS

PIN_MIN = 4
PIN_MAX = 8
# scrypt cost: about 16 MB and a few tens of milliseconds, once per sign-in.
_N, _R, _P = 2**14, 8, 1
_SCHEME = "scrypt"
# Wrong tries allowed before sign-in starts to wait, and the longest wait.
FREE_TRIES = 3
FIRST_LOCK = timedelta(seconds=15)
LONGEST_LOCK = timedelta(minutes=15)


def parse_pin(typed: str) -> str:
    """The ASCII digits of a typed PIN (Arabic-Indic digits accepted), or :class:`InvalidPin`."""
    cleaned = typed.strip().translate(LATIN_DIGITS)
    if not (cleaned.isascii() and cleaned.isdigit() and PIN_MIN <= len(cleaned) <= PIN_MAX):
        raise InvalidPin(f"a PIN has {PIN_MIN} to {PIN_MAX} digits")
    return cleaned


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of a PIN, with its parameters, for the store."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join(
        [_SCHEME, str(_N), str(_R), str(_P), _b64(salt), _b64(digest)],
    )


def pin_matches(pin: str, stored: str) -> bool:
    """Whether ``pin`` is the one ``stored`` was made from (constant-time compare)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != _SCHEME:
            return False
        expected = base64.urlsafe_b64decode(digest + "==")
        actual = hashlib.scrypt(
            pin.encode(),
            salt=base64.urlsafe_b64decode(salt + "=="),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def lock_after(failed_tries: int) -> timedelta:
    """How long sign-in waits after ``failed_tries`` wrong PINs in a row: nothing for the
    first few, then doubling up to a cap."""
    if failed_tries < FREE_TRIES:
        return timedelta(0)
    doublings = min(failed_tries - FREE_TRIES, 10)
    wait: timedelta = FIRST_LOCK * 2**doublings
    return min(wait, LONGEST_LOCK)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
