"""Devices enrolled with the centre server: their roles, tokens, pairing codes and sessions.

A device (a kiosk, a counter PC, a hall screen, a supervisor's PC, an
integrator) holds a random token of at least 256 bits; the store keeps only
its SHA-256, so a copy of the database gives away no token. A browser display
is enrolled with a one-time pairing code instead, which the browser spends
for its token. Revoking a device takes effect at once: its token stops
working and the server closes its streams when the ``device_revoked`` event
reaches them. A supervisor signs in *on* their device: the server lets that
device do the supervisor's reads and actions until they sign out or the day
ends.

Everything here is written through the store, so ``taboor device add`` on the
server machine takes effect on the running server at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from centre.clock import Clock
from centre.config import CentreConfig
from centre.domain import Event, EventType
from centre.errors import BadInput, DeviceRefused, UnknownDevice
from centre.store.repository import Repository
from centre.store.unit_of_work import Store
from centre.usecases import business_day, resolve_counter

KIOSK = "kiosk"
HALL = "hall"
COUNTER = "counter"
SUPERVISOR = "supervisor"
INTEGRATOR = "integrator"
ROLES = (KIOSK, HALL, COUNTER, SUPERVISOR, INTEGRATOR)
#: Roles that can be a browser display paired with a one-time link.
LINK_ROLES = (HALL, COUNTER)
#: How long a pairing link may wait to be opened.
PAIRING_HOURS = 24
#: A token is this prefix and 43 characters of base64url: 256 random bits.
TOKEN_PREFIX = "tbd_"  # noqa: S105 - a prefix that marks a token, not a secret
_TOKEN_BYTES = 32
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class EnrolledDevice:
    """A device as the centre knows it (never its token)."""

    name: str
    role: str
    counter: str | None
    created_at: datetime
    revoked_at: datetime | None = None
    last_seen: datetime | None = None
    last_address: str | None = None
    paired: bool = True
    pairing_expires: datetime | None = None
    supervisor: str | None = None
    supervisor_since: datetime | None = None

    @property
    def active(self) -> bool:
        """Whether it may connect (enrolled, not revoked)."""
        return self.revoked_at is None

    def supervisor_signed_in(self, config: CentreConfig, now: datetime) -> str | None:
        """The supervisor signed in on this device today, if any."""
        since = self.supervisor_since
        if self.supervisor is None or since is None:
            return None
        if business_day(config, since) != business_day(config, now):
            return None
        return self.supervisor


@dataclass(frozen=True)
class Enrolment:
    """A device just enrolled, with the one secret it is given once: a token or a pairing code."""

    device: EnrolledDevice
    token: str | None = None
    pairing_code: str | None = None


def token_digest(secret: str) -> str:
    """The SHA-256 (hex) of a token or pairing code, as the store keeps it."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh device token: 256 random bits, base64url, with a recognisable prefix."""
    return TOKEN_PREFIX + secrets.token_urlsafe(_TOKEN_BYTES)


def add_device(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    name: str,
    role: str,
    counter: str | None = None,
    *,
    link: bool = False,
) -> Enrolment:
    """Enrol a device; its token (or with ``link``, a one-time pairing code) is returned once.

    A ``counter`` device is bound to one counter. A name in use by a device not
    revoked is refused; a revoked one's name may be given to a new device.
    """
    name = name.strip()
    if not _NAME.match(name):
        raise BadInput(
            "a device name has 1 to 64 letters, digits, dots, dashes or underscores", name=name
        )
    if role not in ROLES:
        raise BadInput(f"no role {role!r} (roles: {', '.join(ROLES)})", role=role)
    if role == COUNTER:
        if counter is None:
            raise BadInput("a counter device needs --counter C")
        counter = resolve_counter(config, counter).id
    elif counter is not None:
        raise BadInput(f"only a counter device has a counter, not a {role} device")
    if link and role not in LINK_ROLES:
        raise BadInput(f"only {' and '.join(LINK_ROLES)} displays pair with a link")
    now = clock.now()
    token = pairing = None
    values: dict[str, Any] = {
        "name": name,
        "role": role,
        "counter": counter,
        "token_hash": None,
        "pairing_hash": None,
        "pairing_expires": None,
        "created_at": now,
        "revoked_at": None,
        "last_seen": None,
        "last_address": None,
        "supervisor": None,
        "supervisor_since": None,
    }
    if link:
        pairing = secrets.token_urlsafe(18)
        values["pairing_hash"] = token_digest(pairing)
        values["pairing_expires"] = now + timedelta(hours=PAIRING_HOURS)
    else:
        token = new_token()
        values["token_hash"] = token_digest(token)
    with store.write() as repo:
        existing = repo.enrolled_device(name)
        if existing is not None and existing.revoked_at is None:
            raise BadInput(f"a device named {name!r} exists: revoke it first", name=name)
        repo.save_enrolled_device(values)
        repo.append(
            [
                Event.new(
                    EventType.DEVICE_ADDED,
                    now,
                    counter=counter,
                    data={"device": name, "role": role, "link": link},
                )
            ]
        )
    return Enrolment(enrolled_device(values), token=token, pairing_code=pairing)


