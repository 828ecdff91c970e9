"""Issue and call-next latency with 10, 1,000 and 10,000 tickets waiting, and a cold `taboor issue`.

Prints one line per database and queue size, e.g.
``sqlite waiting=1000 issue_p50_ms=1.9 issue_p95_ms=2.6 call_p50_ms=2.4 call_p95_ms=3.1``,
then the cold start of the command as a process. PostgreSQL runs when
``TABOOR_BENCH_PG`` (or ``TABOOR_TEST_PG``) names a server it may create schemas in.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from databases import pg_url, sqlite_url

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.domain import Priority, Source, Ticket
from centre.store.unit_of_work import Store

ROOT = Path(__file__).resolve().parents[1]


def unlimited() -> CentreConfig:
    config = load_config(DEFAULT_CONFIG, environ={})
    services = [
        s.model_copy(update={"daily_quota": None, "max_wait_minutes": 24 * 60})
        for s in config.services
    ]
    return config.model_copy(update={"services": services})


def fill(store: Store, config: CentreConfig, clock: FixedClock, count: int) -> None:
    """Put ``count`` waiting tickets in the queues, the way issue_ticket stores them."""
    day = uc.business_day(config, clock.now())
    walk_in = [s for s in config.services if s.walk_in]
    start = clock.now() - timedelta(seconds=count)
    with store.write() as repo:
        for i in range(count):
            service = walk_in[i % len(walk_in)]
            at = start + timedelta(seconds=i)
            ticket = Ticket(
                id=str(uuid.uuid4()),
                business_day=day,
                number=uc.format_number(service.prefix, repo.next_number(day, service.prefix)),
                service=service.code,
                source=Source.WALK_IN,
                priority=Priority.ELDERLY if i % 7 == 0 else Priority.NORMAL,
                issued_at=at,
                arrived_at=at,
            )
            ticket.record_issued()
            [event] = repo.append(ticket.events)
            ticket.arrival_seq = event.seq or 0
            repo.add_ticket(ticket)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(store: Store, config: CentreConfig, clock: FixedClock, rounds: int) -> dict[str, float]:
    issue_ms: list[float] = []
    call_ms: list[float] = []
    counters = [c.id for c in config.counters]
    walk_in = [s.code for s in config.services if s.walk_in]
    for i in range(rounds):
        clock.advance(timedelta(seconds=1))
        started = time.perf_counter()
        uc.issue_ticket(store, clock, config, walk_in[i % len(walk_in)])
        issue_ms.append((time.perf_counter() - started) * 1000)
        counter = counters[i % len(counters)]
        started = time.perf_counter()
        called = uc.call_next(store, clock, config, counter)
        call_ms.append((time.perf_counter() - started) * 1000)
        if called is not None:
            uc.start_serving(store, clock, config, counter)
            uc.finish(store, clock, config, counter)
    return {
        "issue_p50_ms": statistics.median(issue_ms),
        "issue_p95_ms": percentile(issue_ms, 0.95),
        "call_p50_ms": statistics.median(call_ms),
        "call_p95_ms": percentile(call_ms, 0.95),
    }


def run_database(name: str, make_url_: Callable[[], object], sizes: list[int], rounds: int) -> None:
    config = unlimited()
    for size in sizes:
        with make_url_() as url:  # type: ignore[attr-defined]
            store = Store.open(url)
            clock = FixedClock(load_clock_start(config))
            fill(store, config, clock, size)
            figures = measure(store, config, clock, rounds)
            store.close()
        shown = " ".join(f"{key}={value:.2f}" for key, value in figures.items())
        print(f"{name} waiting={size} {shown}", flush=True)


def load_clock_start(config: CentreConfig) -> datetime:
    # 18:00 in the centre: room for 10,000 arrivals earlier the same day.
    return datetime(2026, 11, 22, 18, 0, tzinfo=config.centre.zone)


def cold_start(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "TABOOR_HOME": folder, "TABOOR_DB": f"sqlite:///{folder}/cold.db"}
        env.pop("TABOOR_CONFIG", None)
        command = [str(Path(sys.executable).with_name("taboor")), "issue", "A"]
        subprocess.run(command, env=env, capture_output=True, check=True)  # creates the schema
        issue = _times(command, env, runs)
        python = _times([sys.executable, "-c", "pass"], env, runs)
    print(
        f"cold_taboor_issue median_ms={statistics.median(issue):.0f} "
        f"p95_ms={percentile(issue, 0.95):.0f} "
        f"python_alone_median_ms={statistics.median(python):.0f}"
    )


def _times(command: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,10000")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--cold-runs", type=int, default=15)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    run_database("sqlite", sqlite_url, sizes, args.rounds)
    pg = os.environ.get("TABOOR_BENCH_PG") or os.environ.get("TABOOR_TEST_PG")
    if pg:
        run_database("postgresql", lambda: pg_url(pg), sizes, args.rounds)
    else:
        print("postgresql skipped: set TABOOR_BENCH_PG to a server URL")
    cold_start(args.cold_runs)


if __name__ == "__main__":
    main()
