"""Reading the facts of some days from the tickets, the event log, ratings and bookings.

Used for the days not rolled up (today, mostly) and to roll a closed day up.
Each run of consecutive days is read with a handful of range queries: tickets
and ratings by business day, ``called`` and staff events by type and time (the
``(business_day, number)`` and ``(type, at)`` indexes).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from centre.config import CentreConfig
from centre.domain import AppointmentStatus, EventType, Source, TicketState
from centre.reports.core import ClerkTime, Facts, Visit
from centre.store import schema
from centre.store.repository import Repository

_STAFF_EVENTS = (EventType.STAFF_SIGNED_IN.value, EventType.STAFF_SIGNED_OUT.value)
_DESK_EVENTS = (
    *_STAFF_EVENTS,
    EventType.BREAK_STARTED.value,
    EventType.BREAK_ENDED.value,
)


#: How far back a clerk's sign-in is looked for: one signed in longer ago, and still
#: signed in, is not known as the clerk of a call.
CLERK_MEMORY = timedelta(days=7)


@dataclass(frozen=True)
class FirstCall:
    """A ticket's earliest ``called`` event."""

    seq: int
    at: datetime
    counter: str | None
    service: str | None


def runs(days: Sequence[date]) -> Iterator[tuple[date, date]]:
    """The runs of consecutive days in ``days`` (in order), as (first, last)."""
    ordered = sorted(set(days))
    if not ordered:
        return
    first = last = ordered[0]
    for day in ordered[1:]:
        if day != last + timedelta(days=1):
            yield first, last
            first = day
        last = day
    yield first, last


def raw_facts(repo: Repository, config: CentreConfig, days: Sequence[date], now: datetime) -> Facts:
    """The facts of ``days``, read from the tickets and the log.

    Bookings count only for days before ``now``'s business day: until its day
    closes, a booking not yet checked in may still come.
    """
    facts = Facts()
    for first, last in runs(days):
        facts.merge(_run(repo, config, first, last, now))
    return facts


def _run(repo: Repository, config: CentreConfig, start: date, end: date, now: datetime) -> Facts:
    zone = config.centre.zone
    # A ticket is called only on its own business day, so its calls lie within the run.
    since = datetime.combine(start, time(0), zone)
    until = datetime.combine(end + timedelta(days=1), time(0), zone)
    max_wait = {s.code: s.max_wait_minutes * 60 for s in config.services}
    tickets = _tickets(repo, start, end)
    calls, last_calls = _calls(repo, since, until, zone)
    clerks = _clerks_at(repo, since - CLERK_MEMORY, until)
    ratings = _ratings(repo, start, end)
    facts = Facts()
    # The last time each counter did anything each day: where a clerk who never
    # signed out stopped.
    last_act: dict[tuple[date, str], datetime] = dict(last_calls)
    for row in tickets:
        call = calls.get(row.id)
        service = row.service if call is None or call.service is None else call.service
        wait_s = within = clerk = None
        if call is not None:
            wait_s = (call.at - row.issued_at).total_seconds()
            limit = max_wait.get(service)
            within = None if limit is None else wait_s <= limit
            clerk = clerks.at(call.counter, call.seq)
        state = TicketState(row.state)
        service_s = None
        if state is TicketState.SERVED and row.started_at is not None:
            service_s = (row.finished_at - row.started_at).total_seconds()
        if row.counter is not None and row.finished_at is not None:
            mark = (row.business_day, row.counter)
            last_act[mark] = max(last_act.get(mark, row.finished_at), row.finished_at)
        facts.add(
            Visit(
                day=row.business_day,
                arrived=row.issued_at.astimezone(zone),
                service=service,
                state=state,
                counter=None if call is None else call.counter,
                clerk=clerk,
                wait_s=wait_s,
                within=within,
                service_s=service_s,
                rating=ratings.get(row.id),
                walk_in=row.source == Source.WALK_IN.value,
            )
        )
    today = now.astimezone(zone).date()
    facts.clerks = _desk_time(repo, since, until, zone, now, today, last_act)
    if start < today:
        facts.bookings = _bookings(repo, start, min(end, today - timedelta(days=1)), zone)
    return facts


class ClerkLog:
    """Who was signed in at each counter, from the staff events of the log."""

    def __init__(self) -> None:
        self._changes: dict[str, list[tuple[int, str | None]]] = defaultdict(list)

    def record(self, counter: str, seq: int, staff: str | None) -> None:
        """From event ``seq`` on (events given in ``seq`` order), ``staff`` is at ``counter``."""
        self._changes[counter].append((seq, staff))

    def at(self, counter: str | None, seq: int) -> str | None:
        """The clerk signed in at ``counter`` just before event ``seq``."""
        clerk = None
        for changed, staff in self._changes.get(counter or "", []):
            if changed > seq:
                break
            clerk = staff
        return clerk


def _tickets(repo: Repository, start: date, end: date) -> list[Any]:
    t = schema.tickets
    query = select(
        t.c.id,
        t.c.business_day,
        t.c.service,
        t.c.source,
        t.c.state,
        t.c.counter,
        t.c.issued_at,
        t.c.started_at,
        t.c.finished_at,
    ).where(t.c.business_day >= start, t.c.business_day <= end)
    return list(repo.connection.execute(query))


