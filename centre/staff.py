"""Staff: accounts with hashed PINs, signing in at a counter, breaks, the supervisor's PIN.

A wrong PIN counts against the account; after a few in a row sign-in waits,
longer each time (``centre.rules.pin.lock_after``). An unknown id gets the
same answer as a wrong PIN, so ids cannot be guessed from the message.
The PIN hash is checked outside the write transaction: scrypt takes tens of
milliseconds, and the centre's write lock is for calling tickets.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from centre.clock import Clock
from centre.config import CentreConfig
from centre.domain import CounterStatus, Event, EventType
from centre.errors import (
    BadInput,
    CounterNotOpen,
    NotAllowed,
    SignInLocked,
    UnknownStaff,
    WrongPin,
)
from centre.rules.cpr import mask_cprs_in
from centre.rules.pin import hash_pin, lock_after, parse_pin, pin_matches
from centre.store.repository import Repository
from centre.store.unit_of_work import Store
from centre.usecases import business_day, refuse_if_busy, resolve_counter

CLERK = "clerk"
SUPERVISOR = "supervisor"
ROLES = (CLERK, SUPERVISOR)
STAFF_ID_MAX = 16


@dataclass(frozen=True)
class StaffMember:
    """A clerk or supervisor, without the PIN."""

    id: str
    name_ar: str
    name_en: str
    role: str
    active: bool = True


def add_staff(
    store: Store,
    clock: Clock,
    staff_id: str,
    *,
    name_ar: str,
    name_en: str,
    role: str = CLERK,
    pin: str,
) -> StaffMember:
    """Create (or replace) a staff account with its PIN."""
    staff_id = _staff_id(staff_id)
    if role not in ROLES:
        raise BadInput(f"no role {role!r} (roles: {', '.join(ROLES)})")
    name_ar, name_en = " ".join(name_ar.split()), " ".join(name_en.split())
    if not name_ar or not name_en:
        raise BadInput("a staff member needs a name in Arabic and in English")
    values = {
        "id": staff_id,
        "name_ar": name_ar,
        "name_en": name_en,
        "role": role,
        "pin_hash": hash_pin(parse_pin(pin)),
        "failed_tries": 0,
        "locked_until": None,
        "active": True,
        "updated_at": clock.now(),
    }
    with store.write() as repo:
        repo.save_staff_member(values)
    return StaffMember(staff_id, name_ar, name_en, role)


def set_pin(store: Store, clock: Clock, staff_id: str, pin: str) -> None:
    """Give a staff member a new PIN, lifting any lock."""
    pin_hash = hash_pin(parse_pin(pin))
    with store.write() as repo:
        _existing(repo, staff_id)
        repo.update_staff_member(
            staff_id, pin_hash=pin_hash, failed_tries=0, locked_until=None, updated_at=clock.now()
        )


def set_active(store: Store, clock: Clock, staff_id: str, active: bool) -> None:
    """Let a staff member sign in again, or stop them (they leave the counter they hold)."""
    with store.write() as repo:
        _existing(repo, staff_id)
        repo.update_staff_member(staff_id, active=active, updated_at=clock.now())


def staff_list(store: Store) -> list[StaffMember]:
    """Every staff account, by id."""
    with store.read() as repo:
        return [_member(row) for row in repo.staff_members()]


def staff_member(store: Store, staff_id: str) -> StaffMember | None:
    """One staff account, if it exists."""
    with store.read() as repo:
        row = repo.staff_member(staff_id)
    return _member(row) if row is not None else None


def check_pin(
    store: Store, clock: Clock, staff_id: str, pin: str, role: str | None = None
) -> StaffMember:
    """The staff member whose id and PIN these are, or :class:`WrongPin` / :class:`SignInLocked`.

    ``role``: refuse (:class:`NotAllowed`) anyone without it.
    """
    typed = parse_pin(pin)
    staff_id = staff_id.strip()
    with store.read() as repo:
        row = repo.staff_member(staff_id)
    now = clock.now()
    if row is not None and (wait := _locked_for(row.locked_until, now)) is not None:
        raise SignInLocked(f"too many wrong PINs: try again in {wait} s", seconds=wait)
    if row is None or not row.active:
        # Spend the same time as a real check: the answer must not tell ids apart.
        pin_matches(typed, _decoy())
        raise WrongPin("wrong staff id or PIN")
    matches = pin_matches(typed, row.pin_hash)
    lock = timedelta(0)
    with store.write() as repo:
        fresh = repo.staff_member(staff_id)
        assert fresh is not None  # accounts are never deleted
        if matches:
            if fresh.failed_tries or fresh.locked_until is not None:
                repo.update_staff_member(staff_id, failed_tries=0, locked_until=None)
        else:
            tries = fresh.failed_tries + 1
            lock = lock_after(tries)
            repo.update_staff_member(
                staff_id, failed_tries=tries, locked_until=now + lock if lock else None
            )
    if not matches:
        if lock:
            seconds = math.ceil(lock.total_seconds())
            raise WrongPin(f"wrong staff id or PIN; wait {seconds} s to try again", seconds=seconds)
        raise WrongPin("wrong staff id or PIN")
    member = _member(row)
    if role is not None and member.role != role:
        raise NotAllowed(f"{member.name_en} is not a {role}", role=role)
    return member


def sign_in(
    store: Store, clock: Clock, config: CentreConfig, counter_id: str, staff_id: str, pin: str
) -> StaffMember:
    """Sign a clerk in at a counter (leaving any other counter they were signed in at)."""
    counter = resolve_counter(config, counter_id)
    member = check_pin(store, clock, staff_id, pin)
    now = clock.now()
    with store.write() as repo:
        elsewhere = repo.counter_of_staff(member.id)
        if elsewhere is not None and elsewhere != counter.id:
            _leave(repo, repo.counter_status(elsewhere), now)
        status = repo.counter_status(counter.id)
        if status.staff_id == member.id:
            return member
        if status.staff_id is not None:
            repo.append(_staff_event(EventType.STAFF_SIGNED_OUT, now, counter.id, status.staff_id))
        status.staff_id = member.id
        repo.save_counter(status, now)
        repo.append(_staff_event(EventType.STAFF_SIGNED_IN, now, counter.id, member.id))
    return member


def sign_out(store: Store, clock: Clock, config: CentreConfig, counter_id: str) -> None:
    """The clerk leaves the counter: it closes. It must have finished its ticket."""
    counter = resolve_counter(config, counter_id)
    now = clock.now()
    with store.write() as repo:
        _leave(repo, repo.counter_status(counter.id), now)


def signed_in(store: Store, config: CentreConfig, counter_id: str) -> StaffMember | None:
    """Who is signed in at a counter."""
    counter = resolve_counter(config, counter_id)
    with store.read() as repo:
        staff_id = repo.counter_status(counter.id).staff_id
        row = repo.staff_member(staff_id) if staff_id else None
    return _member(row) if row is not None else None


def start_break(
    store: Store, clock: Clock, config: CentreConfig, counter_id: str, reason: str = ""
) -> None:
    """Pause an open counter: it calls nobody until the break ends (or its clerk calls next)."""
    counter = resolve_counter(config, counter_id)
    now = clock.now()
    day = business_day(config, now)
    with store.write() as repo:
        refuse_if_busy(repo, counter.id)
        status = repo.counter_status(counter.id)
        if not (status.is_open and status.business_day == day):
            raise CounterNotOpen(f"counter {counter.id} is not open", counter=counter.id)
        if status.on_break:
            return
        status.on_break = True
        status.break_since = now
        repo.save_counter(status, now)
        repo.append(
            [
                Event.new(
                    EventType.BREAK_STARTED,
                    now,
                    counter=counter.id,
                    data={"staff": status.staff_id, "reason": mask_cprs_in(reason)[:80]},
                )
            ]
        )


def end_break(store: Store, clock: Clock, config: CentreConfig, counter_id: str) -> None:
    """The counter is back from its break."""
    counter = resolve_counter(config, counter_id)
    now = clock.now()
    with store.write() as repo:
        status = repo.counter_status(counter.id)
        if status.on_break:
            repo.append(status.end_break(now))
            repo.save_counter(status, now)


@cache
def _decoy() -> str:
    # A hash of a PIN nobody has, checked when the id is unknown.
    return hash_pin(secrets.token_hex(4)[:8].translate(_HEX_TO_DIGITS))


_HEX_TO_DIGITS = str.maketrans("abcdef", "012345")


def _leave(repo: Repository, status: CounterStatus, now: datetime) -> None:
    refuse_if_busy(repo, status.id)
    events = status.end_break(now)
    if status.is_open:
        status.is_open = False
        events.append(Event.new(EventType.COUNTER_CLOSED, now, counter=status.id))
    if status.staff_id is not None:
        events.extend(_staff_event(EventType.STAFF_SIGNED_OUT, now, status.id, status.staff_id))
        status.staff_id = None
    repo.save_counter(status, now)
    repo.append(events)


def _staff_event(kind: EventType, at: datetime, counter: str, staff_id: str) -> list[Event]:
    return [Event.new(kind, at, counter=counter, data={"staff": staff_id})]


def _locked_for(until: datetime | None, now: datetime) -> int | None:
    if until is None or until <= now:
        return None
    return math.ceil((until - now).total_seconds())


def _staff_id(raw: str) -> str:
    staff_id = raw.strip()
    if not (0 < len(staff_id) <= STAFF_ID_MAX) or not staff_id.replace("-", "").isalnum():
        raise BadInput(f"a staff id has 1 to {STAFF_ID_MAX} letters, digits or dashes")
    return staff_id


def _existing(repo: Repository, staff_id: str) -> Any:
    row = repo.staff_member(staff_id)
    if row is None:
        raise UnknownStaff(f"no staff member {staff_id!r}", staff=staff_id)
    return row


def _member(row: Any) -> StaffMember:
    return StaffMember(row.id, row.name_ar, row.name_en, row.role, bool(row.active))


__all__ = [
    "CLERK",
    "ROLES",
    "SUPERVISOR",
    "StaffMember",
    "add_staff",
    "check_pin",
    "end_break",
    "set_active",
    "set_pin",
    "sign_in",
    "sign_out",
    "signed_in",
    "staff_list",
    "staff_member",
    "start_break",
]
