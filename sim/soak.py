"""The soak: the simulated day with kiosks and counter terminals as separate OS processes.

The parent plans the day, starts the processes (``python -m sim.soak``) on a
shared database and a shared, compressed clock, waits for them, and then
checks the store against what each process reports: every ticket a kiosk got
is in the tickets table with exactly one issue event, no number twice, no
ticket called twice, a strictly rising event log, and each process's memory.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO, TypeVar

from centre import usecases as uc
from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.domain import EventType, Ticket, TicketState
from centre.errors import OutsideWindow, Refused
from centre.store.unit_of_work import Store
from sim.options import SimOptions
from sim.plan import DayPlan, plan_day
from sim.scenarios import Scenario, scaled_config, scenario
from sim.stores import refuse_unless_empty

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
# Processes start this long (real seconds) before the simulated day does.
START_DELAY_S = 2.0
# A clerk with nobody to call looks again after this many simulated seconds...
IDLE_POLL_SIM_S = 15.0
# ...but never more often than this (real seconds), so a fast day does not spin.
IDLE_POLL_MIN_S = 0.05


class ScaledClock:
    """Simulated time running ``speed`` times faster than the wall clock from ``wall_start``."""

    def __init__(self, sim_start: datetime, wall_start: float, speed: float) -> None:
        self.sim_start = sim_start
        self.wall_start = wall_start
        self.speed = speed

    def now(self) -> datetime:
        """The simulated instant."""
        return self.sim_start + timedelta(seconds=self.seconds())

    def seconds(self) -> float:
        """Simulated seconds since the start (negative before it)."""
        return (time.time() - self.wall_start) * self.speed

    def sleep_until(self, sim_seconds: float) -> None:
        """Wait until the simulated clock reads ``sim_seconds``."""
        wall = self.wall_start + sim_seconds / self.speed
        delay = wall - time.time()
        if delay > 0:
            time.sleep(delay)


@dataclass(frozen=True)
class Job:
    """What every process of a soak needs to play its part (written as JSON)."""

    db: str
    config_json: str
    scenario: str
    seed: int
    minutes: float | None
    kiosks: int
    wall_start: float
    speed: float

    def config(self) -> CentreConfig:
        """The centre as the parent scaled it."""
        return CentreConfig.model_validate_json(self.config_json)


@dataclass
class ProcessReport:
    """What one process did, printed as its last line of JSON."""

    role: str
    index: str
    issued: list[str] = field(default_factory=list)
    called: list[str] = field(default_factory=list)
    served: int = 0
    no_shows: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    rss_start_kb: int = 0
    rss_peak_kb: int = 0
    exit_code: int | None = None


@dataclass
class SoakReport:
    """The soak's outcome: the cross-checks and every process's report."""

    database: str
    scenario: str
    speed: float
    kiosks: int
    counters: int
    visitors: int
    wall_seconds: float
    tickets: int
    events: int
    lost: list[str]
    unreported: list[str]
    duplicate_numbers: list[str]
    duplicate_calls: list[str]
    without_issue_event: list[str]
    events_without_ticket: int
    seq_gaps: int
    left_active: int
    by_state: dict[str, int]
    processes: list[ProcessReport]

    @property
    def errors(self) -> list[str]:
        """Every error a process reported, prefixed with the process."""
        found = [f"{p.role}-{p.index}: {e}" for p in self.processes for e in p.errors]
        found += [
            f"{p.role}-{p.index}: exited {p.exit_code}" for p in self.processes if p.exit_code
        ]
        return found

    @property
    def ok(self) -> bool:
        """Nothing lost, doubled or failed."""
        return not (
            self.errors
            or self.lost
            or self.unreported
            or self.duplicate_numbers
            or self.duplicate_calls
            or self.without_issue_event
            or self.events_without_ticket
            or self.seq_gaps
            or self.left_active
        )

    def print(self, out: TextIO) -> None:
        """The report as text."""
        write = out.write
        write(
            f"soak: {self.database}, scenario {self.scenario}, {self.kiosks} kiosks, "
            f"{self.counters} counters, speed {self.speed:g}, {self.visitors} visitors, "
            f"{self.wall_seconds:.1f} s\n"
        )
        states = ", ".join(f"{k} {v}" for k, v in self.by_state.items() if v)
        write(f"tickets {self.tickets} ({states}); events {self.events}\n")
        write(
            f"lost {len(self.lost)}, unreported {len(self.unreported)}, duplicate numbers "
            f"{len(self.duplicate_numbers)}, duplicate calls {len(self.duplicate_calls)}, "
            f"tickets without their issue event {len(self.without_issue_event)}, events without "
            f"their ticket {self.events_without_ticket}, seq gaps {self.seq_gaps}, "
            f"left called or serving {self.left_active}\n"
        )
        write(f"errors {len(self.errors)}\n")
        for error in self.errors[:20]:
            write(f"  {error}\n")
        write("process       rss_start_mb  rss_peak_mb  issued  called  served  no_show\n")
        for p in self.processes:
            write(
                f"  {p.role + '-' + p.index:<12} {p.rss_start_kb / 1024:>11.1f} "
                f"{p.rss_peak_kb / 1024:>12.1f} {len(p.issued):>7} {len(p.called):>7} "
                f"{p.served:>7} {p.no_shows:>8}\n"
            )
        write("ok\n" if self.ok else "FAILED\n")


def run_soak(options: SimOptions, *, config: CentreConfig | None = None) -> SoakReport:
    """Run the soak of ``options`` and cross-check the store afterwards."""
    chosen = scenario(options.scenario)
    base = config or load_config(options.config or DEFAULT_CONFIG)
    centre = scaled_config(base, counters=options.counters)
    with _database(options.db) as url:
        store = Store.open(url)
        try:
            refuse_unless_empty(store)
            plan = plan_day(centre, chosen, options.seed, store.cpr_key(), minutes=options.minutes)
            uc.store_appointments(store, plan.appointments)
            started = time.monotonic()
            job = Job(
                db=url,
                config_json=centre.model_dump_json(),
                scenario=chosen.name,
                seed=options.seed,
                minutes=options.minutes,
                kiosks=options.kiosks,
                wall_start=time.time() + START_DELAY_S,
                speed=options.speed,
            )
            reports = _run_processes(job, options.kiosks, [c.id for c in centre.counters])
            return _cross_check(
                store, plan, chosen, options, centre, reports, time.monotonic() - started
            )
        finally:
            store.close()


@contextmanager
def _database(url: str | None) -> Iterator[str]:
    # The soak keeps the engine's own settings: it is about the real thing.
    if url is not None:
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="taboor-soak-") as folder:
        yield f"sqlite:///{Path(folder) / 'soak.db'}"


def _run_processes(job: Job, kiosks: int, counters: list[str]) -> list[ProcessReport]:
    with tempfile.TemporaryDirectory(prefix="taboor-soak-job-") as folder:
        job_path = Path(folder) / "job.json"
        job_path.write_text(json.dumps(asdict(job)), encoding="utf-8")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        roles = [("kiosk", str(k)) for k in range(kiosks)] + [("counter", c) for c in counters]
        running = [
            (
                role,
                index,
                subprocess.Popen(  # noqa: S603  (this interpreter, our own module)
                    [sys.executable, "-m", "sim.soak", role, index, str(job_path)],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=env,
                    cwd=ROOT,
                ),
            )
            for role, index in roles
        ]
        reports = []
        for role, index, process in running:
            out, err = process.communicate()
            reports.append(_parse_report(role, index, process.returncode, out, err))
    return reports


def _parse_report(role: str, index: str, code: int, out: str, err: str) -> ProcessReport:
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if not lines:
        tail = err.strip().splitlines()[-1:] or ["no report"]
        return ProcessReport(role, index, errors=[tail[0]], exit_code=code or 1)
    report = ProcessReport(**json.loads(lines[-1]))
    report.exit_code = code
    return report


def _cross_check(
    store: Store,
    plan: DayPlan,
    chosen: Scenario,
    options: SimOptions,
    centre: CentreConfig,
    reports: list[ProcessReport],
    wall: float,
) -> SoakReport:
    with store.read() as repo:
        tickets = repo.tickets_of_day(plan.day)
        log = repo.events_since(0)
    ids = {t.id for t in tickets}
    reported = [i for r in reports for i in r.issued]
    numbers = Counter(t.number for t in tickets)
    issue_events = Counter(
        e.ticket_id for e in log if e.type in (EventType.TICKET_ISSUED, EventType.CHECKED_IN)
    )
    calls = Counter(e.ticket_id for e in log if e.type is EventType.CALLED)
    seqs = [e.seq or 0 for e in log]
    by_state = {state.value: 0 for state in TicketState}
    for ticket in tickets:
        by_state[ticket.state.value] += 1
    return SoakReport(
        database=store.dialect,
        scenario=chosen.name,
        speed=options.speed,
        kiosks=options.kiosks,
        counters=len(centre.counters),
        visitors=len(plan.visitors),
        wall_seconds=wall,
        tickets=len(tickets),
        events=len(log),
        lost=sorted(set(reported) - ids),
        unreported=sorted(ids - set(reported)),
        duplicate_numbers=sorted(n for n, k in numbers.items() if k > 1),
        duplicate_calls=sorted(str(i) for i, k in calls.items() if k > 1),
        without_issue_event=sorted(i for i in ids if issue_events[i] != 1),
        events_without_ticket=sum(1 for e in log if e.ticket_id and e.ticket_id not in ids),
        seq_gaps=sum(1 for a, b in zip([0, *seqs], seqs, strict=False) if b != a + 1),
        left_active=by_state["called"] + by_state["serving"],
        by_state=by_state,
        processes=reports,
    )


# -- the processes -------------------------------------------------------------


def _rss_kb(field_name: str) -> int:
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _day_of(
    job: Job, config: CentreConfig, chosen: Scenario, store: Store
) -> tuple[DayPlan, ScaledClock]:
    """The day's plan (every process plans the same one) and the clock they share."""
    plan = plan_day(config, chosen, job.seed, store.cpr_key(), minutes=job.minutes)
    return plan, ScaledClock(plan.opens_at, job.wall_start, job.speed)


