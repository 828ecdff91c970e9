"""Reports over a busy centre's year, and the live centre's issuing while one runs.

The year: one busy day is played through the real use cases by the simulator
(``taboor simulate``'s ``busy`` scenario: 3,000 visitors, bookings, priority
visitors, transfers, no-shows, breaks, ratings), then copied to ``--days``
consecutive days ending yesterday, with new ids and ``seq`` numbers: every
ticket, event, rating and booking, as the use cases wrote them. Then:

- **roll-up**: the days' close rolls each closed day up
  (:func:`centre.reports.roll_up_closed_days`): seconds per day, median;
- **raw month**: a 30-day report read from the tickets and the log, as
  every report was before roll-ups (measured before rolling up), to compare;
- **reports**: every split (day, week, month, service, counter, clerk, hour,
  weekday-hour) over the whole year, ``--repeat`` times each: the median of
  each, and the worst of those medians;
- **live issuing**: ``taboor serve`` on that database; a kiosk issues a
  walk-in ticket every ``--pace`` seconds through the API, ``--issues``
  times with no report running, then as many times while an integrator asks
  for the slowest year report over and over (``GET /api/v1/reports``). The
  p95 of each, and their ratio.

Prints one line per database, e.g. ``sqlite days=300 tickets=900000
events=4200000 worst_report_s=1.42 live_issue_p95_ms=8.1
live_issue_p95_ms_during=8.9 during_ratio=1.10 …``; ``--details`` adds
lines on stderr. PostgreSQL runs when ``TABOOR_BENCH_PG`` (or
``TABOOR_TEST_PG``) names a server it may create schemas in. Never asserts a
timing.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from databases import print_each, wanted_databases
from served import API, SERVICES, issue, now, percentile, serving, unlimited_toml
from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from centre import reports
from centre.config import CentreConfig, load_config
from centre.store import schema
from centre.store.unit_of_work import Store
from sim.day import run_day
from sim.plan import plan_day
from sim.scenarios import scaled_config, scenario


@dataclass
class Template:
    """One played day's rows, to copy."""

    day: date
    tickets: list[dict[str, Any]]
    events: list[dict[str, Any]]
    feedback: list[dict[str, Any]]
    appointments: list[dict[str, Any]]
    staff: list[dict[str, Any]]


def play_template(config: CentreConfig) -> Template:
    """The busy scenario's day, played on a SQLite file of its own."""
    chosen = scenario("busy")
    centre = scaled_config(config, chosen.counter_scale)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'day.db'}")
        try:
            plan = plan_day(centre, chosen, 7, store.cpr_key())
            run_day(store, centre, chosen, plan, 7)
            with store.read() as repo:
                rows = {
                    table.name: [dict(r._mapping) for r in repo.connection.execute(select(table))]
                    for table in (
                        schema.tickets,
                        schema.events,
                        schema.feedback,
                        schema.appointments,
                        schema.staff,
                    )
                }
        finally:
            store.close()
    return Template(
        plan.day,
        rows["tickets"],
        sorted(rows["events"], key=lambda e: e["seq"]),
        rows["feedback"],
        rows["appointments"],
        rows["staff"],
    )


