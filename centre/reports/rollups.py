"""Roll-ups of closed business days: each day's report facts, written once as the day closes.

A closed day's tickets no longer change (the day's close ended every open one),
so its cells, clerks' time and bookings are written to ``report_cells``,
``report_clerk_days`` and ``report_booking_days`` and the day is marked in
``report_days``. A report reads a rolled day from those tables: a few hundred
rows a day instead of thousands of tickets and their events. A rating given
after the day was rolled up unmarks it, and the next roll-up writes it again;
until then reports read that day from its tickets.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, union

from centre.config import CentreConfig
from centre.reports.core import DIMENSION_OF, STARS, Cell, CellKey, ClerkTime, Facts
from centre.reports.reads import raw_facts
from centre.store import schema
from centre.store.repository import Repository
from centre.store.unit_of_work import Store

_CELLS, _CLERKS, _BOOKINGS = (
    schema.report_cells,
    schema.report_clerk_days,
    schema.report_booking_days,
)
_DAYS = schema.report_days


def rolled_days(repo: Repository, start: date, end: date) -> set[date]:
    """The days from ``start`` to ``end`` that are rolled up."""
    query = select(_DAYS.c.business_day).where(
        _DAYS.c.business_day >= start, _DAYS.c.business_day <= end
    )
    return {row.business_day for row in repo.connection.execute(query)}


def read_rolled(repo: Repository, start: date, end: date, by: str | None = None) -> Facts:
    """The facts of the rolled-up days from ``start`` to ``end``: with ``by``, only the cells
    that split and the total read (the whole day's, and the clerks' without their waits)."""
    facts = Facts()
    days = (_CELLS.c.business_day >= start, _CELLS.c.business_day <= end)
    if by is None:
        queries = [select(_CELLS).where(*days)]
    else:
        dims = {"day", DIMENSION_OF[by]}
        queries = [select(_CELLS).where(_CELLS.c.dim.in_(sorted(dims)), *days)]
        if "clerk" not in dims:
            light = [c for c in _CELLS.columns if c.name != "waits"]
            queries.append(select(*light).where(_CELLS.c.dim == "clerk", *days))
    for query in queries:
        for row in repo.connection.execute(query.order_by(_CELLS.c.id)):
            facts.cells[CellKey(row.business_day, row.dim, row.value)] = _cell(row)
    # Summed by the database over the days: the keys' day is the period's first.
    clerks = (
        select(_CLERKS.c.staff_id, func.sum(_CLERKS.c.desk_s), func.sum(_CLERKS.c.break_s))
        .where(_CLERKS.c.business_day >= start, _CLERKS.c.business_day <= end)
        .group_by(_CLERKS.c.staff_id)
    )
    for staff, desk_s, break_s in repo.connection.execute(clerks):
        facts.clerks[start, staff] = ClerkTime(float(desk_s), float(break_s))
    bookings = (
        select(
            _BOOKINGS.c.service,
            _BOOKINGS.c.slot,
            func.sum(_BOOKINGS.c.booked),
            func.sum(_BOOKINGS.c.checked_in),
        )
        .where(_BOOKINGS.c.business_day >= start, _BOOKINGS.c.business_day <= end)
        .group_by(_BOOKINGS.c.service, _BOOKINGS.c.slot)
    )
    for service, slot, booked, came in repo.connection.execute(bookings):
        facts.bookings[start, service, slot] = [int(booked), int(came)]
    return facts


def day_facts(store: Store, config: CentreConfig, day: date, now: datetime) -> Facts:
    """The facts of the closed ``day``, read raw: the costly half of a roll-up (reads only)."""
    with store.read() as repo:
        return raw_facts(repo, config, [day], now)


def roll_up(store: Store, config: CentreConfig, day: date, now: datetime) -> None:
    """Write the roll-up of the closed ``day`` (again, if it was written before)."""
    write_roll_up(store, day, day_facts(store, config, day, now), now)


def write_roll_up(store: Store, day: date, facts: Facts, now: datetime) -> None:
    """Write ``day``'s roll-up of ``facts`` (read by :func:`day_facts`): a few dozen rows, one
    short transaction."""
    with store.write() as repo:
        connection = repo.connection
        unroll(repo, day)
        if facts.cells:
            connection.execute(insert(_CELLS), [_cell_values(k, c) for k, c in facts.cells.items()])
        if facts.clerks:
            connection.execute(
                insert(_CLERKS),
                [
                    {"business_day": d, "staff_id": s, "desk_s": t.desk_s, "break_s": t.break_s}
                    for (d, s), t in facts.clerks.items()
                ],
            )
        if facts.bookings:
            connection.execute(
                insert(_BOOKINGS),
                [
                    {"business_day": d, "service": s, "slot": t, "booked": n, "checked_in": c}
                    for (d, s, t), (n, c) in facts.bookings.items()
                ],
            )
        connection.execute(insert(_DAYS), [{"business_day": day, "rolled_at": now}])


def days_to_roll(repo: Repository, today: date) -> list[date]:
    """Days before ``today`` with tickets or bookings that are not rolled up."""
    t, a = schema.tickets, schema.appointments
    rolled = select(_DAYS.c.business_day)
    query = union(
        select(t.c.business_day).where(t.c.business_day < today, t.c.business_day.not_in(rolled)),
        select(a.c.business_day).where(a.c.business_day < today, a.c.business_day.not_in(rolled)),
    )
    return sorted(row[0] for row in repo.connection.execute(query))


def roll_up_closed_days(
    store: Store,
    config: CentreConfig,
    now: datetime,
    read: Callable[[date], Facts] | None = None,
) -> int:
    """Roll up every closed day not yet rolled up, one short transaction each; how many.

    ``read`` gives a day's facts (by default :func:`day_facts` here): the centre
    server reads them in its low-priority report worker and writes them itself.
    """
    today = now.astimezone(config.centre.zone).date()
    with store.read() as repo:
        days = days_to_roll(repo, today)
    for day in days:
        facts = read(day) if read is not None else day_facts(store, config, day, now)
        write_roll_up(store, day, facts, now)
    return len(days)


def unroll(repo: Repository, day: date) -> None:
    """Forget ``day``'s roll-up: its facts changed (a late rating); reports read it raw again."""
    for table in (_CELLS, _CLERKS, _BOOKINGS, _DAYS):
        repo.connection.execute(delete(table).where(table.c.business_day == day))