def kiosk(job: Job, index: int, report: ProcessReport) -> None:
    """Issue the tickets of every ``kiosks``-th visitor, each at its time."""
    config = job.config()
    store = Store.open(job.db)
    try:
        plan, clock = _day_of(job, config, scenario(job.scenario), store)
        report.rss_start_kb = _rss_kb("VmRSS")
        mine = [v for i, v in enumerate(plan.visitors) if i % job.kiosks == index and v.comes]
        queue = [(v.arrive_s, v.index, v, False) for v in mine]
        heapq.heapify(queue)
        while queue:
            at, _, visitor, as_walk_in = heapq.heappop(queue)
            clock.sleep_until(at)
            try:
                if visitor.kind == "appointment" and not as_walk_in:
                    assert visitor.cpr is not None
                    view = uc.check_in_by_cpr(store, clock, config, visitor.cpr)
                else:
                    view = uc.issue_ticket(
                        store, clock, config, visitor.service, priority=visitor.priority
                    )
                report.issued.append(view.ticket.id)
            except OutsideWindow as refused:
                service = config.service(visitor.service)
                if refused.params.get("when") == "early" and visitor.slot_s is not None:
                    again = visitor.slot_s - service.checkin.early_minutes * 60 + 30
                    heapq.heappush(queue, (max(again, at + 30), visitor.index, visitor, False))
                elif service.walk_in:
                    heapq.heappush(queue, (at, visitor.index, visitor, True))
                else:
                    report.refused += 1
            except Refused:
                report.refused += 1
            except Exception as error:
                report.errors.append(f"{type(error).__name__}: {error}")
    finally:
        store.close()


