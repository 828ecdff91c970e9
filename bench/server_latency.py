"""The centre server's figures: issuing through the API, call to stream, 16 kiosks at once, fan-out.

Each measure gets ``taboor serve`` as its own process (real uvicorn, as
deployed) on a throwaway database, with the demo centre without quotas:

- **issue**: ``POST /tickets`` over keep-alive connections with 10 and with
  10,000 tickets waiting (a counter calls and serves one after each, so the
  queue stays that long): p50, p95, and the server's CPU per round of four
  requests. The requests come from a few kiosk devices in turn: one device
  may ask 50 times a second, and the bench asks faster;
- **call to stream**: a counter's ``POST /counters/1/call`` to a hall's event
  stream (the HTTP adapter's own :class:`server.client.StreamFeed`) handing
  over that ``called`` event, both timed in this process;
- **16 kiosks**: 16 processes, each with its own keep-alive client, for
  ``--seconds``. Flat out (each asks again as soon as it is answered):
  tickets a second, duplicate numbers in the store afterwards, the slowest
  kiosk's count against the median kiosk's, p99 across every issue (with 16
  always waiting, that is mostly queueing: 16 / tickets a second). Then
  paced: visitors arriving at random, ``--paced`` a second in all, each timed
  from the visitor's arrival. The same writers straight on one SQLite file
  without a server (16, and the 4 of the issue) show what one process
  holding the database removes;
- **fan-out**: 1,000 hall streams from a few client processes; from a
  counter's call (the request sent) to the last and to the first stream
  receiving it, the server's RSS before and with them connected, its CPU
  idle with them and during the calls.

Prints the details, then one line per database, e.g.
``sqlite issue_p95_ms_10=5.3 issue_p95_ms_10000=9.0 call_to_stream_p95_ms=12.3
tickets_per_s_16=224 slowest_share=0.99 p99_issue_ms=116.6 … dup=0``.
PostgreSQL runs when ``TABOOR_BENCH_PG`` (or ``TABOOR_TEST_PG``) names a server
it may create schemas in. Every process reads CLOCK_MONOTONIC, one clock for
the whole machine; on a shared machine the tails move with its load, which
each database's first line gives.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import operator
import os
import random
import selectors
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx
from core_latency import fill
from databases import sqlite_url, wanted_databases
from served import (
    API,
    ROOT,
    SERVICES,
    Rotation,
    Served,
    cpu_seconds,
    issue,
    now,
    percentile,
    rss_mb,
    serving,
    unlimited_toml,
)

from centre import usecases as uc
from centre.clock import FixedClock, SystemClock
from centre.config import load_config
from centre.domain import EventType
from centre.store.unit_of_work import Store
from server.client import RemoteCentre


def spread(samples: list[float]) -> str:
    return (
        f"p50_ms={statistics.median(samples):.1f} p95_ms={percentile(samples, 0.95):.1f} "
        f"p99_ms={percentile(samples, 0.99):.1f} max_ms={max(samples):.1f} n={len(samples)}"
    )


# -- issuing and calling through the API ---------------------------------------------


def issue_latency(served: Served, waiting: int, rounds: int) -> tuple[list[float], float]:
    """``POST /tickets`` with ``waiting`` tickets in the queues, in ms; the server's CPU
    per round (the issue, and the call, start and done that keep the queue as long)."""
    kiosk = served.devices("kiosk", 4)
    counter = served.devices("counter", 6, "3")
    if waiting > 20:
        fill(served.store, served.config, FixedClock(SystemClock().now()), waiting)
    else:
        for index in range(waiting):
            issue(kiosk, SERVICES[index % len(SERVICES)])
    for index in range(20):  # warm: connections, caches, the token
        issue(kiosk, SERVICES[index % len(SERVICES)])
        _serve_one(counter, "3")
    latencies = []
    cpu = cpu_seconds(served.pid)
    for index in range(rounds):
        started = time.perf_counter()
        issue(kiosk, SERVICES[index % len(SERVICES)])
        latencies.append((time.perf_counter() - started) * 1000)
        _serve_one(counter, "3")  # the queue stays as long as it was
    return latencies, (cpu_seconds(served.pid) - cpu) / rounds * 1000


def _serve_one(counter: Rotation, counter_id: str) -> str | None:
    called = counter.post(f"{API}/counters/{counter_id}/call")
    called.raise_for_status()
    if called.json() is None:
        return None
    for action in ("start", "done"):
        counter.post(f"{API}/counters/{counter_id}/{action}").raise_for_status()
    number: str = called.json()["number"]
    return number


def call_to_stream(served: Served, rounds: int) -> list[float]:
    """From a counter's call request to the hall's stream handing over that call, in ms."""
    kiosk = served.devices("kiosk", 2)
    for index in range(rounds + 5):
        issue(kiosk, SERVICES[index % 2])  # services counter 1 calls
    counter = served.devices("counter", 6, "1")
    hall = RemoteCentre.connect(served.url, served.enrol("hall"))
    feed = hall.event_feed("bench-hall")
    seen: dict[str, float] = {}
    changed = threading.Condition()
    stop = threading.Event()
    opened = threading.Event()

    def follow() -> None:
        seq, _events = feed.log.read_after(hall.last_seq(), 500)
        opened.set()
        while not stop.is_set():
            feed.wakeup.wait(0.5)
            seq, events = feed.log.read_after(seq, 500)
            at = time.perf_counter()
            if events:
                seq = max(seq, events[-1].seq or seq)
            with changed:
                for event in events:
                    if event.type is EventType.CALLED and event.ticket_number:
                        seen[event.ticket_number] = at
                changed.notify_all()

    follower = threading.Thread(target=follow, daemon=True)
    follower.start()
    if not opened.wait(30):
        raise RuntimeError("the hall's stream did not open")
    latencies = []
    try:
        for _ in range(rounds):
            time.sleep(0.02)
            started = time.perf_counter()
            answer = counter.post(f"{API}/counters/1/call")
            answer.raise_for_status()
            number = answer.json()["number"]
            with changed:
                if not changed.wait_for(partial(operator.contains, seen, number), 10):
                    raise RuntimeError(f"the stream never brought the call of {number}")
                latencies.append((seen[number] - started) * 1000)
            for action in ("start", "done"):
                counter.post(f"{API}/counters/1/{action}").raise_for_status()
    finally:
        stop.set()
        feed.wakeup.interrupt()
        follower.join(timeout=5)
        feed.log.close()  # type: ignore[attr-defined]
        hall.close()
    return latencies


# -- many writers at once ------------------------------------------------------------


@dataclass
class Writers:
    """What a run of writers at once did."""

    counts: list[int]
    latencies: list[float]
    refused: int
    seconds: float

    @property
    def per_second(self) -> float:
        return sum(self.counts) / self.seconds

    @property
    def slowest_share(self) -> float:
        return min(self.counts) / statistics.median(self.counts)

    def line(self, name: str) -> str:
        return (
            f"{name} tickets_per_s={self.per_second:.0f} tickets={sum(self.counts)} "
            f"slowest={min(self.counts)} median={statistics.median(self.counts):.0f} "
            f"fastest={max(self.counts)} slowest_share={self.slowest_share:.2f} "
            f"issue_{spread(self.latencies)} refused={self.refused}"
        )


def run_writers(commands: list[list[str]], seconds: float) -> Writers:
    """Start every writer, let them go at once for ``seconds``, gather what they did."""
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            text=True,
        )
        for command in commands
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            if process.stdout.readline().strip() != "ready":
                raise RuntimeError("a writer did not start")
        start = now() + 0.5
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(f"{start} {seconds}\n")
            process.stdin.flush()
        results = []
        for process in processes:
            out, _ = process.communicate(timeout=seconds + 120)
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    return Writers(
        counts=[len(r["ms"]) for r in results],
        latencies=[ms for r in results for ms in r["ms"]],
        refused=sum(r["refused"] for r in results),
        seconds=seconds,
    )


def _start_signal() -> tuple[float, float]:
    print("ready", flush=True)
    start, seconds = (float(x) for x in sys.stdin.readline().split())
    time.sleep(max(0.0, start - now()))
    return start, seconds


def run_kiosk(url: str, token: str, offset: int, rate: float) -> int:
    """A kiosk issuing through the API until told time is up; prints its latencies.

    ``rate`` 0: each ticket as soon as the last is answered. Otherwise visitors
    arrive ``rate`` a second at random (Poisson); each latency runs from the
    visitor's arrival, so a kiosk held up by a slow answer counts the wait of
    those who arrived meanwhile.
    """
    client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    client.get(f"{API}/health").raise_for_status()  # the keep-alive connection, opened
    arrivals = random.Random(offset)
    start, seconds = _start_signal()
    latencies: list[float] = []
    refused = 0
    index = offset
    arrival = start
    while now() < start + seconds:
        index += 1
        if rate:
            arrival += arrivals.expovariate(rate)
            time.sleep(max(0.0, arrival - now()))
            started = arrival
        else:
            started = now()
        answer = client.post(f"{API}/tickets", json={"service": SERVICES[index % len(SERVICES)]})
        if answer.status_code == 201:
            latencies.append((now() - started) * 1000)
        elif answer.status_code == 429:
            refused += 1
            time.sleep(float(answer.headers.get("retry-after", "1")))
        else:
            raise RuntimeError(f"issue: {answer.status_code} {answer.text}")
    client.close()
    print(json.dumps({"ms": latencies, "refused": refused}), flush=True)
    return 0


def run_direct(db: str, config_path: str, offset: int) -> int:
    """A process issuing straight on the database (no server) until time is up."""
    config = load_config(Path(config_path), environ={})
    store = Store.open(db)
    clock = SystemClock()
    uc.issue_ticket(store, clock, config, SERVICES[0])  # connections and caches, warm
    start, seconds = _start_signal()
    latencies: list[float] = []
    index = offset
    while now() < start + seconds:
        index += 1
        started = now()
        uc.issue_ticket(store, clock, config, SERVICES[index % len(SERVICES)])
        latencies.append((now() - started) * 1000)
    store.close()
    print(json.dumps({"ms": latencies, "refused": 0}), flush=True)
    return 0


def kiosks_at_once(
    served: Served, kiosks: int, seconds: float, rate: float = 0.0
) -> tuple[Writers, int, float]:
    """``kiosks`` processes issuing through the server (``rate``: see :func:`run_kiosk`);
    their figures, the duplicate numbers in the store, the server's CPU (% of one core)."""
    commands = [
        ["--kiosk", served.url, served.enrol("kiosk"), str(i), str(rate)] for i in range(kiosks)
    ]
    cpu = cpu_seconds(served.pid)
    writers = run_writers(commands, seconds)
    cpu_pct = (cpu_seconds(served.pid) - cpu) / (seconds + 0.5) * 100  # ~the run, and its start
    return writers, duplicates(served.store), cpu_pct