def copy_year(store: Store, template: Template, days: int, last: date) -> tuple[int, int]:
    """Copy the template to ``days`` days ending ``last``; (tickets, events) written."""
    first_seq = template.events[0]["seq"]
    span = template.events[-1]["seq"] - first_seq + 1
    if template.staff:
        with store.engine.begin() as connection:
            connection.execute(insert(schema.staff), template.staff)
    tickets = events = 0
    for index in range(days):
        day = last - timedelta(days=days - 1 - index)
        shift = day - template.day
        ticket_id = {t["id"]: f"t{index:04d}-{n:030d}" for n, t in enumerate(template.tickets)}
        booking_id = {a["id"]: f"a{index:04d}-{a['id']}" for a in template.appointments}

        def moved(row: dict[str, Any], shift: timedelta = shift) -> dict[str, Any]:
            out = dict(row)
            for name, value in row.items():
                if isinstance(value, datetime | date):
                    out[name] = value + shift
            return out

        rows: dict[Table, list[dict[str, Any]]] = {
            schema.appointments: [
                moved(a)
                | {"id": booking_id[a["id"]], "reference": f"{a['reference'][:24]}-{index}"}
                for a in template.appointments
            ],
            schema.tickets: [
                moved(t)
                | {"id": ticket_id[t["id"]], "appointment_id": booking_id.get(t["appointment_id"])}
                for t in template.tickets
            ],
            schema.events: [
                moved(e)
                | {
                    "seq": index * span + e["seq"] - first_seq + 1,
                    "id": f"e{index:04d}-{n:030d}",
                    "ticket_id": ticket_id.get(e["ticket_id"], e["ticket_id"]),
                    "appointment_id": booking_id.get(e["appointment_id"], e["appointment_id"]),
                }
                for n, e in enumerate(template.events)
            ],
            schema.feedback: [
                moved(f) | {"ticket_id": ticket_id[f["ticket_id"]]} for f in template.feedback
            ],
        }
        bulk_insert(store, rows)
        tickets += len(template.tickets)
        events += len(template.events)
    with store.engine.begin() as connection:
        connection.execute(update(schema.event_head).values(last_seq=days * span))
    return tickets, events


