"""The pure core of the reports: a ticket's facts, additive cells, and the rows they make.

Every report is made the same way, whether its days are read from the tickets
and the log (today, or a day not yet rolled up) or from the roll-ups of closed
days: tickets become :class:`Visit` facts, each visit is tallied into an
additive :class:`Cell` of each dimension of its day (:class:`CellKey`), and
a split merges the cells of each key into a :class:`Row`. A cell keeps its waits
themselves, so percentiles stay exact over any period.
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from centre.domain import TicketState
from centre.errors import BadInput

BY = ("day", "week", "month", "service", "counter", "clerk", "hour", "weekday-hour")
TOTAL = "total"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STARS = 5
# The centre's week starts on Sunday: weekday-hour rows run Sunday to Saturday.
_WEEK_ORDER = {name: (index + 1) % 7 for index, name in enumerate(WEEKDAYS)}


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
    walk_ins: int = 0
    appointments: int = 0
    # How many ratings of 1, 2, 3, 4 and 5.
    rating_counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    # Clerks only (the clerk split's rows and the total): see the package's definitions.
    served_per_hour: float | None = None
    break_s: float | None = None

    def as_json(self) -> dict[str, Any]:
        """The row as ``--json`` prints it."""
        values = {name: getattr(self, name) for name in FIGURES}
        values["rating_counts"] = list(self.rating_counts)
        return values


#: The row's fields in order: ``key`` and then every figure.
FIGURES = tuple(Row.__dataclass_fields__)
#: The figures every reader of ``--json`` knows, in their order (up to ``ratings``); the
#: ones after them were added later.
CONTRACT_FIGURES = FIGURES[: FIGURES.index("ratings") + 1]


@dataclass(frozen=True)
class BookingRow:
    """Bookings of one service and slot (time of day) over the closed days of a period."""

    service: str
    slot: str
    booked: int
    checked_in: int
    no_shows: int
    no_show_pct: float | None

    def as_json(self) -> dict[str, Any]:
        """The row as ``--json`` prints it."""
        return {name: getattr(self, name) for name in BOOKING_FIGURES}


BOOKING_FIGURES = tuple(BookingRow.__dataclass_fields__)


@dataclass(frozen=True)
class Report:
    """A period split by one key, with its total, and its bookings by service and slot."""

    start: date
    end: date
    by: str
    rows: list[Row]
    total: Row
    bookings: list[BookingRow] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """``{"from", "to", "by", "rows": [Row], "total": Row, "bookings": [BookingRow]}``."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "by": self.by,
            "rows": [row.as_json() for row in self.rows],
            "total": self.total.as_json(),
            "bookings": [row.as_json() for row in self.bookings],
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
    walk_in: bool = True


class CellKey(NamedTuple):
    """A cell's place: a day, and one dimension's value that day.

    Each visit is in one cell of each dimension of its day: ``day`` (value
    ``""``: the whole day), ``service``, ``counter``, ``clerk`` (value ``None``:
    never called, or nobody signed in) and ``hour`` of arrival (``"09"``).
    A split reads one dimension's cells, so a day holds a few dozen cells
    whatever its visitors.
    """

    day: date
    dim: str
    value: str | None


DIMENSIONS = ("day", "service", "counter", "clerk", "hour")
#: The dimension each split reads.
DIMENSION_OF = {
    "day": "day",
    "week": "day",
    "month": "day",
    "service": "service",
    "counter": "counter",
    "clerk": "clerk",
    "hour": "hour",
    "weekday-hour": "hour",
}


