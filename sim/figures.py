"""The day's figures: waits by kind of visitor, service levels, tickets per hour, no-shows,
counter utilisation and how good the estimates shown at issue were; as text and CSV."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from centre.domain import Ticket, TicketState
from sim.day import DayResult

KINDS = ("walk_in", "appointment", "priority")


@dataclass(frozen=True)
class WaitFigures:
    """Waits (minutes, issue to first call) of a group of tickets."""

    count: int
    p50: float | None
    p90: float | None


@dataclass(frozen=True)
class ServiceLevel:
    """How many of a service's tickets were called within its target wait."""

    service: str
    target_minutes: int
    tickets: int
    within: int
    waits: WaitFigures

    @property
    def attainment(self) -> float | None:
        """The share called within the target (``None``: no tickets)."""
        return self.within / self.tickets if self.tickets else None


@dataclass(frozen=True)
class CounterFigures:
    """One counter's day."""

    counter: str
    open_minutes: float
    busy_minutes: float
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
    visitors: int
    never_came: int
    turned_away: dict[str, int]
    issued: int
    by_state: dict[str, int]
    waits: dict[str, WaitFigures]
    services: list[ServiceLevel]
    hourly: list[tuple[int, int, int]]  # hour, issued, served
    counters: list[CounterFigures]
    accuracy: Accuracy | None
    events: int
    wall_seconds: float


def figures_of(result: DayResult) -> DayFigures:
    """Work out the figures of a finished day from its tickets and records."""
    tickets = result.tickets
    zone = result.config.centre.zone
    by_state = {state.value: 0 for state in TicketState}
    for ticket in tickets:
        by_state[ticket.state.value] += 1
    kinds: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for ticket in tickets:
        waited = wait_minutes(ticket)
        record = result.records.get(ticket.id)
        if waited is not None and record is not None:
            kinds.setdefault(record.kind, []).append(waited)
    services = []
    for service in result.config.services:
        own = [t for t in tickets if t.service == service.code]
        target = service.max_wait_minutes
        within = sum(1 for t in own if (w := wait_minutes(t)) is not None and w <= target)
        waits = [w for t in own if (w := wait_minutes(t)) is not None]
        services.append(ServiceLevel(service.code, target, len(own), within, _waits(waits)))
    hours: dict[int, list[int]] = {}
    for ticket in tickets:
        hours.setdefault(ticket.issued_at.astimezone(zone).hour, [0, 0])[0] += 1
        if ticket.state is TicketState.SERVED and ticket.finished_at is not None:
            hours.setdefault(ticket.finished_at.astimezone(zone).hour, [0, 0])[1] += 1
    counters = [
        CounterFigures(book.id, book.open_s / 60, book.busy_s / 60, book.served)
        for book in result.counters.values()
    ]
    return DayFigures(
        scenario=result.scenario.name,
        seed=result.seed,
        day=result.plan.day.isoformat(),
        counters_configured=len(result.config.counters),
        visitors=len(result.plan.visitors),
        never_came=result.never_came,
        turned_away=dict(sorted(result.turned_away.items())),
        issued=len(tickets),
        by_state=by_state,
        waits={kind: _waits(values) for kind, values in kinds.items()},
        services=services,
        hourly=[(hour, pair[0], pair[1]) for hour, pair in sorted(hours.items())],
        counters=counters,
        accuracy=accuracy_of(result),
        events=result.events,
        wall_seconds=result.wall_seconds,
    )


def accuracy_of(*results: DayResult) -> Accuracy | None:
    """Shown estimate vs real wait, and the naive figure vs real wait, over the called
    tickets of one day or several pooled."""
    signed: list[float] = []
    naive: list[float] = []
    for result in results:
        for ticket in result.tickets:
            record = result.records.get(ticket.id)
            waited = wait_minutes(ticket)
            if record is None or waited is None:
                continue
            if record.eta_minutes is None or record.naive_minutes is None:
                continue
            signed.append(record.eta_minutes - waited)
            naive.append(abs(record.naive_minutes - waited))
    if not signed:
        return None
    errors = [abs(error) for error in signed]
    return Accuracy(
        tickets=len(errors),
        mae=sum(errors) / len(errors),
        p90=percentile(errors, 0.9),
        bias=sum(signed) / len(signed),
        naive_mae=sum(naive) / len(naive),
        naive_p90=percentile(naive, 0.9),
    )


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile (linear between order statistics)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = share * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _waits(values: Sequence[float]) -> WaitFigures:
    if not values:
        return WaitFigures(0, None, None)
    return WaitFigures(len(values), percentile(values, 0.5), percentile(values, 0.9))


