"""The day's figures: visitors, waits, service levels, service times, satisfaction,
visitors per hour, counters and how good the estimates shown at issue were; as text and CSV.

Each figure the reports also give means what it means there (``centre.reports``):
a report over the simulated days gives the same numbers. Visitors are tickets (a
planned person who never came or was turned away is not one); a wait runs from
issue (check-in for a booking) to the ticket's *first* call, whatever transfer
followed; a ticket belongs to the service it was issued for and to the counter of
its first call; the service level is the share of the called tickets called within
the maximum wait of that service. Waits are kept in seconds and printed in minutes.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from centre.domain import Ticket, TicketState
from centre.reports import percentile
from sim.day import DayResult, TicketRecord

KINDS = ("walk_in", "appointment", "priority")
# The waits of every called ticket, beside those of each kind.
ALL = "all"


@dataclass(frozen=True)
class WaitFigures:
    """Waits (seconds, arrival to first call) of the called tickets of a group."""

    count: int
    mean_s: float | None
    p50_s: float | None
    p90_s: float | None


@dataclass(frozen=True)
class ServiceLevel:
    """A service's day: its visitors (by the service they were issued for), how many of
    them were called and how many of those within its maximum wait."""

    service: str
    target_minutes: int
    tickets: int
    called: int
    within: int
    waits: WaitFigures
    # Mean of finished - started over its served tickets (the visit that finished them).
    service_mean_s: float | None = None
    # Mean rating (1-5) of its visitors' ratings, and how many.
    satisfaction: float | None = None
    ratings: int = 0

    @property
    def attainment(self) -> float | None:
        """The share of the called tickets called within the target (``None``: none called)."""
        return self.within / self.called if self.called else None


@dataclass(frozen=True)
class CounterFigures:
    """One counter's day."""

    counter: str
    open_minutes: float
    busy_minutes: float
    # Tickets first called here, and how many of them ended served (here or after a transfer).
    visitors: int
    served: int

    @property
    def utilisation(self) -> float | None:
        """Share of its open time the counter had a visitor (called or at the desk)."""
        return self.busy_minutes / self.open_minutes if self.open_minutes > 0 else None


@dataclass(frozen=True)
class Accuracy:
    """Estimates shown at issue against the waits that followed (minutes)."""

    tickets: int
    mae: float
    p90: float
    bias: float
    naive_mae: float
    naive_p90: float

    @property
    def ratio(self) -> float:
        """The estimate's mean error over the naive figure's."""
        return self.mae / self.naive_mae if self.naive_mae > 0 else math.nan


@dataclass(frozen=True)
class DayFigures:
    """Every figure of a simulated day."""

    scenario: str
    seed: int
    day: str
    counters_configured: int
    # People in the day's plan (``booked`` of them with a booking), of whom some never
    # came and some were turned away.
    planned: int
    booked: int
    never_came: int
    turned_away: dict[str, int]
    # Tickets: walk-ins issued and bookings checked in; by kind (KINDS) and by state.
    visitors: int
    by_kind: dict[str, int]
    by_state: dict[str, int]
    transferred: int
    # ``all`` and each kind of visitor.
    waits: dict[str, WaitFigures]
    # Called tickets called within the maximum wait of the service they were issued for.
    within: int
    service_mean_s: float | None
    satisfaction: float | None
    ratings: int
    # How many ratings of 1, 2, 3, 4 and 5.
    rating_counts: tuple[int, int, int, int, int]
    services: list[ServiceLevel]
    hourly: list[tuple[int, int, int]]  # hour of arrival, visitors, of them served
    counters: list[CounterFigures]
    accuracy: Accuracy | None
    events: int
    wall_seconds: float

    @property
    def attainment(self) -> float | None:
        """The share of the called tickets called within their service's maximum wait."""
        called = self.waits[ALL].count
        return self.within / called if called else None


@dataclass(frozen=True)
class _Visit:
    # A ticket with what the simulator recorded of it.
    ticket: Ticket
    record: TicketRecord
    wait_s: float | None
    service_s: float | None


