"""The hall display in a browser: call to paint, and memory over a compressed day.

``taboor serve`` runs as its own process (as :mod:`server_latency` starts it)
on a throwaway database with the demo centre without quotas and with
``[public] url`` its own address (the hall shows its rotating QR). A hall
display is paired through its one-time link in Debian's headless Chromium
(1920 by 1080, sound allowed, so every call is also fetched and said as on a
real television), and the bench plays a 12-hour day compressed into
``--seconds``: ``--calls`` calls from counters 1 to 7 in turn, evenly spaced
(a counter starts and finishes its ticket right after calling it, so it can
call again).

- **call to paint**: from just before the bench sends ``POST
  /counters/{c}/call`` (this process's wall clock) to the page's own record of
  having painted that call (``window.taboorDisplay.painted[].at``: the page's
  ``Date.now()`` in the frame after the one that drew it; the page also sets a
  ``performance.mark("call-painted")``). Same machine, same wall clock;
- **memory**: the page's JS heap (``performance.memory.usedJSHeapSize``, with
  Chromium's precise memory info, after ``window.gc()``) and its DOM size
  (elements in the document) once the page has settled before the first call
  and again after the last (``--details``: also without what the page's test
  hook and its performance marks kept of the day, a few hundred bytes a call).

Prints one line per database, e.g. ``sqlite calls=2000 call_to_paint_p95_ms=38.2
call_to_paint_p50_ms=21.0 heap_growth_mb=0.4 dom_nodes_start=140
dom_nodes_end=140``; ``--details`` adds a line on stderr. PostgreSQL runs when
``TABOOR_BENCH_PG`` (or ``TABOOR_TEST_PG``) names a server it may create
schemas in. Never asserts a timing; a page that never paints a call or a
server that will not start is a one-line message and exit status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from core_latency import fill
from databases import print_each, wanted_databases
from served import API, Rotation, Served, percentile, serving
from sqlalchemy.exc import SQLAlchemyError

from centre import devices
from centre.clock import FixedClock, SystemClock
from server.web.snapshots import chromium

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

#: The counters that call, in turn.
COUNTERS = ("1", "2", "3", "4", "5", "6", "7")
#: How long the page may take to settle, to pair and to paint a call, in seconds.
PATIENCE = 30.0
SETTLE_SECONDS = 3.0

_READY = """
const hook = window.taboorDisplay;
return Boolean(hook) && hook.state === 'running' && hook.connected && Boolean(hook.joinUrl);
"""
# The page's own memory, without what its test hook and performance marks kept of the day.
_FORGET_HOOK = """
const hook = window.taboorDisplay;
for (const name of ['painted', 'calls', 'turns', 'said']) hook[name].length = 0;
performance.clearMarks('call-painted');
"""
_MEMORY = """
window.gc();
window.gc();
return [performance.memory.usedJSHeapSize, document.getElementsByTagName('*').length];
"""


class BenchFailed(RuntimeError):
    """The bench could not measure (the page never painted, the server refused)."""


@dataclass(frozen=True)
class Day:
    """What a compressed day measured."""

    call_to_paint_ms: list[float]
    heap_start: int
    heap_end: int
    heap_end_without_hook: int
    dom_start: int
    dom_end: int
    seconds: float
    missing: int


def hall_in_browser(served: Served) -> Chrome:
    """A headless Chromium showing the hall display, paired through its one-time link."""
    enrolled = devices.add_device(
        served.store, SystemClock(), served.config, "bench-tv", devices.HALL, None, link=True
    )
    flags = ("--js-flags=--expose-gc", "--enable-precise-memory-info")
    driver = chromium("en", 1920, 1080, mobile=False, autoplay=True, flags=flags)
    driver.get(f"{served.url}/display/hall#pair={enrolled.pairing_code}")
    _wait(lambda: bool(driver.execute_script(_READY)), "the hall display never ran")
    return driver


def play_day(served: Served, driver: Chrome, calls: int, seconds: float) -> Day:
    """``calls`` calls spread over ``seconds``; each call's call-to-paint time, and the page's
    heap and DOM before and after."""
    fill(served.store, served.config, FixedClock(SystemClock().now()), calls + len(COUNTERS) * 3)
    counters = {c: served.devices("counter", 1, c) for c in COUNTERS}
    time.sleep(SETTLE_SECONDS)  # the queues' refresh after the fill, the QR
    heap_start, dom_start = driver.execute_script(_MEMORY)
    sent: dict[str, float] = {}  # ticket number -> wall clock (ms) just before its call
    started = time.monotonic()
    gap = seconds / calls
    for index in range(calls):
        due = started + index * gap
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        counter = COUNTERS[index % len(COUNTERS)]
        before = time.time() * 1000
        number = _call(counters[counter], counter)
        if number is not None:
            sent[number] = before
    elapsed = time.monotonic() - started
    painted = _painted(driver, set(sent))
    time.sleep(SETTLE_SECONDS)
    heap_end, dom_end = driver.execute_script(_MEMORY)
    driver.execute_script(_FORGET_HOOK)
    heap_end_without_hook, _ = driver.execute_script(_MEMORY)
    latencies = [painted[number] - at for number, at in sent.items() if number in painted]
    if not latencies:
        raise BenchFailed("the hall display painted no call")
    return Day(
        latencies,
        int(heap_start),
        int(heap_end),
        int(heap_end_without_hook),
        int(dom_start),
        int(dom_end),
        elapsed,
        len(sent) - len(latencies),
    )


def _call(counter: Rotation, counter_id: str) -> str | None:
    """Call the next ticket at ``counter_id``, then start and finish it; its number."""
    called = counter.post(f"{API}/counters/{counter_id}/call")
    if called.status_code != 200:
        raise BenchFailed(f"call at counter {counter_id}: {called.status_code} {called.text}")
    ticket: dict[str, Any] | None = called.json()
    if ticket is None:
        return None
    for action in ("start", "done"):
        counter.post(f"{API}/counters/{counter_id}/{action}").raise_for_status()
    return str(ticket["number"])


def _painted(driver: Chrome, numbers: set[str]) -> dict[str, float]:
    """When the page painted each call of ``numbers`` (its first paint), waiting for the last."""
    found: dict[str, float] = {}

    def read() -> bool:
        shown = driver.execute_script("return window.taboorDisplay.painted;")
        for entry in shown:
            found.setdefault(str(entry["number"]), float(entry["at"]))
        return numbers <= set(found)

    with contextlib.suppress(BenchFailed):  # the ones never painted are counted
        _wait(read, "")
    return found


def _wait(ready: Callable[[], bool], message: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not ready():
        if time.monotonic() > deadline:
            raise BenchFailed(message or "timed out")
        time.sleep(0.1)


def bench_database(
    name: str, make_db: Callable[[], AbstractContextManager[str]], args: argparse.Namespace
) -> str:
    """The compressed day on one kind of database; its line."""
    with serving(make_db, public=True) as served:
        driver = hall_in_browser(served)
        try:
            day = play_day(served, driver, args.calls, args.seconds)
        finally:
            driver.quit()
    latencies = day.call_to_paint_ms
    if args.details:
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"{name}: {os.cpu_count()} CPUs, load average {load}; day_s={day.seconds:.1f} "
            f"painted={len(latencies)} missing={day.missing} max_ms={max(latencies):.1f} "
            f"min_ms={min(latencies):.1f} heap_start_mb={day.heap_start / 2**20:.2f} "
            f"heap_end_mb={day.heap_end / 2**20:.2f} "
            f"heap_end_without_hook_mb={day.heap_end_without_hook / 2**20:.2f}",
            file=sys.stderr,
            flush=True,
        )
    return (
        f"{name} calls={len(latencies)} "
        f"call_to_paint_p95_ms={percentile(latencies, 0.95):.1f} "
        f"call_to_paint_p50_ms={statistics.median(latencies):.1f} "
        f"heap_growth_mb={(day.heap_end - day.heap_start) / 2**20:.2f} "
        f"dom_nodes_start={day.dom_start} dom_nodes_end={day.dom_end}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=150.0, help="the compressed day's length")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--details", action="store_true", help="more figures, on stderr")
    args = parser.parse_args()
    return print_each(
        "browser_display",
        wanted_databases(args.databases),
        lambda name, make: bench_database(name, make, args),
        (RuntimeError, OSError, httpx.HTTPError, SQLAlchemyError),
    )


if __name__ == "__main__":
    sys.exit(main())
