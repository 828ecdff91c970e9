"""``taboor hq --demo``: three simulated centres, each with its own server, and head office.

Each centre (:data:`CENTRES`) gets its own SQLite database with a few past
working days played by the day simulator (kept between runs: only missing
days are played), today's bookings and clerks, robot clerks and visitors
driven live through its own ``taboor serve`` on loopback (``taboor simulate
--live``), and an integrator device whose token head office reads. The
traffic centre also syncs with a reference central, so its central link is
live. Then ``taboor hq`` watches the three from a ``centres.toml`` written
beside them, and its address is printed. Every part is the same ``taboor``
command a real deployment runs; Ctrl-C stops them all.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from centre import devices
from centre.config import DEFAULT_CONFIG, load_config
from centre.errors import TaboorError
from centre.usecases import business_day, store_appointments
from sim.history import play_history, working_days_before
from sim.live import stored_bookings, write_bookings
from sim.scenarios import Scenario
from sync.central_sim import CentralSim
from sync.intake import to_stored_appointment
from taboor.bootstrap import Centre, data_dir, open_centre
from taboor.demo import DEMO_SEED, enrol_robots, seed_staff
from taboor.launcher import Demo, Part, answering, free_port, taboor_argv

CONFIGS = DEFAULT_CONFIG.parent
#: Seconds a centre server or head office may take to answer its first request.
START_SECONDS = 60.0
STOP_GRACE_S = 5.0
#: The device head office reads each centre as.
HQ_DEVICE = "head-office"


@dataclass(frozen=True)
class DemoCentre:
    """One simulated centre: its configuration and how busy its past days were."""

    config: Path
    scenario: Scenario
    # Only this many minutes of each past day from opening (its visitors scaled), to keep the
    # first run short; None: whole days.
    minutes: float | None = None
    # Whether it syncs with the reference central (its link is live).
    central: bool = False


CENTRES = (
    DemoCentre(DEFAULT_CONFIG, Scenario("hq-traffic", visitors=600), minutes=240, central=True),
    DemoCentre(CONFIGS / "passports-isa-town.toml", Scenario("hq-passports", visitors=170)),
    DemoCentre(CONFIGS / "criminal-info-south.toml", Scenario("hq-criminal", visitors=140)),
)


@dataclass(frozen=True)
class Prepared:
    """A centre ready to serve: its database, names, and its devices' tokens."""

    id: str
    name_ar: str
    name_en: str
    db: str
    config: Path
    robots: Path
    bookings: Path
    token_file: Path
    counters: list[str]
    played: int


def run_hq_demo(args: argparse.Namespace) -> int:
    """Prepare the centres, start their servers, head office and the simulators; run until
    Ctrl-C (or ``--exit-after``)."""
    home = Path(os.environ.get("TABOOR_DEMO_HOME") or data_dir() / "hq-demo")
    home.mkdir(parents=True, exist_ok=True)
    os.environ["TABOOR_HOME"] = str(home)
    _say(f"Preparing {len(CENTRES)} centres in {home} (their past days are played once) …")
    jobs = [(index, centre, home, args.history_days) for index, centre in enumerate(CENTRES)]
    with ProcessPoolExecutor(max_workers=len(CENTRES)) as pool:
        prepared = list(pool.map(_prepare, *zip(*jobs, strict=True)))
    for ready in prepared:
        note = f", {ready.played} past days played" if ready.played else ""
        _say(f"  {ready.name_en}{note}")
    centres_file = write_centres_file(home / "centres.toml", prepared)
    env = dict(os.environ)
    central_port = free_port()
    env["TABOOR_CENTRAL_URL"] = f"http://127.0.0.1:{central_port}"
    hq_url = f"http://{args.host}:{args.port}"
    logs = home / "logs"
    servers: list[tuple[Prepared, Part, str]] = []
    started: list[Part] = []
    try:
        central = Part(
            "central",
            taboor_argv(CENTRES[0].config, "central-sim", "--port", str(central_port)),
            False,
            logs / "central.log",
        )
        _start(central, env, f"{env['TABOOR_CENTRAL_URL']}/v1/health", started)
        for ready in prepared:
            port = free_port()
            argv = _argv(ready, "serve", "--port", str(port), "--quiet")
            part = Part(f"server-{ready.id}", argv, False, logs / f"server-{ready.id}.log")
            url = f"http://127.0.0.1:{port}"
            servers.append((ready, part, url))
            _start(part, env, f"{url}/api/v1/health", started, wait=False)
        for _ready, part, url in servers:
            _wait(part, f"{url}/api/v1/health")
        write_centres_file(centres_file, prepared, [url for _r, _p, url in servers])
        hq_argv = [
            *taboor_argv(CENTRES[0].config, "hq", "--centres", str(centres_file)),
            *("--host", args.host, "--port", str(args.port), "--every", f"{args.every:g}"),
        ]
        hq = Part("hq", hq_argv, False, logs / "hq.log")
        _start(hq, env, f"{hq_url}/api/health", started)
        _guide(hq_url, centres_file, servers, args.every)
        return Demo(_movers(servers, logs, args.speed), env, out=_say).run(
            None, exit_after=args.exit_after
        )
    finally:
        for part in reversed(started):
            part.stop()
        deadline = time.monotonic() + STOP_GRACE_S
        for part in started:
            part.reap(deadline)


