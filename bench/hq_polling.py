"""Head office polling 20 centres every 10 s: what each centre server spends answering.

One ``taboor serve`` as deployed (bench/served.py) holds a busy centre's day:
the day simulator plays today up to now on its database (about a thousand
tickets, with their calls, transfers and ratings), then the kiosk API adds a
queue of visitors waiting. Head office asks each centre ``GET /api/v1/summary``
once every 10 s; here ``--centres`` pollers, each with its own integrator
token and keep-alive connection, ask that one server in rounds, all at once
as head office does, ``--speed`` times faster (every 10 / speed s), so the
server answers ``--centres`` times the polls a real centre answers, compressed
in time. The server's CPU time (from ``/proc``, its worker processes
included, its idle CPU over as long subtracted) divided by the polls is one
poll's cost; a real centre pays it once every 10 s, which gives its share of
one core. The latency is each
request's, timed here over loopback: one poll at a time, as a real centre
is asked, and in the compressed rounds, where each waits behind the others
of its round. Then a period report (``GET
/api/v1/reports?by=service`` over today, what ranking the centres asks of
each) is timed the same way, twice: the first starts the server's report
worker.

Prints one line per database, e.g. ``sqlite hq_poll centres=20 every_s=10
tickets_today=1211 waiting=43 centre_cpu_ms_per_poll=14.9 p50_ms=17.0
p95_ms=25.0 p50_ms_20_at_once=363.7 p95_ms_20_at_once=597.2
share_of_one_core_pct=0.149 report_cpu_ms_first=740 report_cpu_ms=60``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path

import httpx
from databases import print_each, wanted_databases
from served import API, SERVICES, Served, percentile, serving

from centre.clock import SystemClock
from centre.usecases import business_day
from sim.day import run_day
from sim.plan import plan_day
from sim.scenarios import Scenario

#: Head office's own round: every centre once every this many seconds.
EVERY_S = 10.0


def tree_cpu_seconds(pid: int) -> float:
    """CPU time so far of ``pid`` and every process under it, living or reaped (the server
    runs reports in a worker process of its own)."""
    children: dict[int, list[int]] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        # utime, stime, and cutime, cstime: the children it has reaped.
        ticks[int(entry.name)] = sum(int(f) for f in fields[11:15])
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += ticks.get(current, 0)
        pending.extend(children.get(current, []))
    return total / os.sysconf("SC_CLK_TCK")


def fill_today(served: Served, visitors: int, waiting: int) -> tuple[int, int]:
    """Today played by the day simulator, then ``waiting`` walk-ins through the kiosk API;
    today's tickets and how many wait."""
    config = served.config
    today = business_day(config, SystemClock().now())
    scenario = Scenario("hq-bench", visitors=visitors, counter_scale=2)
    plan = plan_day(config, scenario, 16, served.store.cpr_key(), day=today)
    run_day(served.store, config, scenario, plan, 16)
    kiosk = served.devices("kiosk", 1)
    for index in range(waiting):
        answer = kiosk.post(f"{API}/tickets", json={"service": SERVICES[index % len(SERVICES)]})
        answer.raise_for_status()
    summary = served.client(served.enrol("integrator")).get(f"{API}/summary").json()
    return summary["today"]["visitors"], summary["waiting"]


async def poll(served: Served, centres: int, rounds: int, every: float) -> list[float]:
    """``rounds`` rounds of ``centres`` pollers asking at once, a round every ``every`` s;
    each request's latency in ms."""
    tokens = [served.enrol("integrator") for _ in range(centres)]
    clients = [
        httpx.AsyncClient(base_url=served.url, headers={"Authorization": f"Bearer {t}"}, timeout=10)
        for t in tokens
    ]

    async def ask(client: httpx.AsyncClient) -> float:
        started = time.perf_counter()
        answer = await client.get(f"{API}/summary")
        answer.raise_for_status()
        return (time.perf_counter() - started) * 1000

    latencies: list[float] = []
    try:
        await asyncio.gather(*(ask(c) for c in clients))  # connections made, not counted
        if centres == 1:
            # One poll at a time, as a real centre is asked: no queueing behind the others.
            for _ in range(rounds):
                started = time.perf_counter()
                latencies.append(await ask(clients[0]))
                await asyncio.sleep(max(0.0, every - (time.perf_counter() - started)))
            return latencies
        for _ in range(rounds):
            started = time.perf_counter()
            latencies += await asyncio.gather(*(ask(c) for c in clients))
            await asyncio.sleep(max(0.0, every - (time.perf_counter() - started)))
    finally:
        for client in clients:
            await client.aclose()
    return latencies