def revoke_device(store: Store, clock: Clock, name: str) -> EnrolledDevice:
    """Stop a device at once: its token no longer works and its streams close.

    Revoking a revoked device changes nothing; an unknown name is
    :class:`UnknownDevice`.
    """
    now = clock.now()
    name = name.strip()
    if not _NAME.match(name):
        # No device was ever given such a name: nothing to look up.
        raise UnknownDevice(f"no device named {name[:64]!r}", device=name[:64])
    with store.write() as repo:
        row = repo.enrolled_device(name)
        if row is None:
            raise UnknownDevice(f"no device named {name!r}", device=name)
        if row.revoked_at is not None:
            return enrolled_device(row._mapping)
        repo.update_enrolled_device(
            row.name,
            revoked_at=now,
            pairing_hash=None,
            pairing_expires=None,
            supervisor=None,
            supervisor_since=None,
        )
        return _changed(repo, row, EventType.DEVICE_REVOKED, now)


def device_list(store: Store) -> list[EnrolledDevice]:
    """Every device ever enrolled, by name (revoked ones too)."""
    with store.read() as repo:
        return [enrolled_device(row._mapping) for row in repo.enrolled_devices()]


def device_named(store: Store, name: str) -> EnrolledDevice | None:
    """One enrolled device as the store has it now."""
    with store.read() as repo:
        row = repo.enrolled_device(name)
    return enrolled_device(row._mapping) if row is not None else None


def authenticate(store: Store, token: str) -> EnrolledDevice:
    """The device holding ``token``, or :class:`DeviceRefused` (unknown or revoked)."""
    digest = token_digest(token)
    with store.read() as repo:
        row = repo.enrolled_device_by_token(digest)
    # The index found it by digest; compare in constant time all the same.
    if row is None or not hmac.compare_digest(str(row.token_hash), digest):
        raise DeviceRefused("unknown device token")
    if row.revoked_at is not None:
        raise DeviceRefused(f"device {row.name} was revoked")
    return enrolled_device(row._mapping)


def pair_device(store: Store, clock: Clock, code: str) -> Enrolment:
    """Spend a pairing code: the browser that opened the link gets the device's token, once."""
    digest = token_digest(code.strip())
    now = clock.now()
    token = new_token()
    with store.write() as repo:
        row = repo.enrolled_device_by_pairing(digest)
        if row is None or not hmac.compare_digest(str(row.pairing_hash), digest):
            raise DeviceRefused("this pairing link is not valid, or was used already")
        if row.revoked_at is not None:
            raise DeviceRefused(f"device {row.name} was revoked")
        if row.pairing_expires is not None and row.pairing_expires <= now:
            raise DeviceRefused("this pairing link has expired: make a new one")
        repo.update_enrolled_device(
            row.name, token_hash=token_digest(token), pairing_hash=None, pairing_expires=None
        )
        paired = _changed(repo, row, EventType.DEVICE_PAIRED, now)
    return Enrolment(paired, token=token)


def record_seen(store: Store, clock: Clock, name: str, address: str | None) -> None:
    """Note that a device was heard from just now (for the supervisor's device health)."""
    with store.write() as repo:
        repo.update_enrolled_device(
            name, last_seen=clock.now(), last_address=(address or "")[:64] or None
        )


def set_supervisor(store: Store, clock: Clock, name: str, staff_id: str | None) -> None:
    """Sign a supervisor in on a device (``None``: sign them out)."""
    now = clock.now()
    with store.write() as repo:
        row = repo.enrolled_device(name)
        if row is None:
            raise DeviceRefused(f"no device named {name!r}")
        previous = row.supervisor
        if previous is None and staff_id is None:
            return
        repo.update_enrolled_device(
            name, supervisor=staff_id, supervisor_since=now if staff_id is not None else None
        )
        events = []
        if previous is not None and previous != staff_id:
            events.append(
                Event.new(
                    EventType.SUPERVISOR_SIGNED_OUT, now, data={"staff": previous, "device": name}
                )
            )
        if staff_id is not None:
            events.append(
                Event.new(
                    EventType.SUPERVISOR_SIGNED_IN, now, data={"staff": staff_id, "device": name}
                )
            )
        repo.append(events)


def _changed(repo: Repository, row: Any, kind: EventType, now: datetime) -> EnrolledDevice:
    # The event saying what happened to a device (never its token), and the device now.
    event = Event.new(kind, now, counter=row.counter, data={"device": row.name, "role": row.role})
    repo.append([event])
    updated = repo.enrolled_device(row.name)
    assert updated is not None  # devices are never deleted
    return enrolled_device(updated._mapping)


def enrolled_device(row: Any) -> EnrolledDevice:
    """An enrolled device from its row (a mapping of the ``enrolled_devices`` table)."""
    return EnrolledDevice(
        name=row["name"],
        role=row["role"],
        counter=row["counter"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
        last_seen=row["last_seen"],
        last_address=row["last_address"],
        paired=row["token_hash"] is not None,
        pairing_expires=row["pairing_expires"],
        supervisor=row["supervisor"],
        supervisor_since=row["supervisor_since"],
    )


__all__ = [
    "COUNTER",
    "HALL",
    "INTEGRATOR",
    "KIOSK",
    "LINK_ROLES",
    "ROLES",
    "SUPERVISOR",
    "EnrolledDevice",
    "Enrolment",
    "add_device",
    "authenticate",
    "device_list",
    "device_named",
    "enrolled_device",
    "new_token",
    "pair_device",
    "record_seen",
    "revoke_device",
    "set_supervisor",
    "token_digest",
]