def wait_minutes(ticket: Ticket) -> float | None:
    # From issue (check-in for appointments) to the first call.
    called: datetime | None = ticket.called_at
    if called is None:
        return None
    return (called - ticket.issued_at).total_seconds() / 60


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
        f"visitors {figures.visitors}: booked but never came {figures.never_came}; "
        f"turned away: {away}\n"
    )
    states = figures.by_state
    write(
        f"tickets {figures.issued}: served {states['served']}, no-show {states['no_show']}, "
        f"cancelled {states['cancelled']}, still waiting at close {states['waiting']}, "
        f"still at a counter {states['called'] + states['serving']}\n"
    )
    write("waits, issue to call (minutes)      n     p50     p90\n")
    for kind, waits in figures.waits.items():
        write(f"  {kind:<30} {waits.count:>5} {_num(waits.p50):>7} {_num(waits.p90):>7}\n")
    write("service level: called within the service's max_wait_minutes\n")
    for level in figures.services:
        share = "-" if level.attainment is None else f"{100 * level.attainment:.1f}%"
        write(
            f"  {level.service:<22} target {level.target_minutes:>3} min  {share:>6} "
            f"of {level.tickets:>4}   p50 {_num(level.waits.p50):>6}  "
            f"p90 {_num(level.waits.p90):>6}\n"
        )
    write("tickets per hour (issued/served): ")
    write("  ".join(f"{hour:02d}h {issued}/{served}" for hour, issued, served in figures.hourly))
    write("\ncounter utilisation: ")
    write("  ".join(f"{c.counter} {_pct(c.utilisation)}" for c in figures.counters))
    write("\n")
    accuracy = figures.accuracy
    if accuracy is not None:
        write(
            f"estimates shown at issue ({accuracy.tickets} tickets): mae {accuracy.mae:.1f} min, "
            f"p90 {accuracy.p90:.1f} min, bias {accuracy.bias:+.1f} min; naive mae "
            f"{accuracy.naive_mae:.1f} min, p90 {accuracy.naive_p90:.1f} min; "
            f"ratio {accuracy.ratio:.2f}\n"
        )
    write(f"{figures.events} events in {figures.wall_seconds:.1f} s\n")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


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
        record = result.records.get(ticket.id)
        waited = wait_minutes(ticket)
        rows.append(
            [
                ticket.number,
                ticket.service,
                record.kind if record else "",
                ticket.state.value,
                ticket.counter or "",
                local(ticket.issued_at),
                local(ticket.called_at),
                local(ticket.finished_at),
                "" if waited is None else f"{waited:.2f}",
                "" if record is None else record.ahead,
                "" if record is None or record.eta_minutes is None else record.eta_minutes,
                ""
                if record is None or record.naive_minutes is None
                else f"{record.naive_minutes:.2f}",
            ]
        )
    table(
        "tickets.csv",
        [
            "number",
            "service",
            "kind",
            "state",
            "counter",
            "issued_at",
            "called_at",
            "finished_at",
            "wait_min",
            "ahead_at_issue",
            "eta_min_at_issue",
            "naive_min_at_issue",
        ],
        rows,
    )
    table(
        "waits.csv",
        ["kind", "tickets", "p50_min", "p90_min"],
        [[k, w.count, _cell(w.p50), _cell(w.p90)] for k, w in figures.waits.items()],
    )
    table(
        "services.csv",
        ["service", "target_min", "tickets", "within_target", "attainment", "p50_min", "p90_min"],
        [
            [
                s.service,
                s.target_minutes,
                s.tickets,
                s.within,
                _cell(s.attainment),
                _cell(s.waits.p50),
                _cell(s.waits.p90),
            ]
            for s in figures.services
        ],
    )
    table("hourly.csv", ["hour", "issued", "served"], figures.hourly)
    table(
        "counters.csv",
        ["counter", "open_min", "busy_min", "served", "utilisation"],
        [
            [
                c.counter,
                f"{c.open_minutes:.1f}",
                f"{c.busy_minutes:.1f}",
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
        ("visitors", figures.visitors),
        ("never_came", figures.never_came),
        ("tickets", figures.issued),
        *((f"tickets_{state}", n) for state, n in figures.by_state.items()),
        *((f"turned_away_{reason}", n) for reason, n in figures.turned_away.items()),
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