def direct_at_once(writers: int, seconds: float) -> tuple[Writers, int]:
    """``writers`` processes issuing straight on one SQLite file; their figures and duplicates."""
    with sqlite_url() as db, tempfile.TemporaryDirectory() as folder:
        store = Store.open(db)
        config_path = unlimited_toml(Path(folder))
        commands = [["--direct", db, str(config_path), str(i)] for i in range(writers)]
        result = run_writers(commands, seconds)
        found = duplicates(store)
        store.close()
    return result, found


def duplicates(store: Store) -> int:
    """Ticket numbers given twice on one day."""
    with store.read() as repo:
        rows = repo.connection.exec_driver_sql(
            "SELECT count(*) - count(DISTINCT business_day || number) FROM tickets"
        )
        return int(rows.scalar() or 0)


# -- fan-out --------------------------------------------------------------------------


def run_subscribers(url: str, tokens_file: str) -> int:
    """Follow one stream per token; on ``stop``, print when each call reached each stream."""
    tokens = Path(tokens_file).read_text().split()
    host, port = url.removeprefix("http://").split(":")
    arrivals: dict[str, list[float]] = {}

    async def follow(token: str, opened: asyncio.Event) -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        request = (
            f"GET {API}/events/stream HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
        )
        writer.write(request.encode())
        status = await reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"stream refused: {status!r}")
        called = False
        while line := await reader.readline():
            if line.startswith(b": connected"):
                opened.set()
            elif line.startswith(b"event: "):
                called = line.startswith(b"event: called")
            elif called and line.startswith(b"data: "):
                at = now()
                number = json.loads(line[6:])["ticket"]["number"]
                arrivals.setdefault(number, []).append(at)
                called = False
        writer.close()

    async def main() -> None:
        tasks = []
        for start in range(0, len(tokens), 25):  # a few at a time, as screens come up
            batch = []
            for token in tokens[start : start + 25]:
                opened = asyncio.Event()
                tasks.append(asyncio.create_task(follow(token, opened)))
                batch.append(opened.wait())
            await asyncio.wait_for(asyncio.gather(*batch), 60)
        print("ready", flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.readline)
        for task in tasks:
            task.cancel()
        failed = [t for t in tasks if t.done() and not t.cancelled() and t.exception()]
        if failed:
            raise RuntimeError(f"{len(failed)} streams failed: {failed[0].exception()}")

    asyncio.run(main())
    print(json.dumps(arrivals), flush=True)
    return 0


