"""Reports over any period: visitors, waits, service times, service levels and ratings.

``report(store, config, start, end, by)`` reads the tickets of the business
days ``start`` to ``end`` (both included) and splits them by day, ISO week,
month, service, counter, clerk, hour or weekday and hour, with a total row.

Definitions (one meaning for each figure):

- **visitors**: tickets of the period: walk-ins issued and bookings checked in
  (a booking never checked in is not a visitor). A ticket counts once
  however it moved: tickets are counted, not events, so a transfer or a
  recall adds nothing.
- **served**, **no_shows**, **cancelled**: visitors whose ticket ended served,
  no-show or cancelled. A ticket whose visitor left the queue from the phone
  is cancelled, never a no-show; so is a waiting ticket the supervisor
  withdrew or the day's close cancelled. A called ticket the day's close
  ended is a no-show. Tickets still open count as visitors only.
- **wait** (``wait_mean_s``, ``wait_p50_s``, ``wait_p90_s``): seconds from
  arrival to the ticket's *first* call, over the tickets that were called.
  Arrival is ``issued_at``: issue for a walk-in, check-in for a booking;
  never ``arrived_at``, which is only the queue position ("more time" from
  the phone moves it back). The first call is the ticket's earliest
  ``called`` event: the ticket's own ``called_at`` is cleared by a transfer
  and then holds the call after it. Percentiles interpolate linearly between
  order statistics (as ``sim.figures.percentile``).
- **service_mean_s**: mean of ``finished_at - started_at`` over served
  tickets: the visit at the counter that finished the ticket (a transfer
  clears ``started_at``, so time at a counter before a transfer is not in it).
- **sla_pct**: percent (0-100) of the called tickets whose wait was within
  the maximum wait (``max_wait_minutes``) of the service they were issued
  for; a ticket is transferred only after a call, so that is also the
  service of its first call, read from that ``called`` event. A service no
  longer configured has no maximum: its tickets are left out of this share.
- **satisfaction**: mean rating (1-5) of the visitors' ratings of these
  tickets; **ratings**: how many.
- A figure with no data is ``None`` (JSON ``null``), never 0. Means and
  percentiles of seconds are rounded to 0.1 s, ``sla_pct`` to 0.1 point and
  ``satisfaction`` to 0.01.

Split keys; each ticket is in exactly one row of every split, with all its
figures, so the rows' counts add up to the total:

- ``day``: its business day (``2026-11-22``); ``week``: that day's ISO week
  (``2026-W47``); ``month``: ``2026-11``.
- ``service``: the code of the service it was issued for (not the one it was
  transferred to).
- ``counter``: the counter of its first call; ``clerk``: the staff id of the
  clerk signed in at that counter at that call (from the log's
  ``staff_signed_in`` / ``staff_signed_out`` events, as the call event names
  no clerk). A ticket never called, or called at a counter with nobody signed
  in, has the key ``None``.
- ``hour``: the hour of its arrival, centre time (``09``); ``weekday-hour``:
  weekday and hour of its arrival (``sun-09``), Sunday first.
- Only keys with tickets have rows; the total row's key is ``"total"``.

Reads run in one read transaction of their own (``store.read()``): tickets and
ratings by business day, ``called`` and staff events by kind and time (the
``(business_day, number)`` and ``(type, at)`` indexes). No roll-ups are kept
yet: every report reads its period's tickets and calls.

Where ``sim.figures`` differs (to be brought to these definitions): its wait
runs to the ticket's ``called_at`` (the call after a transfer, or none for a
transferred ticket not called again); its service level counts every ticket
of the service it ended in, called or not, and reports minutes.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from centre.config import CentreConfig
from centre.domain import EventType, TicketState
from centre.errors import BadInput
from centre.store import schema
from centre.store.repository import Repository
from centre.store.unit_of_work import Store

BY = ("day", "week", "month", "service", "counter", "clerk", "hour", "weekday-hour")
TOTAL = "total"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The centre's week starts on Sunday: weekday-hour rows run Sunday to Saturday.
_WEEK_ORDER = {name: (index + 1) % 7 for index, name in enumerate(WEEKDAYS)}
_STAFF_EVENTS = (EventType.STAFF_SIGNED_IN.value, EventType.STAFF_SIGNED_OUT.value)


@dataclass(frozen=True)
class Row:
    """The figures of one key of a split (or of the whole period)."""

    key: str | None
    visitors: int
    served: int
    no_shows: int
    cancelled: int
    wait_mean_s: float | None
    wait_p50_s: float | None
    wait_p90_s: float | None
    service_mean_s: float | None
    sla_pct: float | None
    satisfaction: float | None
    ratings: int

    def as_json(self) -> dict[str, Any]:
        """The row as ``--json`` prints it."""
        return asdict(self)


@dataclass(frozen=True)
class Report:
    """A period split by one key, with its total."""

    start: date
    end: date
    by: str
    rows: list[Row]
    total: Row

    def as_json(self) -> dict[str, Any]:
        """``{"from", "to", "by", "rows": [Row], "total": Row}``."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "by": self.by,
            "rows": [row.as_json() for row in self.rows],
            "total": self.total.as_json(),
        }