def counter(job: Job, counter_id: str, report: ProcessReport) -> None:
    """Open, call, serve and take breaks until the hall is empty after closing."""
    config = job.config()
    store = Store.open(job.db)
    try:
        chosen = scenario(job.scenario)
        plan, clock = _day_of(job, config, chosen, store)
        rng = random.Random(zlib.crc32(f"{job.seed}/{counter_id}".encode()))
        breaks = sorted((b.start_s, b.seconds) for b in plan.breaks if b.counter == counter_id)
        report.rss_start_kb = _rss_kb("VmRSS")
        clock.sleep_until(0.0)
        _guard(report, lambda: uc.open_counter(store, clock, config, counter_id))
        while True:
            now = clock.seconds()
            if breaks and now >= breaks[0][0]:
                _, seconds = breaks.pop(0)
                if now < plan.open_s:
                    _guard(report, lambda: uc.close_counter(store, clock, config, counter_id))
                    clock.sleep_until(now + seconds)
                    _guard(report, lambda: uc.open_counter(store, clock, config, counter_id))
                continue
            _, called = _guard(report, lambda: uc.call_next(store, clock, config, counter_id))
            if called is None:
                if now > plan.open_s:
                    break
                time.sleep(max(IDLE_POLL_SIM_S / job.speed, IDLE_POLL_MIN_S))
                continue
            _serve(store, clock, config, counter_id, called.ticket, chosen, rng, report)
        _guard(report, lambda: uc.close_counter(store, clock, config, counter_id))
    finally:
        store.close()