def bulk_insert(store: Store, rows: dict[Table, list[dict[str, Any]]]) -> None:
    """Insert the rows in one transaction with the driver's fastest way in (SQLite's
    ``executemany``, PostgreSQL's ``COPY``), stored as the store's types store them:
    datetimes as naive UTC, and on SQLite as SQLAlchemy's text."""
    sqlite = store.dialect == "sqlite"

    def stored(value: Any) -> Any:
        if isinstance(value, datetime):
            value = value.astimezone(UTC).replace(tzinfo=None)
            return value.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else value
        if isinstance(value, date) and sqlite:
            return value.isoformat()
        if isinstance(value, bool) and sqlite:
            return int(value)
        return value

    with store.engine.begin() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        for table, values in rows.items():
            if not values:
                continue
            names = [column.name for column in table.columns if column.name in values[0]]
            tuples = [tuple(stored(row[name]) for name in names) for row in values]
            columns = ", ".join(f'"{name}"' for name in names)
            if sqlite:
                marks = ", ".join("?" * len(names))
                raw.executemany(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", tuples)
            else:
                cursor = raw.cursor()
                with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                    for row in tuples:
                        copy.write_row(row)


def timed(action: Callable[[], object]) -> float:
    """Seconds ``action`` took."""
    started = now()
    action()
    return now() - started


@contextmanager
def given(db: str) -> Iterator[str]:
    """``db`` itself, for :func:`served.serving`."""
    yield db


def measure(
    name: str,
    make_db: Callable[[], AbstractContextManager[str]],
    template: Template,
    config: CentreConfig,
    options: argparse.Namespace,
) -> str:
    """One database's line."""
    details = options.details
    with make_db() as db:
        store = Store.open(db)
        try:
            today = datetime.now(UTC).astimezone(config.centre.zone).date()
            started = now()
            tickets, events = copy_year(store, template, options.days, today - timedelta(days=1))
            copied = now() - started
            month_start = today - timedelta(days=30)
            raw_month = timed(
                lambda: reports.report(store, config, month_start, today - timedelta(days=1), "day")
            )
            rolled = timed(lambda: reports.roll_up_closed_days(store, config, datetime.now(UTC)))
            first = today - timedelta(days=options.days)
            seconds: dict[str, float] = {}
            for by in reports.BY:
                year = partial(reports.report, store, config, first, today, by)
                runs = [timed(year) for _ in range(options.repeat)]
                seconds[by] = statistics.median(runs)
        finally:
            store.close()
        worst_by = max(seconds, key=seconds.__getitem__)
        if details:
            print(f"{name}: copied {options.days} days in {copied:.1f} s", file=sys.stderr)
            for by, taken in seconds.items():
                print(f"{name}: year by {by}: {taken:.3f} s", file=sys.stderr)
        quiet, during, http_report = live_issuing(db, first, today, worst_by, options)
    return (
        f"{name} days={options.days} tickets={tickets} events={events} "
        f"worst_report_s={seconds[worst_by]:.2f} worst_by={worst_by} "
        f"report_median_s={statistics.median(seconds.values()):.2f} "
        f"raw_month_s={raw_month:.2f} rollup_s_per_day={rolled / options.days:.3f} "
        f"http_report_s={http_report:.2f} "
        f"live_issue_p50_ms={1000 * percentile(quiet, 0.5):.1f} "
        f"live_issue_p95_ms={1000 * percentile(quiet, 0.95):.1f} "
        f"live_issue_p50_ms_during={1000 * percentile(during, 0.5):.1f} "
        f"live_issue_p95_ms_during={1000 * percentile(during, 0.95):.1f} "
        f"during_ratio={percentile(during, 0.95) / percentile(quiet, 0.95):.2f}"
    )


def live_issuing(
    db: str, first: date, last: date, by: str, options: argparse.Namespace
) -> tuple[list[float], list[float], float]:
    """Issue latencies with no report running and while reports run; a report's median time."""
    with serving(lambda: given(db)) as served:
        kiosk = served.devices("kiosk", 1)
        reader = served.client(served.enrol("integrator"))
        # The report worker starts with the first report: not part of the figures.
        query = {"from": first.isoformat(), "to": last.isoformat(), "by": by}
        warm = reader.get(f"{API}/reports", params=query, timeout=120)
        if warm.status_code != 200:
            raise RuntimeError(f"reports: {warm.status_code} {warm.text[:200]}")

        def issues() -> list[float]:
            taken = []
            for number in range(options.issues):
                started = now()
                issue(kiosk, SERVICES[number % len(SERVICES)])
                finished = now()
                taken.append(finished - started)
                pause = options.pace - (finished - started)
                if pause > 0:
                    threading.Event().wait(pause)
            return taken

        quiet = issues()
        stop = threading.Event()
        report_s: list[float] = []

        def ask() -> None:
            while not stop.is_set():
                started = now()
                answer = reader.get(f"{API}/reports", params=query, timeout=120)
                if answer.status_code == 200:
                    report_s.append(now() - started)

        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
        during = issues()
        stop.set()
        asking.join(timeout=120)
    return quiet, during, statistics.median(report_s) if report_s else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each report")
    parser.add_argument("--issues", type=int, default=300, help="tickets issued each way")
    parser.add_argument("--pace", type=float, default=0.1, help="seconds between issues")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--details", action="store_true")
    parser.add_argument(
        "--template", metavar="FILE", help="keep the played day in FILE and use it next time"
    )
    options = parser.parse_args()
    databases = wanted_databases(options.databases)
    with tempfile.TemporaryDirectory() as home:
        config = load_config(unlimited_toml(Path(home)), environ={})
    started = now()
    saved = Path(options.template) if options.template else None
    if saved is not None and saved.exists():
        template = pickle.loads(saved.read_bytes())  # noqa: S301 - the bench's own file
    else:
        template = play_template(config)
        if saved is not None:
            saved.write_bytes(pickle.dumps(template))
    if options.details:
        print(
            f"played the template day ({len(template.tickets)} tickets, "
            f"{len(template.events)} events) in {now() - started:.1f} s",
            file=sys.stderr,
        )
    return print_each(
        "reports",
        databases,
        lambda name, make: measure(name, make, template, config, options),
        (SQLAlchemyError, RuntimeError, httpx.HTTPError, OSError),
    )


if __name__ == "__main__":
    sys.exit(main())