@dataclass(frozen=True)
class Visit:
    """One ticket as the reports count it."""

    day: date
    # Arrival (issue, or check-in for a booking) in centre time.
    arrived: datetime
    service: str
    state: TicketState
    counter: str | None = None
    clerk: str | None = None
    wait_s: float | None = None
    # Whether the first call came within the service's maximum wait (None: not called, or
    # the service has no maximum here).
    within: bool | None = None
    service_s: float | None = None
    rating: int | None = None


@dataclass(frozen=True)
class FirstCall:
    """A ticket's earliest ``called`` event."""

    seq: int
    at: datetime
    counter: str | None
    service: str | None


# -- the pure core ------------------------------------------------------------


def _week(visit: Visit) -> str:
    year, week, _ = visit.day.isocalendar()
    return f"{year}-W{week:02d}"


_KEYS: dict[str, Callable[[Visit], str | None]] = {
    "day": lambda v: v.day.isoformat(),
    "week": _week,
    "month": lambda v: f"{v.day.year}-{v.day.month:02d}",
    "service": lambda v: v.service,
    "counter": lambda v: v.counter,
    "clerk": lambda v: v.clerk,
    "hour": lambda v: f"{v.arrived.hour:02d}",
    "weekday-hour": lambda v: f"{WEEKDAYS[v.arrived.weekday()]}-{v.arrived.hour:02d}",
}


def key_of(visit: Visit, by: str) -> str | None:
    """The key of ``visit`` in the split ``by``."""
    if by not in _KEYS:
        raise BadInput(f"no report by {by!r} (by: {', '.join(BY)})")
    return _KEYS[by](visit)


def split(visits: Iterable[Visit], by: str) -> list[Row]:
    """One row per key of ``by`` that has visits, in the key's natural order (``None`` last)."""
    groups: dict[str | None, list[Visit]] = defaultdict(list)
    for visit in visits:
        groups[key_of(visit, by)].append(visit)
    return [row_of(key, groups[key]) for key in sorted(groups, key=_order(by))]


def row_of(key: str | None, visits: Sequence[Visit]) -> Row:
    """The figures of ``visits``."""
    waits = [v.wait_s for v in visits if v.wait_s is not None]
    judged = [v.within for v in visits if v.within is not None]
    service = [v.service_s for v in visits if v.service_s is not None]
    ratings = [v.rating for v in visits if v.rating is not None]
    return Row(
        key=key,
        visitors=len(visits),
        served=sum(1 for v in visits if v.state is TicketState.SERVED),
        no_shows=sum(1 for v in visits if v.state is TicketState.NO_SHOW),
        cancelled=sum(1 for v in visits if v.state is TicketState.CANCELLED),
        wait_mean_s=_round(_mean(waits), 1),
        wait_p50_s=_round(percentile(waits, 0.5), 1),
        wait_p90_s=_round(percentile(waits, 0.9), 1),
        service_mean_s=_round(_mean(service), 1),
        sla_pct=_round(100 * sum(judged) / len(judged), 1) if judged else None,
        satisfaction=_round(_mean([float(r) for r in ratings]), 2),
        ratings=len(ratings),
    )