def figures_of(result: DayResult) -> DayFigures:
    """Work out the figures of a finished day from its tickets and records."""
    zone = result.config.centre.zone
    max_wait_s = {s.code: s.max_wait_minutes * 60 for s in result.config.services}
    visits = [_visit(ticket, result.records[ticket.id]) for ticket in result.tickets]
    by_state = {state.value: 0 for state in TicketState}
    by_kind = dict.fromkeys(KINDS, 0)
    stars = [0, 0, 0, 0, 0]
    for visit in visits:
        by_state[visit.ticket.state.value] += 1
        by_kind[visit.record.kind] += 1
        if visit.record.rating is not None:
            stars[visit.record.rating - 1] += 1
    called = [v for v in visits if v.wait_s is not None]
    waits = {ALL: _waits(called)}
    for kind in KINDS:
        waits[kind] = _waits([v for v in called if v.record.kind == kind])
    services = []
    for service in result.config.services:
        own = [v for v in visits if v.record.service == service.code]
        limit = max_wait_s[service.code]
        services.append(
            ServiceLevel(
                service=service.code,
                target_minutes=service.max_wait_minutes,
                tickets=len(own),
                called=sum(1 for v in own if v.wait_s is not None),
                within=sum(1 for v in own if v.wait_s is not None and v.wait_s <= limit),
                waits=_waits(own),
                service_mean_s=_mean([v.service_s for v in own if v.service_s is not None]),
                satisfaction=_satisfaction(own),
                ratings=_rated(own),
            )
        )
    hours: dict[int, list[int]] = {}
    for visit in visits:
        tally = hours.setdefault(visit.ticket.issued_at.astimezone(zone).hour, [0, 0])
        tally[0] += 1
        tally[1] += int(visit.ticket.state is TicketState.SERVED)
    counters = []
    for book in result.counters.values():
        first_here = [v for v in visits if v.record.first_counter == book.id]
        served = sum(1 for v in first_here if v.ticket.state is TicketState.SERVED)
        counters.append(
            CounterFigures(book.id, book.open_s / 60, book.busy_s / 60, len(first_here), served)
        )
    return DayFigures(
        scenario=result.scenario.name,
        seed=result.seed,
        day=result.plan.day.isoformat(),
        counters_configured=len(result.config.counters),
        planned=len(result.plan.visitors),
        booked=len(result.plan.appointments),
        never_came=result.never_came,
        turned_away=dict(sorted(result.turned_away.items())),
        visitors=len(visits),
        by_kind=by_kind,
        by_state=by_state,
        transferred=sum(1 for v in visits if v.ticket.transfers > 0),
        waits=waits,
        within=sum(s.within for s in services),
        service_mean_s=_mean([v.service_s for v in visits if v.service_s is not None]),
        satisfaction=_satisfaction(visits),
        ratings=_rated(visits),
        rating_counts=(stars[0], stars[1], stars[2], stars[3], stars[4]),
        services=services,
        hourly=[(hour, pair[0], pair[1]) for hour, pair in sorted(hours.items())],
        counters=counters,
        accuracy=accuracy_of(result),
        events=result.events,
        wall_seconds=result.wall_seconds,
    )


def wait_seconds(ticket: Ticket, record: TicketRecord) -> float | None:
    """Seconds from the ticket's arrival (issue, or check-in for a booking) to its first
    call; ``None`` if it was never called."""
    if record.first_called_at is None:
        return None
    return (record.first_called_at - ticket.issued_at).total_seconds()


def accuracy_of(*results: DayResult) -> Accuracy | None:
    """Shown estimate vs real wait, and the naive figure vs real wait, over the called
    tickets of one day or several pooled."""
    signed: list[float] = []
    naive: list[float] = []
    for result in results:
        for ticket in result.tickets:
            record = result.records[ticket.id]
            waited = wait_seconds(ticket, record)
            if waited is None or record.eta_minutes is None or record.naive_minutes is None:
                continue
            signed.append(record.eta_minutes - waited / 60)
            naive.append(abs(record.naive_minutes - waited / 60))
    if not signed:
        return None
    errors = [abs(error) for error in signed]
    return Accuracy(
        tickets=len(errors),
        mae=math.fsum(errors) / len(errors),
        p90=_quantile(errors, 0.9),
        bias=math.fsum(signed) / len(signed),
        naive_mae=math.fsum(naive) / len(naive),
        naive_p90=_quantile(naive, 0.9),
    )


def minutes(seconds: float | None) -> float | None:
    """Seconds as minutes (``None`` stays ``None``)."""
    return None if seconds is None else seconds / 60