def write_centres_file(path: Path, centres: list[Prepared], urls: list[str] | None = None) -> Path:
    """Head office's ``centres.toml`` for ``centres`` served at ``urls`` (none yet: a
    placeholder address)."""
    lines = [
        "# The demo's centres, as `taboor hq --centres` reads them (written by taboor hq --demo).",
        'timezone = "Asia/Bahrain"',
    ]
    for index, centre in enumerate(centres):
        url = urls[index] if urls is not None else "http://127.0.0.1:1"
        lines += [
            "",
            "[[centres]]",
            f'id = "{centre.id}"',
            f'name = {{ ar = "{centre.name_ar}", en = "{centre.name_en}" }}',
            f'url = "{url}"',
            f'token_file = "{centre.token_file}"',
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _prepare(index: int, demo: DemoCentre, home: Path, history_days: int) -> Prepared:
    """In a worker process: the centre's database with its past days, today's bookings, its
    clerks, its robots' and head office's devices."""
    centre_id = load_config(demo.config, environ={}).centre.id
    folder = home / centre_id
    folder.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{folder / 'taboor.db'}"
    with open_centre(str(demo.config), db) as centre:
        config, store, clock = centre.config, centre.store, centre.clock
        today = business_day(config, clock.now())
        wanted = working_days_before(config, today, history_days)
        with store.read() as repo:
            missing = [d for d in wanted if not repo.tickets_of_day(d)]
        play_history(store, config, missing, demo.scenario, seed=DEMO_SEED + 100 * index)
        _book_today(centre, today)
        seed_staff(centre)
        counters = [c.id for c in config.counters]
        robots = enrol_robots(centre, folder, counters)
        bookings = folder / "bookings.json"
        write_bookings(bookings, stored_bookings(store, clock, config))
        token_file = folder / "head-office.token"
        known = devices.device_named(store, HQ_DEVICE)
        if known is not None and known.active:
            devices.revoke_device(store, clock, HQ_DEVICE)
        enrolled = devices.add_device(store, clock, config, HQ_DEVICE, devices.INTEGRATOR, None)
        token_file.write_text(f"{enrolled.token}\n", encoding="utf-8")
        token_file.chmod(0o600)
        return Prepared(
            id=centre_id,
            name_ar=config.centre.name.ar,
            name_en=config.centre.name.en,
            db=db,
            config=demo.config,
            robots=robots,
            bookings=bookings,
            token_file=token_file,
            counters=counters,
            played=len(missing),
        )


def _book_today(centre: Centre, today: date) -> None:
    """Today's invented bookings, as the reference central invents them (the same seed)."""
    config = centre.config
    # Only its appointment generator is used: it is never served here.
    sim = CentralSim([config], token="demo", seed=DEMO_SEED, clock=centre.clock.now)  # noqa: S106
    booked = sim.appointments(config.centre.id, today)
    key, zone = centre.store.cpr_key(), config.centre.zone
    store_appointments(centre.store, [to_stored_appointment(a, key, zone, "demo") for a in booked])


def _argv(ready: Prepared, *args: str) -> list[str]:
    return taboor_argv(ready.config, "--db", ready.db, *args)


def _movers(servers: list[tuple[Prepared, Part, str]], logs: Path, speed: float) -> list[Part]:
    """The parts that make the figures move: the traffic centre's sync agent, and each
    centre's simulated visitors and robot clerks."""
    parts = []
    for index, (ready, _part, url) in enumerate(servers):
        if CENTRES[index].central:
            parts.append(
                Part(f"sync-{ready.id}", _argv(ready, "sync"), False, logs / f"sync-{ready.id}.log")
            )
        simulate = _argv(
            ready,
            "simulate",
            "--live",
            *("--speed", f"{speed:g}", "--seed", str(DEMO_SEED + index)),
            *("--robots", ",".join(ready.counters), "--server", url),
            *("--token-dir", str(ready.robots), "--bookings", str(ready.bookings)),
        )
        parts.append(
            Part(f"visitors-{ready.id}", simulate, False, logs / f"visitors-{ready.id}.log")
        )
    return parts


def _start(
    part: Part, env: dict[str, str], health: str, started: list[Part], *, wait: bool = True
) -> None:
    part.start(env)
    started.append(part)
    if wait:
        _wait(part, health)


def _wait(part: Part, health: str) -> None:
    if not answering(health, START_SECONDS, lambda: part.code is None):
        raise TaboorError(f"{part.name} did not start: {part.last_line()} (log: {part.log})")


def _guide(
    hq_url: str, centres_file: Path, servers: list[tuple[Prepared, Part, str]], every: float
) -> None:
    _say(f"\nHead office: {hq_url}/  (every centre polled every {every:g} s)")
    _say(f"  its centres file: {centres_file}")
    for ready, part, url in servers:
        pid = part.process.pid if part.process is not None else "?"
        _say(f"  {ready.name_en}: {url} (server pid {pid})")
    _say("  Stop one centre's server (kill PID) to see head office keep its last figures,")
    _say("  marked unreachable since its last answer. Ctrl-C stops everything.\n")


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


__all__ = ["CENTRES", "DemoCentre", "Prepared", "run_hq_demo", "write_centres_file"]