class Cell:
    """Additive figures of some visits; two cells merge into the cell of both."""

    __slots__ = (
        "cancelled",
        "judged",
        "no_shows",
        "served",
        "service_n",
        "service_sum",
        "stars",
        "visitors",
        "waits",
        "walk_ins",
        "within",
    )

    def __init__(self) -> None:
        self.visitors = self.walk_ins = self.served = self.no_shows = self.cancelled = 0
        self.judged = self.within = self.service_n = 0
        self.service_sum = 0.0
        self.stars = [0] * STARS
        self.waits: array[float] = array("d")

    def add(self, visit: Visit) -> None:
        """Count one visit."""
        self.visitors += 1
        self.walk_ins += visit.walk_in
        self.served += visit.state is TicketState.SERVED
        self.no_shows += visit.state is TicketState.NO_SHOW
        self.cancelled += visit.state is TicketState.CANCELLED
        if visit.wait_s is not None:
            self.waits.append(visit.wait_s)
        if visit.within is not None:
            self.judged += 1
            self.within += visit.within
        if visit.service_s is not None:
            self.service_n += 1
            self.service_sum += visit.service_s
        if visit.rating is not None:
            self.stars[visit.rating - 1] += 1

    def merge(self, other: Cell) -> None:
        """Add ``other``'s visits to this cell's."""
        self.visitors += other.visitors
        self.walk_ins += other.walk_ins
        self.served += other.served
        self.no_shows += other.no_shows
        self.cancelled += other.cancelled
        self.judged += other.judged
        self.within += other.within
        self.service_n += other.service_n
        self.service_sum += other.service_sum
        self.stars = [a + b for a, b in zip(self.stars, other.stars, strict=True)]
        self.waits.extend(other.waits)

    def row(
        self, key: str | None, clerks: ClerkTime | None = None, by_clerks: int | None = None
    ) -> Row:
        """The figures of this cell's visits, with the clerks' time where it is known;
        ``by_clerks``: how many of the served the clerks served (default: all)."""
        waits = sorted(self.waits)
        ratings = sum(self.stars)
        stars = sum(count * (index + 1) for index, count in enumerate(self.stars))
        served_per_hour = break_s = None
        if clerks is not None:
            if clerks.desk_s > 0:
                served = self.served if by_clerks is None else by_clerks
                served_per_hour = _round(served * 3600 / clerks.desk_s, 2)
            break_s = _round(clerks.break_s, 1)
        counts = self.stars
        return Row(
            key=key,
            visitors=self.visitors,
            served=self.served,
            no_shows=self.no_shows,
            cancelled=self.cancelled,
            wait_mean_s=_round(_mean(waits), 1),
            wait_p50_s=_round(quantile_of_sorted(waits, 0.5), 1),
            wait_p90_s=_round(quantile_of_sorted(waits, 0.9), 1),
            service_mean_s=_round(self.service_sum / self.service_n, 1) if self.service_n else None,
            sla_pct=_round(100 * self.within / self.judged, 1) if self.judged else None,
            satisfaction=_round(stars / ratings, 2) if ratings else None,
            ratings=ratings,
            walk_ins=self.walk_ins,
            appointments=self.visitors - self.walk_ins,
            rating_counts=(counts[0], counts[1], counts[2], counts[3], counts[4]),
            served_per_hour=served_per_hour,
            break_s=break_s,
        )


@dataclass
class ClerkTime:
    """A clerk's time: seconds signed in at a counter less breaks, and seconds on a break."""

    desk_s: float = 0.0
    break_s: float = 0.0

    def merge(self, other: ClerkTime) -> None:
        """Add ``other``'s time to this one."""
        self.desk_s += other.desk_s
        self.break_s += other.break_s


