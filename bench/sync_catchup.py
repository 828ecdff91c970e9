"""Catching up after an outage: draining 20,000 queued events, and pulling 5,000 appointments.

Prints one line each, e.g.
``sqlite drain events=20000 seconds=6.1 rss_mb_start=80 rss_mb_end=82`` and
``sqlite pull appointments=5000 seconds=1.9 rss_mb_start=80 rss_mb_end=81``.
The reference central runs in its own process on 127.0.0.1 (so its memory is
not counted); the agent is the real one, on the real store. PostgreSQL runs
too when ``TABOOR_BENCH_PG`` (or ``TABOOR_TEST_PG``) names a server it may
create schemas in.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from databases import pg_url, sqlite_url

from centre import syncing
from centre.clock import FixedClock
from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.domain import Event, EventType, Priority, Source
from centre.store.unit_of_work import Store
from sync.agent import AgentClient, SyncAgent
from sync.errors import SyncError

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-token"  # noqa: S105 (a made-up token for a local simulator)
# A Sunday afternoon in Manama, after a morning without the central.
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=ZoneInfo("Asia/Bahrain"))
OUTAGE = timedelta(hours=8)

_SIM = """
import sys
from centre.config import DEFAULT_CONFIG, load_config
from sync.central_sim import serve

port, per_day = int(sys.argv[1]), int(sys.argv[2])
serve("127.0.0.1", port, configs=[load_config(DEFAULT_CONFIG, environ={})], token=sys.argv[3],
      churn_seconds=None, appointments_per_day=per_day, page_size=500)
"""


def rss_mb() -> float:
    """This process's resident memory now, in MiB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        # No /proc: the peak so far (kilobytes on Linux, bytes on macOS).
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def central(appointments_per_day: int) -> Iterator[str]:
    """The reference central in a child process; yields its URL once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", _SIM, str(port), str(appointments_per_day), TOKEN],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        with AgentClient(url, TOKEN, connect_timeout=0.5, read_timeout=2) as client:
            while True:
                try:
                    client.health()
                    break
                except SyncError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError("the reference central did not start") from None
                    time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def fill_outage(store: Store, count: int) -> None:
    """``count`` events of an eight-hour outage, written in one transaction."""
    start = NOW - OUTAGE
    step = OUTAGE / count
    kinds = (EventType.TICKET_ISSUED, EventType.CALLED, EventType.SERVING, EventType.SERVED)
    events = []
    for i in range(count):
        ticket = i // len(kinds)
        kind = kinds[i % len(kinds)]
        events.append(
            Event.new(
                kind,
                start + step * i,
                ticket_id=str(uuid.UUID(int=ticket + 1, version=4)),
                ticket_number=f"A{ticket % 1000:03d}",
                service="licence-renewal",
                counter=None if kind is EventType.TICKET_ISSUED else "1",
                data={"priority": Priority.NORMAL.value, "source": Source.WALK_IN.value},
            )
        )
    with store.write() as repo:
        repo.append(events)


def agent_for(store: Store, config: CentreConfig, url: str) -> tuple[SyncAgent, AgentClient]:
    client = AgentClient(url, TOKEN)
    return SyncAgent(store, FixedClock(NOW), config, client), client


def drain(url: str, config: CentreConfig, db: str, events: int) -> str:
    store = Store.open(db)
    try:
        fill_outage(store, events)
        agent, client = agent_for(store, config, url)
        with client:
            start_mb = rss_mb()
            started = time.perf_counter()
            report = agent.run_once()
            seconds = time.perf_counter() - started
        if report is None or report.error is not None or syncing.pending_events(store):
            raise RuntimeError(f"the drain did not finish: {report}")
        return (
            f"drain events={report.pushed + report.duplicates} seconds={seconds:.1f} "
            f"rss_mb_start={start_mb:.0f} rss_mb_end={rss_mb():.0f}"
        )
    finally:
        store.close()


def pull(url: str, config: CentreConfig, db: str) -> str:
    store = Store.open(db)
    try:
        agent, client = agent_for(store, config, url)
        with client:
            # The simulator makes up a day on first asking: not the agent's time.
            client.appointments(config.centre.id, NOW.date())
            start_mb = rss_mb()
            started = time.perf_counter()
            report = agent.run_once()
            seconds = time.perf_counter() - started
        if report is None or report.error is not None:
            raise RuntimeError(f"the pull did not finish: {report}")
        return (
            f"pull appointments={report.pulled} seconds={seconds:.1f} "
            f"rss_mb_start={start_mb:.0f} rss_mb_end={rss_mb():.0f}"
        )
    finally:
        store.close()


@contextmanager
def databases(with_pg: bool) -> Iterator[list[tuple[str, str, str]]]:
    """(name, drain URL, pull URL) for SQLite, and PostgreSQL when a server is given."""
    server = os.environ.get("TABOOR_BENCH_PG") or os.environ.get("TABOOR_TEST_PG")
    with ExitStack() as stack:
        found = [
            (
                "sqlite",
                stack.enter_context(sqlite_url("drain.db")),
                stack.enter_context(sqlite_url("pull.db")),
            )
        ]
        if with_pg and server:
            found.append(
                (
                    "postgresql",
                    stack.enter_context(pg_url(server)),
                    stack.enter_context(pg_url(server)),
                )
            )
        yield found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--appointments", type=int, default=5_000)
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    config = load_config(DEFAULT_CONFIG, environ={})
    with databases(not args.no_pg) as found:
        for name, drain_db, pull_db in found:
            with central(0) as url:
                print(f"{name} {drain(url, config, drain_db, args.events)}", flush=True)
            with central(args.appointments) as url:
                print(f"{name} {pull(url, config, pull_db)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