def measure(make_db: Callable[[], AbstractContextManager[str]], args: argparse.Namespace) -> str:
    """One database's line."""
    with serving(make_db) as served:
        tickets, waiting = fill_today(served, args.visitors, args.waiting)
        every = EVERY_S / args.speed
        seconds = args.rounds * every
        # What the server spends doing nothing for as long (its housekeeping, the log's tail).
        idle_from = tree_cpu_seconds(served.pid)
        time.sleep(seconds)
        idle = tree_cpu_seconds(served.pid) - idle_from
        busy_from = tree_cpu_seconds(served.pid)
        started = time.perf_counter()
        latencies = asyncio.run(poll(served, args.centres, args.rounds, every))
        elapsed = time.perf_counter() - started
        busy = tree_cpu_seconds(served.pid) - busy_from - idle * elapsed / seconds
        per_poll_ms = max(busy, 0.0) * 1000 / len(latencies)
        today = date.fromisoformat(
            served.client(served.enrol("integrator")).get(f"{API}/summary").json()["day"]
        )
        alone = asyncio.run(poll(served, 1, args.rounds, 0.05))
        reader = served.client(served.enrol("integrator"))
        period = {"from": today.isoformat(), "to": today.isoformat(), "by": "service"}
        # The first report starts the server's report worker; the second is the report alone.
        costs = []
        for _ in range(2):
            report_from = tree_cpu_seconds(served.pid)
            answer = reader.get(f"{API}/reports", params=period)
            if answer.status_code != 200:
                print(f"  the period report answered {answer.status_code}", file=sys.stderr)
                costs.append("na")
            else:
                costs.append(f"{(tree_cpu_seconds(served.pid) - report_from) * 1000:.0f}")
        print(
            f"  {len(latencies)} polls in {elapsed:.1f} s; server CPU {busy:.2f} s above idle "
            f"({idle:.2f} s idle over {seconds:.0f} s); mean {statistics.fmean(latencies):.1f} ms",
            file=sys.stderr,
        )
        return (
            f"hq_poll centres={args.centres} every_s={EVERY_S:g} tickets_today={tickets} "
            f"waiting={waiting} centre_cpu_ms_per_poll={per_poll_ms:.2f} "
            f"p50_ms={percentile(alone, 0.5):.1f} p95_ms={percentile(alone, 0.95):.1f} "
            f"p50_ms_{args.centres}_at_once={percentile(latencies, 0.5):.1f} "
            f"p95_ms_{args.centres}_at_once={percentile(latencies, 0.95):.1f} "
            f"share_of_one_core_pct={per_poll_ms / (EVERY_S * 1000) * 100:.3f} "
            f"report_cpu_ms_first={costs[0]} report_cpu_ms={costs[1]}"
        )


def main() -> int:
    """Run the bench and print its lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite", help="sqlite,postgresql")
    parser.add_argument("--centres", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--speed", type=float, default=20.0, help="rounds this much faster")
    parser.add_argument("--visitors", type=int, default=1200, help="today's simulated visitors")
    parser.add_argument("--waiting", type=int, default=40, help="walk-ins left waiting")
    args = parser.parse_args()
    return print_each(
        "hq_polling",
        wanted_databases(args.databases),
        lambda name, make: f"{name} {measure(make, args)}",
        (RuntimeError, httpx.HTTPError, OSError),
    )


if __name__ == "__main__":
    sys.exit(main())