@dataclass
class Facts:
    """Everything a report is made of, for some days: cells, clerks' time and bookings."""

    cells: dict[CellKey, Cell] = field(default_factory=dict)
    clerks: dict[tuple[date, str], ClerkTime] = field(default_factory=dict)
    # (day, service, slot) -> [booked, checked in]; closed days only.
    bookings: dict[tuple[date, str, str], list[int]] = field(default_factory=dict)

    def add(self, visit: Visit) -> None:
        """Tally one visit into its cell of each dimension."""
        for dim, value in values_of(visit).items():
            key = CellKey(visit.day, dim, value)
            cell = self.cells.get(key)
            if cell is None:
                cell = self.cells[key] = Cell()
            cell.add(visit)

    def merge(self, other: Facts) -> None:
        """Add ``other``'s days (days neither holds twice)."""
        for key, cell in other.cells.items():
            if key in self.cells:
                self.cells[key].merge(cell)
            else:
                self.cells[key] = cell
        for who, time in other.clerks.items():
            self.clerks.setdefault(who, ClerkTime()).merge(time)
        for slot, (booked, came) in other.bookings.items():
            counts = self.bookings.setdefault(slot, [0, 0])
            counts[0] += booked
            counts[1] += came

    def total(self) -> Row:
        """The figures of every visit, with every clerk's time (``None`` if no clerk signed in)."""
        everything = Cell()
        by_clerks = 0
        for key, cell in self.cells.items():
            if key.dim == "day":
                everything.merge(cell)
            elif key.dim == "clerk" and key.value is not None:
                by_clerks += cell.served
        return everything.row(TOTAL, self._time(lambda _: True), by_clerks)

    def split(self, by: str) -> list[Row]:
        """One row per key of ``by`` that has visits, in the key's natural order (``None`` last)."""
        key_of = _KEYS.get(by)
        if key_of is None:
            raise BadInput(f"no report by {by!r} (by: {', '.join(BY)})")
        dim = DIMENSION_OF[by]
        groups: dict[str | None, Cell] = {}
        for cell_key, cell in self.cells.items():
            if cell_key.dim != dim:
                continue
            key = key_of(cell_key)
            if key in groups:
                groups[key].merge(cell)
            else:
                groups[key] = merged = Cell()
                merged.merge(cell)
        rows = []
        for key in sorted(groups, key=_order(by)):
            clerks = None
            if by == "clerk" and key is not None:
                clerks = self._time(key.__eq__) or ClerkTime()
            rows.append(groups[key].row(key, clerks))
        return rows

    def booking_rows(self) -> list[BookingRow]:
        """Bookings by service and slot over the days, with their no-shows."""
        groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for (_, service, slot), (booked, came) in self.bookings.items():
            groups[service, slot][0] += booked
            groups[service, slot][1] += came
        rows = []
        for (service, slot), (booked, came) in sorted(groups.items()):
            missed = booked - came
            pct = _round(100 * missed / booked, 1) if booked else None
            rows.append(BookingRow(service, slot, booked, came, missed, pct))
        return rows

    def _time(self, wanted: Callable[[str], bool]) -> ClerkTime | None:
        found = None
        for (_, staff), time in self.clerks.items():
            if wanted(staff):
                found = found or ClerkTime()
                found.merge(time)
        return found


def _week(key: CellKey) -> str:
    year, week, _ = key.day.isocalendar()
    return f"{year}-W{week:02d}"


_KEYS: dict[str, Callable[[CellKey], str | None]] = {
    "day": lambda k: k.day.isoformat(),
    "week": _week,
    "month": lambda k: f"{k.day.year}-{k.day.month:02d}",
    "service": lambda k: k.value,
    "counter": lambda k: k.value,
    "clerk": lambda k: k.value,
    "hour": lambda k: k.value,
    # A ticket arrives on its own business day: the day's weekday is its arrival's.
    "weekday-hour": lambda k: f"{WEEKDAYS[k.day.weekday()]}-{k.value}",
}


def key_of(visit: Visit, by: str) -> str | None:
    """The key of ``visit`` in the split ``by``."""
    if by not in _KEYS:
        raise BadInput(f"no report by {by!r} (by: {', '.join(BY)})")
    dim = DIMENSION_OF[by]
    return _KEYS[by](CellKey(visit.day, dim, values_of(visit)[dim]))


def values_of(visit: Visit) -> dict[str, str | None]:
    """The visit's value in each dimension."""
    hour = f"{visit.arrived.hour:02d}"
    return dict(zip(DIMENSIONS, ("", visit.service, visit.counter, visit.clerk, hour), strict=True))


def tally(visits: Iterable[Visit]) -> Facts:
    """The facts of ``visits`` (no clerks' time, no bookings)."""
    facts = Facts()
    for visit in visits:
        facts.add(visit)
    return facts


def split(visits: Iterable[Visit], by: str) -> list[Row]:
    """One row per key of ``by`` that has visits, in the key's natural order (``None`` last)."""
    return tally(visits).split(by)


def row_of(key: str | None, visits: Iterable[Visit]) -> Row:
    """The figures of ``visits``."""
    cell = Cell()
    for visit in visits:
        cell.add(visit)
    return cell.row(key)


def percentile(values: Sequence[float], share: float) -> float | None:
    """The ``share`` quantile, linear between order statistics (``None`` with no values)."""
    return quantile_of_sorted(sorted(values), share)


def quantile_of_sorted(ordered: Sequence[float], share: float) -> float | None:
    """:func:`percentile` of values already in order."""
    if not ordered:
        return None
    rank = share * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


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
