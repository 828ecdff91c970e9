"""The visitor's phone links: a ticket's keyed MAC, the hall's rotating join codes, phone keys.

A ticket's link is ``{public url}/t/{ticket id}.{mac}``: the MAC (96 bits of
HMAC-SHA256 under the centre's secret, base64url) makes the link unguessable
from a ticket number or id alone. The hall's paperless-ticket code is
``{window}.{mac}`` for the current time window (one a minute by default);
the current and the previous window's codes are accepted, so only someone who
can see the hall (or was shown the code within the last minute or two) can
take a ticket. Every check compares in constant time and says only yes or no.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import datetime

#: Bytes of MAC kept in a ticket's link (96 bits) and in a join code (64 bits).
TICKET_MAC_BYTES = 12
JOIN_MAC_BYTES = 8
_REF = re.compile(r"^([0-9a-f-]{36})\.([A-Za-z0-9_-]{16})$")
_CODE = re.compile(r"^([0-9]{1,12})\.([A-Za-z0-9_-]{11})$")
PHONE_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _mac(secret: bytes, purpose: str, value: str, size: int) -> str:
    digest = hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:size]).rstrip(b"=").decode()


def ticket_ref(secret: bytes, ticket_id: str) -> str:
    """The part of a ticket's link after ``/t/``: its id and MAC."""
    return f"{ticket_id}.{_mac(secret, 'ticket', ticket_id, TICKET_MAC_BYTES)}"


def ticket_of_ref(secret: bytes, ref: str) -> str | None:
    """The ticket id of a link's ref when its MAC is right, else None (never which failed)."""
    found = _REF.match(ref)
    if found is None:
        # Still spend a MAC's time, so a malformed ref answers like a forged one.
        hmac.compare_digest(_mac(secret, "ticket", ref, TICKET_MAC_BYTES), "x" * 16)
        return None
    ticket_id, mac = found.groups()
    expected = _mac(secret, "ticket", ticket_id, TICKET_MAC_BYTES)
    return ticket_id if hmac.compare_digest(expected, mac) else None


def join_window(now: datetime, seconds: int) -> int:
    """The number of the time window ``now`` falls in."""
    return int(now.timestamp()) // seconds


def join_code(secret: bytes, window: int) -> str:
    """The hall's paperless-ticket code of a time window."""
    return f"{window}.{_mac(secret, 'join', str(window), JOIN_MAC_BYTES)}"


def join_code_valid(secret: bytes, code: str, now: datetime, seconds: int) -> bool:
    """Whether ``code`` is the current or the previous window's code."""
    found = _CODE.match(code)
    if found is None:
        return False
    window = int(found.group(1))
    current = join_window(now, seconds)
    expected = join_code(secret, window)
    return hmac.compare_digest(expected, code) and current - 1 <= window <= current


def phone_key(secret: bytes, phone_id: str) -> str:
    """What the store keeps of a phone's own random id (a keyed digest)."""
    return hmac.new(secret, f"phone:{phone_id}".encode(), hashlib.sha256).hexdigest()


__all__ = [
    "PHONE_ID",
    "join_code",
    "join_code_valid",
    "join_window",
    "phone_key",
    "ticket_of_ref",
    "ticket_ref",
]