@dataclass
class FanOut:
    """What 1,000 streams cost the server."""

    last_ms: list[float]
    first_ms: list[float]
    missing: int
    rss_before_mb: float
    rss_connected_mb: float
    cpu_calls_pct: float
    cpu_idle_pct: float
    connect_s: float


@contextmanager
def subscribers_connected(
    url: str, tokens: list[str], processes: int
) -> Iterator[Callable[[], dict[str, list[float]]]]:
    """A stream per token from ``processes`` client processes, all connected; yields a
    function that stops them and gives when each call reached each stream."""
    children: list[subprocess.Popen[str]] = []
    with tempfile.TemporaryDirectory() as folder:
        try:
            for index in range(processes):
                path = Path(folder) / f"tokens-{index}"
                path.write_text("\n".join(tokens[index::processes]))
                children.append(
                    subprocess.Popen(
                        [sys.executable, __file__, "--subscribe", url, str(path)],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        cwd=ROOT,
                        text=True,
                    )
                )
            with selectors.DefaultSelector() as selector:
                for child in children:
                    assert child.stdout is not None
                    selector.register(child.stdout, selectors.EVENT_READ)
                for child in children:
                    assert child.stdout is not None
                    if not selector.select(120) or child.stdout.readline().strip() != "ready":
                        raise RuntimeError("the subscribers did not connect")

            def stop() -> dict[str, list[float]]:
                arrivals: dict[str, list[float]] = {}
                for child in children:
                    out, _ = child.communicate("stop\n", timeout=60)
                    for number, times in json.loads(out.strip().splitlines()[-1]).items():
                        arrivals.setdefault(number, []).extend(times)
                return arrivals

            yield stop
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()


