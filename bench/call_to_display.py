"""Call to display: from a call-next commit to the hall screen showing it, in another process.

A child process runs the hall screen (view-model and window, offscreen)
following the log as a real hall does; this process calls the next ticket
``--rounds`` times and times each from its commit to the moment the child's
window shows the number. Prints one line per database, e.g.
``sqlite p50_ms=52.1 p95_ms=97.3``, then the clerk's view of the same action
(button press to the terminal's view-model showing the ticket), e.g.
``clerk-sqlite p50_ms=3.1 p95_ms=4.9``. PostgreSQL runs when
``TABOOR_BENCH_PG`` names a server it may create schemas in.
"""

from __future__ import annotations

import argparse
import os
import random
import selectors
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from databases import pg_url, sqlite_url

from centre import usecases as uc
from centre.clock import SystemClock
from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.domain import Event, EventType
from centre.store.unit_of_work import Store

ROOT = Path(__file__).resolve().parents[1]
HALL_COUNTER = "1"
CLERK_COUNTER = "2"


def now() -> float:
    """CLOCK_MONOTONIC, the same clock in every process of the machine."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def unlimited() -> CentreConfig:
    config = load_config(DEFAULT_CONFIG, environ={})
    services = [s.model_copy(update={"daily_quota": None}) for s in config.services]
    return config.model_copy(update={"services": services})


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def figures(samples: list[float]) -> str:
    return f"p50_ms={statistics.median(samples):.1f} p95_ms={percentile(samples, 0.95):.1f}"


# -- the hall, in the child process --------------------------------------------


def run_hall(url: str) -> int:
    """Show the hall and print ``shown NUMBER TIME`` as each new call reaches its window."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from centre.local import LocalCentre
    from display.follower import EventFollower
    from display.hall import Call, HallViewModel, HallWindow
    from ui.fonts import FontBook

    app = QApplication(sys.argv[:1])
    store = Store.open(url)
    centre = LocalCentre(store, SystemClock(), unlimited())
    hall = HallViewModel(centre, EventFollower.for_port(centre))
    window = HallWindow(hall, FontBook.load())
    window.show()
    seen: set[str] = set()

    def shown(calls: list[Call]) -> None:
        # Connected after the window's own slot: the number is on the window now.
        at = now()
        for call in calls:
            if call.ticket_id not in seen:
                seen.add(call.ticket_id)
                print(f"shown {call.number} {at:.6f}", flush=True)

    hall.calls_changed.connect(shown)
    hall.loaded.connect(lambda: print("ready", flush=True))
    hall.start()
    code = app.exec()
    hall.stop()
    store.close()
    return code


# -- the calls, in this process --------------------------------------------------


class HallProcess:
    """The child hall and its lines."""

    def __init__(self, url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--hall", url],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=ROOT,
        )
        assert self.process.stdout is not None
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.process.stdout, selectors.EVENT_READ)

    def line(self, timeout: float = 10.0) -> str:
        assert self.process.stdout is not None
        if not self._selector.select(timeout):
            raise TimeoutError("the hall said nothing")
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self._selector.close()
        if self.process.stdout is not None:
            self.process.stdout.close()


def call_to_display(url: str, rounds: int) -> list[float]:
    config, clock = unlimited(), SystemClock()
    store = Store.open(url)
    for index in range(rounds + 5):
        uc.issue_ticket(store, clock, config, "licence-renewal" if index % 2 else "licence-lost")
    committed: dict[str, float] = {}

    def on_commit(events: list[Event]) -> None:
        at = now()
        for event in events:
            if event.type is EventType.CALLED and event.ticket_number:
                committed[event.ticket_number] = at

    store.on_commit.append(on_commit)
    hall = HallProcess(url)
    latencies: list[float] = []
    try:
        while hall.line(60) != "ready":
            pass
        for _ in range(rounds):
            # A random pause, so calls land anywhere in the hall's poll period.
            time.sleep(random.uniform(0.02, 0.12))
            called = uc.call_next(store, clock, config, HALL_COUNTER)
            assert called is not None
            number = called.ticket.number
            while True:
                word, shown_number, at = hall.line().split()
                if word == "shown" and shown_number == number:
                    break
            latencies.append((float(at) - committed[number]) * 1000)
            uc.start_serving(store, clock, config, HALL_COUNTER)
            uc.finish(store, clock, config, HALL_COUNTER)
    finally:
        hall.close()
        store.close()
    return latencies


def clerk_call_next(url: str, rounds: int) -> list[float]:
    """From a click on "Call next" to the terminal's view-model showing the ticket."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from centre.local import LocalCentre
    from centre.staff import add_staff
    from display.follower import EventFollower
    from display.terminal import Action, CounterViewModel, CounterWindow
    from display.views import DeskView
    from ui.fonts import FontBook

    app = QApplication.instance() or QApplication(sys.argv[:1])
    config, clock = unlimited(), SystemClock()
    store = Store.open(url)
    for _ in range(rounds + 5):
        uc.issue_ticket(store, clock, config, "licence-renewal")
    centre = LocalCentre(store, clock, config)
    vm = CounterViewModel(centre, EventFollower.for_port(centre), CLERK_COUNTER, lang="en")
    window = CounterWindow(vm, FontBook.load())
    window.show()

    def until(signal: object, act: Callable[[], None]) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(10_000, loop.quit)
        act()
        loop.exec()

    until(vm.loaded, vm.start)
    # A clerk signs in first, as at a real counter.
    add_staff(store, clock, "bench", name_ar="موظف", name_en="Bench clerk", pin="2468")
    until(vm.action_done, lambda: vm.sign_in("bench", "2468"))
    button = window.button(Action.CALL_NEXT)
    latencies: list[float] = []
    for _ in range(rounds):
        shown: list[float] = []

        def desk(view: DeskView, shown: list[float] = shown) -> None:
            if view.ticket is not None and not shown:
                shown.append(now())

        vm.desk_changed.connect(desk)
        started = now()
        until(vm.action_done, lambda: QTest.mouseClick(button, Qt.MouseButton.LeftButton))
        latencies.append((shown[0] - started) * 1000)
        until(vm.action_done, vm.start_serving)
        until(vm.action_done, vm.finish)
        app.processEvents()
    vm.stop()
    store.close()
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--hall", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.hall:
        return run_hall(args.hall)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import check_qt
    from ui.errors import UnsupportedQt

    try:
        check_qt()
    except UnsupportedQt as error:
        print(f"cannot measure: {error}", file=sys.stderr)
        return 1
    databases: list[tuple[str, Callable[[], AbstractContextManager[str]]]] = [
        ("sqlite", sqlite_url)
    ]
    pg = os.environ.get("TABOOR_BENCH_PG")
    if pg:
        databases.append(("postgresql", lambda: pg_url(pg)))
    for name, make in databases:
        with make() as url:
            print(f"{name} {figures(call_to_display(url, args.rounds))}", flush=True)
    for name, make in databases:
        with make() as url:
            print(f"clerk-{name} {figures(clerk_call_next(url, args.rounds))}", flush=True)
    if not pg:
        print("postgresql skipped: set TABOOR_BENCH_PG to a server URL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