def _visit(ticket: Ticket, record: TicketRecord) -> _Visit:
    service_s = None
    if ticket.state is TicketState.SERVED and ticket.started_at and ticket.finished_at:
        service_s = (ticket.finished_at - ticket.started_at).total_seconds()
    return _Visit(ticket, record, wait_seconds(ticket, record), service_s)


def _waits(visits: Sequence[_Visit]) -> WaitFigures:
    values = [v.wait_s for v in visits if v.wait_s is not None]
    return WaitFigures(len(values), _mean(values), percentile(values, 0.5), percentile(values, 0.9))


def _satisfaction(visits: Sequence[_Visit]) -> float | None:
    return _mean([float(v.record.rating) for v in visits if v.record.rating is not None])


def _rated(visits: Sequence[_Visit]) -> int:
    return sum(1 for v in visits if v.record.rating is not None)


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _quantile(values: Sequence[float], share: float) -> float:
    found = percentile(values, share)
    return math.nan if found is None else found


# -- text --------------------------------------------------------------------


def print_figures(figures: DayFigures, out: TextIO) -> None:
    """The day's figures as a short report."""
    write = out.write
    write(
        f"simulated day: scenario {figures.scenario}, seed {figures.seed}, {figures.day}, "
        f"{figures.counters_configured} counters\n"
    )
    away = ", ".join(f"{k} {v}" for k, v in figures.turned_away.items()) or "none"
    write(
        f"planned {figures.planned} people, {figures.booked} of them booked: booked but never "
        f"came {figures.never_came}; turned away: {away}\n"
    )
    kinds = figures.by_kind
    states = figures.by_state
    write(
        f"visitors (tickets) {figures.visitors}: walk-in {kinds['walk_in']}, priority "
        f"{kinds['priority']}, booking {kinds['appointment']}; served {states['served']}, "
        f"no-show {states['no_show']}, cancelled {states['cancelled']}, "
        f"still waiting at close {states['waiting']}, "
        f"still at a counter {states['called'] + states['serving']}; "
        f"transferred {figures.transferred}\n"
    )
    write("waits, issue to first call (minutes)    n    mean     p50     p90\n")
    for kind, waits in figures.waits.items():
        write(
            f"  {kind:<30} {waits.count:>5} {_min(waits.mean_s):>7} {_min(waits.p50_s):>7} "
            f"{_min(waits.p90_s):>7}\n"
        )
    write(
        "service level: first called within the max_wait_minutes of the service issued for: "
        f"{_share(figures.attainment)} of {figures.waits[ALL].count} called\n"
    )
    for level in figures.services:
        write(
            f"  {level.service:<22} target {level.target_minutes:>3} min  "
            f"{_share(level.attainment):>6} of {level.called:>4} called   "
            f"p50 {_min(level.waits.p50_s):>6}  p90 {_min(level.waits.p90_s):>6}  "
            f"service {_min(level.service_mean_s):>5}\n"
        )
    write("visitors per hour of arrival (visitors/served): ")
    write(
        "  ".join(f"{hour:02d}h {visitors}/{served}" for hour, visitors, served in figures.hourly)
    )
    write("\ncounter utilisation: ")
    write("  ".join(f"{c.counter} {_pct(c.utilisation)}" for c in figures.counters))
    write("\n")
    if figures.satisfaction is not None:
        counts = "/".join(str(n) for n in figures.rating_counts)
        write(
            f"satisfaction {figures.satisfaction:.2f} of 5 from {figures.ratings} ratings "
            f"(1 to 5: {counts})\n"
        )
    accuracy = figures.accuracy
    if accuracy is not None:
        write(
            f"estimates shown at issue ({accuracy.tickets} tickets): mae {accuracy.mae:.1f} min, "
            f"p90 {accuracy.p90:.1f} min, bias {accuracy.bias:+.1f} min; naive mae "
            f"{accuracy.naive_mae:.1f} min, p90 {accuracy.naive_p90:.1f} min; "
            f"ratio {accuracy.ratio:.2f}\n"
        )
    write(f"{figures.events} events in {figures.wall_seconds:.1f} s\n")