def _calls(
    repo: Repository, since: datetime, until: datetime, zone: Any
) -> tuple[dict[str, FirstCall], dict[tuple[date, str], datetime]]:
    """Each ticket's first call, and each counter's last call of each day."""
    e = schema.events
    query = (
        select(e.c.seq, e.c.at, e.c.ticket_id, e.c.counter, e.c.service)
        .where(e.c.type == EventType.CALLED.value, e.c.at >= since, e.c.at < until)
        .order_by(e.c.seq)
    )
    first: dict[str, FirstCall] = {}
    last: dict[tuple[date, str], datetime] = {}
    for row in repo.connection.execute(query):
        if row.ticket_id is not None and row.ticket_id not in first:
            first[row.ticket_id] = FirstCall(int(row.seq), row.at, row.counter, row.service)
        if row.counter is not None:
            last[row.at.astimezone(zone).date(), row.counter] = row.at
    return first, last


def _clerks_at(repo: Repository, since: datetime, until: datetime) -> ClerkLog:
    e = schema.events
    query = (
        select(e.c.seq, e.c.type, e.c.counter, e.c.data)
        .where(e.c.type.in_(_STAFF_EVENTS), e.c.at >= since, e.c.at < until)
        .order_by(e.c.seq)
    )
    log = ClerkLog()
    for row in repo.connection.execute(query):
        if row.counter is None:
            continue
        signed_in = row.type == EventType.STAFF_SIGNED_IN.value
        staff = json.loads(row.data).get("staff") if signed_in else None
        log.record(row.counter, int(row.seq), staff)
    return log


@dataclass
class _Session:
    staff: str
    since: datetime
    breaks: float = 0.0
    break_since: datetime | None = None


def _desk_time(
    repo: Repository,
    since: datetime,
    until: datetime,
    zone: Any,
    now: datetime,
    today: date,
    last_act: dict[tuple[date, str], datetime],
) -> dict[tuple[date, str], ClerkTime]:
    """Each clerk's time signed in (less breaks) and on breaks, by the day they signed in.

    A session runs from ``staff_signed_in`` to ``staff_signed_out`` (signing out
    also closes the counter). One not closed on its own day runs to now on the
    current day, else to the counter's last call or finished ticket of that day. A break runs
    from ``break_started`` to ``break_ended`` (or the session's end).
    """
    e = schema.events
    query = (
        select(e.c.type, e.c.at, e.c.counter, e.c.data)
        .where(e.c.type.in_(_DESK_EVENTS), e.c.at >= since, e.c.at < until)
        .order_by(e.c.seq)
    )
    time_of: dict[tuple[date, str], ClerkTime] = {}
    open_at: dict[str, _Session] = {}

    def close(counter: str, end: datetime) -> None:
        session = open_at.pop(counter, None)
        if session is None:
            return
        day = session.since.astimezone(zone).date()
        if end.astimezone(zone).date() != day:
            # Not signed out that day: the session ended with the counter's last act.
            end = last_act.get((day, counter), session.since)
        end = max(end, session.since, session.break_since or session.since)
        if session.break_since is not None:
            session.breaks += (end - session.break_since).total_seconds()
        time = time_of.setdefault((day, session.staff), ClerkTime())
        time.desk_s += max(0.0, (end - session.since).total_seconds() - session.breaks)
        time.break_s += session.breaks

    for row in repo.connection.execute(query):
        counter = row.counter
        if counter is None:
            continue
        if row.type == EventType.STAFF_SIGNED_IN.value:
            close(counter, row.at)
            staff = json.loads(row.data).get("staff")
            if staff:
                open_at[counter] = _Session(str(staff), row.at)
        elif row.type == EventType.STAFF_SIGNED_OUT.value:
            close(counter, row.at)
        elif (session := open_at.get(counter)) is not None:
            if row.type == EventType.BREAK_STARTED.value and session.break_since is None:
                session.break_since = row.at
            elif row.type == EventType.BREAK_ENDED.value and session.break_since is not None:
                session.breaks += (row.at - session.break_since).total_seconds()
                session.break_since = None
    for counter, session in list(open_at.items()):
        close(counter, now if session.since.astimezone(zone).date() == today else until)
    return time_of


def _ratings(repo: Repository, start: date, end: date) -> dict[str, int]:
    f = schema.feedback
    query = select(f.c.ticket_id, f.c.rating).where(
        f.c.business_day >= start, f.c.business_day <= end
    )
    return {row.ticket_id: int(row.rating) for row in repo.connection.execute(query)}


def _bookings(
    repo: Repository, start: date, end: date, zone: Any
) -> dict[tuple[date, str, str], list[int]]:
    """Bookings of the days by service and slot: [booked, checked in].

    A booking the central cancelled is not counted, unless it was checked in first.
    """
    a, t = schema.appointments, schema.tickets
    query = (
        select(a.c.business_day, a.c.service, a.c.slot_start, a.c.status, t.c.id)
        .select_from(a.outerjoin(t, t.c.appointment_id == a.c.id))
        .where(a.c.business_day >= start, a.c.business_day <= end)
    )
    found: dict[tuple[date, str, str], list[int]] = {}
    for row in repo.connection.execute(query):
        came = row.id is not None
        if row.status != AppointmentStatus.BOOKED.value and not came:
            continue
        slot = row.slot_start.astimezone(zone).strftime("%H:%M")
        counts = found.setdefault((row.business_day, row.service, slot), [0, 0])
        counts[0] += 1
        counts[1] += came
    return found