def _cell_values(key: CellKey, cell: Cell) -> dict[str, Any]:
    return {
        "business_day": key.day,
        "dim": key.dim,
        "value": key.value,
        "visitors": cell.visitors,
        "walk_ins": cell.walk_ins,
        "served": cell.served,
        "no_shows": cell.no_shows,
        "cancelled": cell.cancelled,
        "judged": cell.judged,
        "within": cell.within,
        "service_n": cell.service_n,
        "service_sum": cell.service_sum,
        "stars": ",".join(str(n) for n in cell.stars),
        # In order, so merging cells sorts runs; native byte order (little-endian on every
        # machine Taboor runs on).
        "waits": array("d", sorted(cell.waits)).tobytes(),
    }


def _cell(row: Any) -> Cell:
    cell = Cell()
    cell.visitors, cell.walk_ins, cell.served = row.visitors, row.walk_ins, row.served
    cell.no_shows, cell.cancelled = row.no_shows, row.cancelled
    cell.judged, cell.within = row.judged, row.within
    cell.service_n, cell.service_sum = row.service_n, row.service_sum
    stars = [int(n) for n in row.stars.split(",")]
    cell.stars = stars if len(stars) == STARS else [0] * STARS
    waits = row._mapping.get("waits")
    cell.waits = array("d", bytes(waits)) if waits is not None else array("d")
    return cell


__all__ = [
    "day_facts",
    "days_to_roll",
    "read_rolled",
    "roll_up",
    "roll_up_closed_days",
    "rolled_days",
    "unroll",
    "write_roll_up",
]
