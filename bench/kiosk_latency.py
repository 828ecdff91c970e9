"""Kiosk speed: cold start to the home screen, memory over many visitors, scan to ticket screen.

Prints one line per figure, e.g. ``cold_start_s=0.92``,
``rss_mb after=100 ... after=500 ...`` and ``scan_to_screen p50_ms=12.3 p95_ms=20.1``.
Everything runs offscreen on a temporary SQLite store; no printer is attached
(the ticket screen's on-screen QR is drawn instead, which is the heavier path).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from centre.store.unit_of_work import Store

ROOT = Path(__file__).resolve().parents[1]
MORNING = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)  # 09:00 in Manama, a Sunday

CHILD = """
import os, sys, time
from pathlib import Path
from centre.clock import FixedClock
from centre.config import DEFAULT_CONFIG, load_config
from centre.local import LocalCentre
from centre.store.unit_of_work import Store
from kiosk.app import build_kiosk
from kiosk.viewmodel import Screen
from datetime import datetime, UTC
config = load_config(DEFAULT_CONFIG, environ={})
store = Store.open(sys.argv[1])
clock = FixedClock(datetime(2026, 11, 22, 6, 0, tzinfo=UTC))
kiosk = build_kiosk(LocalCentre(store, clock, config, device="kiosk-bench"), None, None)
kiosk.start()
kiosk.app.processEvents()
assert kiosk.view_model.screen is Screen.HOME and kiosk.window.isVisible()
print("ready", flush=True)
kiosk.stop()
store.close()
"""


def rss_mb() -> float:
    """This process's resident memory now, in MiB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def cold_start(folder: Path, rounds: int) -> list[float]:
    """Seconds from starting a child process to its interactive home screen."""
    url = f"sqlite:///{folder / 'cold.db'}"
    from centre.store.unit_of_work import Store

    Store.open(url).close()  # the schema exists, as on a kiosk already installed
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", CHILD, url],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=60,
        )
        if "ready" not in child.stdout:
            raise RuntimeError(child.stderr)
        times.append(time.perf_counter() - started)
    return times


def _book(store: Store, count: int) -> list[str]:
    """``count`` invented bookings at 09:00; returns their references."""
    from centre import usecases as uc
    from centre.domain import Appointment
    from centre.rules.cpr import cpr_digest

    references = []
    for index in range(count):
        cpr = f"{900000000 + index:09d}"
        reference = f"BK-{index:06d}"
        references.append(reference)
        uc.store_appointments(
            store,
            [
                Appointment(
                    id=reference,
                    reference=reference,
                    service="licence-renewal",
                    slot_start=MORNING,
                    slot_end=MORNING + timedelta(minutes=15),
                    business_day=MORNING.date(),
                    cpr_digest=cpr_digest(cpr, store.cpr_key()),
                    cpr_last4=cpr[-4:],
                    updated_at=MORNING,
                )
            ],
        )
    return references


def visitors(folder: Path, count: int) -> tuple[list[tuple[int, float]], list[float]]:
    """RSS after each hundred visitors (half check-ins, half walk-ins), and scan-to-screen ms."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from centre.clock import FixedClock
    from centre.config import DEFAULT_CONFIG, load_config
    from centre.local import LocalCentre
    from kiosk.app import build_kiosk
    from kiosk.viewmodel import Screen

    base = load_config(DEFAULT_CONFIG, environ={})
    services = [s.model_copy(update={"daily_quota": None}) for s in base.services]
    config = base.model_copy(update={"services": services})
    from centre.store.unit_of_work import Store

    store = Store.open(f"sqlite:///{folder / 'visitors.db'}")
    clock = FixedClock(MORNING)
    references = _book(store, count // 2 + 1)
    kiosk = build_kiosk(LocalCentre(store, clock, config, device="kiosk-bench"), None, None)
    kiosk.start()
    vm = kiosk.view_model
    app = kiosk.app

    def settle(screen: Screen) -> None:
        deadline = time.monotonic() + 30
        while (vm.screen is not screen or vm.busy or vm.pending) and time.monotonic() < deadline:
            app.processEvents()
        if vm.screen is not screen:
            raise RuntimeError(f"the kiosk did not reach {screen.value}")

    memory: list[tuple[int, float]] = []
    scans: list[float] = []
    walk_in_codes = [s.code for s in config.services if s.walk_in]
    try:
        for visitor in range(1, count + 1):
            vm.go_home()
            if visitor % 2:
                started = time.perf_counter()
                vm.scan(references[visitor // 2])
                settle(Screen.TICKET)
                scans.append((time.perf_counter() - started) * 1000)
            else:
                vm.start_walk_in()
                settle(Screen.SERVICES)
                vm.choose_service(walk_in_codes[visitor % len(walk_in_codes)])
                settle(Screen.TICKET)
            if visitor % 100 == 0:
                memory.append((visitor, rss_mb()))
    finally:
        kiosk.stop()
        store.close()
    return memory, scans


def main(argv: list[str] | None = None) -> int:
    """Run the figures and print one line each."""
    parser = argparse.ArgumentParser(prog="python bench/kiosk_latency.py", description=__doc__)
    parser.add_argument("--visitors", type=int, default=500)
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        starts = cold_start(folder, args.starts)
        sys.stdout.write(
            f"cold_start_s median={statistics.median(starts):.2f} max={max(starts):.2f}\n"
        )
        memory, scans = visitors(folder, args.visitors)
        points = " ".join(f"after_{n}={mb:.0f}" for n, mb in memory)
        sys.stdout.write(f"rss_mb {points}\n")
        ordered = sorted(scans)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        sys.stdout.write(
            f"scan_to_screen p50_ms={statistics.median(ordered):.1f} p95_ms={p95:.1f}\n"
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