def fan_out(served: Served, subscribers: int, processes: int, calls: int) -> FanOut:
    """``subscribers`` hall streams from ``processes`` client processes; ``calls`` calls."""
    kiosk = served.devices("kiosk", 1)
    for index in range(calls + 5):
        issue(kiosk, SERVICES[index % 2])
    counter = served.devices("counter", 1, "1")
    tokens = [served.enrol("hall") for _ in range(subscribers)]
    time.sleep(1.0)
    rss_before = rss_mb(served.pid)
    started = now()
    with subscribers_connected(served.url, tokens, processes) as stop:
        connect_s = now() - started
        time.sleep(1.0)
        rss_connected = rss_mb(served.pid)
        cpu_idle, idle_started = cpu_seconds(served.pid), now()
        time.sleep(5.0)
        cpu_idle_pct = (cpu_seconds(served.pid) - cpu_idle) / (now() - idle_started) * 100
        sent: dict[str, float] = {}
        cpu_start, calls_started = cpu_seconds(served.pid), now()
        for _ in range(calls):
            time.sleep(0.2)
            at = now()
            answer = counter.post(f"{API}/counters/1/call")
            answer.raise_for_status()
            sent[answer.json()["number"]] = at
            for action in ("start", "done"):
                counter.post(f"{API}/counters/1/{action}").raise_for_status()
        time.sleep(1.0)
        cpu_pct = (cpu_seconds(served.pid) - cpu_start) / (now() - calls_started) * 100
        rss_connected = max(rss_connected, rss_mb(served.pid))
        arrivals = stop()
    last, first, missing = [], [], 0
    for number, at in sent.items():
        got = arrivals.get(number, [])
        missing += subscribers - len(got)
        if got:
            last.append((max(got) - at) * 1000)
            first.append((min(got) - at) * 1000)
    return FanOut(last, first, missing, rss_before, rss_connected, cpu_pct, cpu_idle_pct, connect_s)


# -- the whole bench ---------------------------------------------------------------