def _min(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


# -- CSV ---------------------------------------------------------------------


def write_csv(result: DayResult, figures: DayFigures, folder: Path) -> list[Path]:
    """Write the day's tickets and figures as CSV files in ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    zone = result.config.centre.zone
    written = []

    def table(name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        path = folder / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        written.append(path)

    def local(at: datetime | None) -> str:
        return "" if at is None else at.astimezone(zone).isoformat(timespec="seconds")

    rows = []
    for ticket in result.tickets:
        record = result.records[ticket.id]
        waited = wait_seconds(ticket, record)
        rows.append(
            [
                ticket.number,
                record.service,
                ticket.service,
                record.kind,
                ticket.state.value,
                record.first_counter or "",
                ticket.counter or "",
                local(ticket.issued_at),
                local(record.first_called_at),
                local(ticket.called_at),
                local(ticket.finished_at),
                "" if waited is None else f"{waited / 60:.2f}",
                ticket.transfers,
                "" if record.rating is None else record.rating,
                record.ahead,
                "" if record.eta_minutes is None else record.eta_minutes,
                "" if record.naive_minutes is None else f"{record.naive_minutes:.2f}",
            ]
        )
    table(
        "tickets.csv",
        [
            "number",
            "service",
            "ended_in_service",
            "kind",
            "state",
            "counter",
            "ended_at_counter",
            "issued_at",
            "first_called_at",
            "called_at",
            "finished_at",
            "wait_min",
            "transfers",
            "rating",
            "ahead_at_issue",
            "eta_min_at_issue",
            "naive_min_at_issue",
        ],
        rows,
    )
    table(
        "waits.csv",
        ["kind", "tickets", "mean_min", "p50_min", "p90_min"],
        [
            [k, w.count, _cell(minutes(w.mean_s)), _cell(minutes(w.p50_s)), _cell(minutes(w.p90_s))]
            for k, w in figures.waits.items()
        ],
    )
    table(
        "services.csv",
        [
            "service",
            "target_min",
            "tickets",
            "called",
            "within_target",
            "attainment",
            "p50_min",
            "p90_min",
            "service_mean_min",
            "satisfaction",
            "ratings",
        ],
        [
            [
                s.service,
                s.target_minutes,
                s.tickets,
                s.called,
                s.within,
                _cell(s.attainment),
                _cell(minutes(s.waits.p50_s)),
                _cell(minutes(s.waits.p90_s)),
                _cell(minutes(s.service_mean_s)),
                _cell(s.satisfaction),
                s.ratings,
            ]
            for s in figures.services
        ],
    )
    table("hourly.csv", ["hour", "visitors", "served"], figures.hourly)
    table(
        "counters.csv",
        ["counter", "open_min", "busy_min", "visitors", "served", "utilisation"],
        [
            [
                c.counter,
                f"{c.open_minutes:.1f}",
                f"{c.busy_minutes:.1f}",
                c.visitors,
                c.served,
                _cell(c.utilisation),
            ]
            for c in figures.counters
        ],
    )
    summary: list[tuple[str, object]] = [
        ("scenario", figures.scenario),
        ("seed", figures.seed),
        ("day", figures.day),
        ("planned", figures.planned),
        ("booked", figures.booked),
        ("never_came", figures.never_came),
        *((f"turned_away_{reason}", n) for reason, n in figures.turned_away.items()),
        ("visitors", figures.visitors),
        *((f"visitors_{kind}", n) for kind, n in figures.by_kind.items()),
        *((f"tickets_{state}", n) for state, n in figures.by_state.items()),
        ("transferred", figures.transferred),
        ("called", figures.waits[ALL].count),
        ("within_target", figures.within),
        ("attainment", _cell(figures.attainment)),
        ("service_mean_min", _cell(minutes(figures.service_mean_s))),
        ("satisfaction", _cell(figures.satisfaction)),
        ("ratings", figures.ratings),
        *((f"ratings_{stars}", n) for stars, n in enumerate(figures.rating_counts, start=1)),
        ("events", figures.events),
    ]
    if figures.accuracy is not None:
        a = figures.accuracy
        summary += [
            ("eta_tickets", a.tickets),
            ("eta_mae_min", _cell(a.mae)),
            ("eta_p90_min", _cell(a.p90)),
            ("eta_bias_min", _cell(a.bias)),
            ("naive_mae_min", _cell(a.naive_mae)),
            ("naive_p90_min", _cell(a.naive_p90)),
            ("ratio", _cell(a.ratio)),
        ]
    table("summary.csv", ["figure", "value"], summary)
    return written


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"