def _serve(
    store: Store,
    clock: ScaledClock,
    config: CentreConfig,
    counter_id: str,
    ticket: Ticket,
    chosen: Scenario,
    rng: random.Random,
    report: ProcessReport,
) -> None:
    report.called.append(ticket.id)
    expected = ticket.id
    waited = (clock.now() - ticket.issued_at).total_seconds()
    patience = rng.lognormvariate(math.log(chosen.patience_minutes * 60), 0.45)
    if rng.random() < chosen.absent_share or waited > patience:
        clock.sleep_until(clock.seconds() + 60)
        _guard(report, lambda: uc.recall(store, clock, config, counter_id, expected=expected))
        clock.sleep_until(clock.seconds() + 60)
        done, _ = _guard(
            report, lambda: uc.no_show(store, clock, config, counter_id, expected=expected)
        )
        report.no_shows += int(done)
        return
    clock.sleep_until(clock.seconds() + rng.uniform(15, 60))
    _guard(report, lambda: uc.start_serving(store, clock, config, counter_id, expected=expected))
    mean = config.service(ticket.service).service_minutes * 60
    sigma = math.sqrt(math.log(1 + chosen.service_cv**2))
    clock.sleep_until(clock.seconds() + rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma))
    done, _ = _guard(report, lambda: uc.finish(store, clock, config, counter_id, expected=expected))
    report.served += int(done)
    clock.sleep_until(clock.seconds() + 10)


def _guard(report: ProcessReport, action: Callable[[], T]) -> tuple[bool, T | None]:
    # Every failure is counted and the day goes on, as a terminal would.
    try:
        return True, action()
    except Exception as error:
        report.errors.append(f"{type(error).__name__}: {error}")
    return False, None


def worker_main(argv: list[str] | None = None) -> int:
    """One process of a soak: ``python -m sim.soak kiosk|counter INDEX JOB.json``."""
    parser = argparse.ArgumentParser(prog="python -m sim.soak")
    parser.add_argument("role", choices=["kiosk", "counter"])
    parser.add_argument("index")
    parser.add_argument("job", type=Path)
    args = parser.parse_args(argv)
    job = Job(**json.loads(args.job.read_text(encoding="utf-8")))
    report = ProcessReport(args.role, args.index)
    try:
        if args.role == "kiosk":
            kiosk(job, int(args.index), report)
        else:
            counter(job, args.index, report)
    except Exception as error:
        report.errors.append(f"{type(error).__name__}: {error}")
    report.rss_peak_kb = _rss_kb("VmHWM")
    sys.stdout.write(json.dumps(asdict(report)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(worker_main())