def bench_database(
    name: str, make_db: Callable[[], AbstractContextManager[str]], args: argparse.Namespace
) -> str:
    """Every measure on one kind of database; returns its summary line."""
    summary: dict[str, str] = {}
    parts = set(args.parts.split(","))
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{name}: {os.cpu_count()} CPUs, load average {load}", flush=True)
    if "issue" in parts:
        for waiting in (10, 10_000):
            with serving(make_db) as served:
                latencies, cpu_ms = issue_latency(served, waiting, args.rounds)
            print(
                f"{name} issue waiting={waiting} {spread(latencies)} "
                f"server_cpu_ms_per_round={cpu_ms:.1f}",
                flush=True,
            )
            summary[f"issue_p95_ms_{waiting}"] = f"{percentile(latencies, 0.95):.1f}"
    if "stream" in parts:
        with serving(make_db) as served:
            latencies = call_to_stream(served, args.rounds)
        print(f"{name} call_to_stream {spread(latencies)}", flush=True)
        summary["call_to_stream_p95_ms"] = f"{percentile(latencies, 0.95):.1f}"
    if "kiosks" in parts:
        with serving(make_db) as served:
            writers, found, cpu = kiosks_at_once(served, args.kiosks, args.seconds)
        label = f"server kiosks={args.kiosks} flat-out"
        print(f"{name} {writers.line(label)} dup={found} server_cpu_pct={cpu:.0f}", flush=True)
        summary["tickets_per_s_16"] = f"{writers.per_second:.0f}"
        summary["slowest_share"] = f"{writers.slowest_share:.2f}"
        summary["p99_issue_ms"] = f"{percentile(writers.latencies, 0.99):.1f}"
        dup = found
        rate = args.paced / args.kiosks
        with serving(make_db) as served:
            writers, found, cpu = kiosks_at_once(served, args.kiosks, args.seconds, rate)
        label = f"server kiosks={args.kiosks} paced={args.paced:g}/s"
        print(f"{name} {writers.line(label)} dup={found} server_cpu_pct={cpu:.0f}", flush=True)
        summary[f"p99_issue_ms_at_{args.paced:g}"] = f"{percentile(writers.latencies, 0.99):.1f}"
        summary["dup"] = str(dup + found)
    if "fanout" in parts:
        with serving(make_db) as served:
            fan = fan_out(served, args.subscribers, args.subscriber_processes, args.calls)
        print(
            f"{name} fan_out subscribers={args.subscribers} to_last_{spread(fan.last_ms)} "
            f"missing={fan.missing}",
            flush=True,
        )
        print(f"{name} fan_out to_first_{spread(fan.first_ms)}", flush=True)
        print(
            f"{name} fan_out rss_mb_before={fan.rss_before_mb:.0f} "
            f"rss_mb_connected={fan.rss_connected_mb:.0f} connect_s={fan.connect_s:.1f} "
            f"cpu_pct_idle={fan.cpu_idle_pct:.0f} cpu_pct_calls={fan.cpu_calls_pct:.0f}",
            flush=True,
        )
        summary["fan_out_p95_ms"] = f"{percentile(fan.last_ms, 0.95):.1f}"
        summary["rss_mb_1000"] = f"{fan.rss_connected_mb:.0f}"
        summary["missing"] = str(fan.missing)
    return f"{name} " + " ".join(f"{key}={value}" for key, value in summary.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--kiosks", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--paced", type=float, default=80.0, help="tickets a second of the paced kiosks, all told"
    )
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--subscriber-processes", type=int, default=4)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--parts", default="issue,stream,kiosks,direct,fanout")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--kiosk", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--direct", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--subscribe", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.kiosk:
        url, token, offset, rate = args.kiosk
        return run_kiosk(url, token, int(offset), float(rate))
    if args.direct:
        return run_direct(args.direct[0], args.direct[1], int(args.direct[2]))
    if args.subscribe:
        return run_subscribers(*args.subscribe)
    databases = wanted_databases(args.databases)
    summaries = [bench_database(name, make, args) for name, make in databases]
    if "direct" in args.parts.split(","):
        for writers in sorted({4, args.kiosks}):
            result, found = direct_at_once(writers, args.seconds)
            print(f"sqlite {result.line(f'direct writers={writers}')} dup={found}", flush=True)
    for line in summaries:
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