def percentile(values: Sequence[float], share: float) -> float | None:
    """The ``share`` quantile, linear between order statistics (``None`` with no values)."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = share * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _order(by: str) -> Callable[[str | None], tuple[int, int, str]]:
    def order(key: str | None) -> tuple[int, int, str]:
        if key is None:
            return (2, 0, "")
        if by == "weekday-hour":
            weekday, _, hour = key.partition("-")
            return (0, _WEEK_ORDER[weekday] * 100 + int(hour), key)
        if by in ("counter", "clerk") and key.isdigit():
            return (0, int(key), key)
        return (1, 0, key) if by in ("counter", "clerk") else (0, 0, key)

    return order


# -- reading a period ---------------------------------------------------------


def report(store: Store, config: CentreConfig, start: date, end: date, by: str) -> Report:
    """The figures of the business days ``start`` to ``end`` split by ``by`` (see the module)."""
    if by not in BY:
        raise BadInput(f"no report by {by!r} (by: {', '.join(BY)})")
    if start > end:
        raise BadInput(f"the period starts ({start}) after it ends ({end})")
    visits = read_visits(store, config, start, end)
    return Report(start, end, by, split(visits, by), row_of(TOTAL, visits))


def read_visits(store: Store, config: CentreConfig, start: date, end: date) -> list[Visit]:
    """Every ticket of the business days ``start`` to ``end``, as the reports count it."""
    zone = config.centre.zone
    # A ticket is called only on its own business day, so its calls lie within the period.
    since = datetime.combine(start, time(0), zone)
    until = datetime.combine(end + timedelta(days=1), time(0), zone)
    max_wait = {s.code: s.max_wait_minutes * 60 for s in config.services}
    with store.read() as repo:
        tickets = _tickets(repo, start, end)
        calls = _first_calls(repo, since, until)
        clerks = _clerks_at(repo, until)
        ratings = _ratings(repo, start, end)
    visits = []
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
        visits.append(
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
            )
        )
    return visits


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
        t.c.state,
        t.c.issued_at,
        t.c.started_at,
        t.c.finished_at,
    ).where(t.c.business_day >= start, t.c.business_day <= end)
    return list(repo.connection.execute(query))


def _first_calls(repo: Repository, since: datetime, until: datetime) -> dict[str, FirstCall]:
    e = schema.events
    query = (
        select(e.c.seq, e.c.at, e.c.ticket_id, e.c.counter, e.c.service)
        .where(e.c.type == EventType.CALLED.value, e.c.at >= since, e.c.at < until)
        .order_by(e.c.seq)
    )
    first: dict[str, FirstCall] = {}
    for row in repo.connection.execute(query):
        if row.ticket_id is not None and row.ticket_id not in first:
            first[row.ticket_id] = FirstCall(int(row.seq), row.at, row.counter, row.service)
    return first


def _clerks_at(repo: Repository, until: datetime) -> ClerkLog:
    e = schema.events
    query = (
        select(e.c.seq, e.c.type, e.c.counter, e.c.data)
        .where(e.c.type.in_(_STAFF_EVENTS), e.c.at < until)
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


def _ratings(repo: Repository, start: date, end: date) -> dict[str, int]:
    f = schema.feedback
    query = select(f.c.ticket_id, f.c.rating).where(
        f.c.business_day >= start, f.c.business_day <= end
    )
    return {row.ticket_id: int(row.rating) for row in repo.connection.execute(query)}


__all__ = [
    "BY",
    "TOTAL",
    "ClerkLog",
    "FirstCall",
    "Report",
    "Row",
    "Visit",
    "key_of",
    "percentile",
    "read_visits",
    "report",
    "row_of",
    "split",
]
