"""Pictures of head office's page: ``python -m server.hq.snapshots DIR`` (scripts/hq-screenshots).

Three of the Ministry's centres (the traffic directorate's Dana Mall branch,
Nationality, Passports and Residence at Isa Town, Criminal Information's
Southern branch: the configurations ``taboor hq --demo`` runs) each get a
temporary SQLite store filled through the real use cases on a fixed clock:
the four working days before Sunday 22 November 2026, then that morning up to
09:41, visitors arriving, waiting, called, served and rating the service. Each
is served by a real centre server on loopback (its clock still at 09:41), and
``taboor hq`` runs as its own process watching the three with integrator
tokens, its clock starting at 09:41 too (Debian's libfaketime). Debian's
headless Chromium draws the page 1920 pixels wide:

- ``hq-period-en.png``: the whole page, the last 7 days compared, the
  centres ranked, the first one's report by day open below;
- ``hq-live-en.png``, ``hq-live-ar.png``: the screen (1920 by 1080) once the
  Criminal Information centre's server has stopped: its card greyed with its
  last figures, "unreachable since 09:41".

Selenium drives the browser (a test extra, imported only when pictures are
made, never by the server).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from heapq import heappop, heappush
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any

from centre import devices, syncing
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.rules.link import ONLINE
from centre.store.unit_of_work import Store
from centre.supervision import record_feedback
from server.hq.launch import Watched, head_office, write_centres
from server.state import CentreServer
from server.web.snapshots import SAMPLE_TIME, chromium, serving, wait_until

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

#: The page's size in CSS pixels (one device pixel each): an office screen.
SIZE = (1920, 1080)
CONFIGS = DEFAULT_CONFIG.parent
#: Working days played before the sample morning: with it, the page's "last 7 days".
PAST_DAYS = 4
#: The device head office reads each centre as.
HQ_DEVICE = "head-office"
#: Seconds between two of head office's rounds.
EVERY = 1.0
#: The period the page compares by itself when it opens: the last 7 days.
PERIOD = ((SAMPLE_TIME - timedelta(days=6)).date(), SAMPLE_TIME.date())
#: How many served visitors rate the service, and how: mostly content, less so when kept
#: waiting past the service's maximum wait.
RATED_SHARE = 0.6
RATINGS = (1, 2, 3, 4, 5)
CONTENT = (0.03, 0.05, 0.12, 0.35, 0.45)
KEPT_WAITING = (0.15, 0.20, 0.30, 0.22, 0.13)
#: Called visitors who are not there: called again after a minute, then marked a no-show.
ABSENT_SHARE = 0.03
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Walk-ins by hour of the day (centre time): a morning peak, a dip at lunch; other hours 1.
_PROFILE = {7: 0.7, 8: 1.4, 9: 1.8, 10: 1.7, 11: 1.3, 12: 0.7, 13: 0.6, 16: 1.2, 17: 0.8}


@dataclass(frozen=True)
class Sample:
    """One centre of the pictures: how busy its days are and who staffs it."""

    config: Path
    # Walk-ins of a past day, and of the sample morning up to 09:41.
    visitors: int
    morning: int
    # Each walk-in service's share of the visitors.
    mix: Mapping[str, float]
    # Counters staffed on past days, and this morning.
    counters: tuple[str, ...]
    counters_today: tuple[str, ...]
    # It syncs with the central (its link is online); otherwise it has no central.
    central: bool
    seed: int
    # Its server stops before the live pictures: its card shows it unreachable.
    stops: bool = False


SAMPLES = (
    Sample(
        DEFAULT_CONFIG,
        visitors=360,
        morning=150,
        mix={
            "licence-renewal": 0.30,
            "traffic-fines": 0.25,
            "vehicle-registration": 0.20,
            "ownership-transfer": 0.13,
            "licence-lost": 0.12,
        },
        counters=("1", "2", "3", "4", "5", "7"),
        counters_today=("1", "2", "3", "4", "5", "7"),
        central=True,
        seed=2611,
    ),
    Sample(
        CONFIGS / "passports-isa-town.toml",
        visitors=150,
        morning=72,
        mix={
            "passport-renewal": 0.40,
            "residence-permits": 0.25,
            "visa-services": 0.20,
            "new-passport": 0.15,
        },
        counters=("1", "2", "3", "4", "5"),
        counters_today=("1", "2", "3", "5"),
        central=True,
        seed=2612,
    ),
    Sample(
        CONFIGS / "criminal-info-south.toml",
        visitors=76,
        morning=38,
        mix={"good-conduct": 1.0},
        counters=("1", "2"),
        counters_today=("1", "2"),
        central=False,
        seed=2613,
        stops=True,
    ),
)

# The page has drawn every centre live and its own first comparison, in its fonts.
_READY = """
const hook = window.taboorHq;
if (!hook || !hook.connected || !hook.state || !hook.period) return false;
const cards = Array.from(document.querySelectorAll('#cards .card'));
return cards.length === arguments[0] && cards.every((c) => c.dataset.state === 'live')
    && hook.period.from === arguments[1] && hook.period.to === arguments[2]
    && hook.period.centres.every((s) => s.total !== null)
    && !document.getElementById('period-table').hidden
    && document.fonts.status === 'loaded';
"""
_DRILLED = """
const hook = window.taboorHq;
return Boolean(hook.report) && !document.getElementById('drill-table').hidden;
"""
_UNREACHABLE = """
const card = document.querySelector('[data-centre="' + arguments[0] + '"]');
return Boolean(card) && card.dataset.state === 'unreachable' && window.taboorHq.connected;
"""


# -- the centres' days --------------------------------------------------------------------


@dataclass
class _Counter:
    id: str
    services: frozenset[str]
    # Nobody it serves waits: it calls again when someone arrives.
    idle: bool = False


@dataclass
class _Day:
    """One day at a centre, played in time order through the use cases on ``clock``: walk-ins
    arrive, staffed counters call the next, the visitor walks up (or is not there), is served
    and may rate the service; the clerk calls again soon after."""

    store: Store
    clock: FixedClock
    config: CentreConfig
    rng: random.Random
    counters: dict[str, _Counter]
    waiting: dict[str, int] = field(default_factory=dict)
    _queue: list[tuple[datetime, int, Callable[..., None], tuple[Any, ...]]] = field(
        default_factory=list
    )
    _order: Iterator[int] = field(default_factory=count)

    def at(self, when: datetime, action: Callable[..., None], *args: Any) -> None:
        heappush(self._queue, (when, next(self._order), action, args))

    def run(self, until: datetime | None) -> None:
        """Every event in time order, up to ``until`` (none: until nothing is left to do)."""
        while self._queue and (until is None or self._queue[0][0] <= until):
            when, _, action, args = heappop(self._queue)
            self.clock.set(when)
            action(*args)

    def arrive(self, service: str) -> None:
        lang = "en" if self.rng.random() < 0.3 else "ar"
        uc.issue_ticket(self.store, self.clock, self.config, service, lang=lang)
        self.waiting[service] = self.waiting.get(service, 0) + 1
        for counter in self.counters.values():
            if counter.idle and service in counter.services:
                counter.idle = False
                self.at(self.clock.now(), self.call, counter)
                return

    def open(self, counter: _Counter) -> None:
        uc.open_counter(self.store, self.clock, self.config, counter.id)
        self.call(counter)

    def call(self, counter: _Counter) -> None:
        if not any(self.waiting.get(s, 0) for s in counter.services):
            counter.idle = True
            return
        view = uc.call_next(self.store, self.clock, self.config, counter.id)
        if view is None:
            counter.idle = True
            return
        ticket = view.ticket
        self.waiting[ticket.service] -= 1
        if self.rng.random() < ABSENT_SHARE:
            self.at(self._after(60), self.recall, counter, ticket.id)
        else:
            self.at(self._after(self.rng.uniform(20, 70)), self.start, counter, ticket.id)

    def recall(self, counter: _Counter, ticket: str) -> None:
        uc.recall(self.store, self.clock, self.config, counter.id, expected=ticket)
        self.at(self._after(60), self.no_show, counter, ticket)

    def no_show(self, counter: _Counter, ticket: str) -> None:
        uc.no_show(self.store, self.clock, self.config, counter.id, expected=ticket)
        self._free(counter)

    def start(self, counter: _Counter, ticket: str) -> None:
        view = uc.start_serving(self.store, self.clock, self.config, counter.id, expected=ticket)
        minutes = self.config.service(view.ticket.service).service_minutes
        self.at(self._after(_lognormal(self.rng, minutes * 60, 0.5)), self.finish, counter, ticket)

    def finish(self, counter: _Counter, ticket: str) -> None:
        view = uc.finish(self.store, self.clock, self.config, counter.id, expected=ticket)
        done = view.ticket
        called = done.called_at or done.issued_at
        limit = self.config.service(done.service).max_wait_minutes * 60
        kept_waiting = (called - done.issued_at).total_seconds() > limit
        if self.rng.random() < RATED_SHARE:
            weights = KEPT_WAITING if kept_waiting else CONTENT
            rating = self.rng.choices(RATINGS, weights)[0]
            record_feedback(self.store, self.clock, self.config, ticket, rating)
        self._free(counter)

    def close(self, counter: _Counter) -> None:
        uc.close_counter(self.store, self.clock, self.config, counter.id)

    def _free(self, counter: _Counter) -> None:
        self.at(self._after(self.rng.uniform(10, 40)), self.call, counter)

    def _after(self, seconds: float) -> datetime:
        return self.clock.now() + timedelta(seconds=seconds)


def play_day(
    store: Store,
    clock: FixedClock,
    config: CentreConfig,
    sample: Sample,
    day: date,
    until: datetime | None = None,
) -> None:
    """``day`` at the centre, to its end (its counters closed) or only up to ``until``."""
    rng = random.Random(f"{sample.seed}-{day.isoformat()}")
    zone = config.centre.zone
    hours = config.centre.hours
    opens = datetime.combine(day, hours.open, zone)
    if until is None:
        # The doors close to new visitors a quarter of an hour before the counters.
        last = datetime.combine(day, hours.close, zone) - timedelta(minutes=15)
        visitors, staffed = sample.visitors, sample.counters
    else:
        last, visitors, staffed = until, sample.morning, sample.counters_today
    counters = {
        c.id: _Counter(c.id, frozenset(c.services)) for c in config.counters if c.id in staffed
    }
    played = _Day(store, clock, config, rng, counters)
    for counter in counters.values():
        played.at(opens + timedelta(seconds=rng.uniform(0, 600)), played.open, counter)
    services = list(sample.mix)
    shares = [sample.mix[s] for s in services]
    for when in _arrivals(rng, opens, last, visitors):
        played.at(when, played.arrive, rng.choices(services, shares)[0])
    played.run(until)
    if until is None:
        for counter in counters.values():
            played.close(counter)


def _arrivals(rng: random.Random, opens: datetime, last: datetime, visitors: int) -> list[datetime]:
    """``visitors`` instants between ``opens`` and ``last``, the busier hours more crowded."""
    hours: list[tuple[datetime, float, float]] = []
    at = opens
    while at < last:
        end = min(at.replace(minute=0, second=0) + timedelta(hours=1), last)
        share = (end - at).total_seconds() / 3600
        hours.append((at, (end - at).total_seconds(), _PROFILE.get(at.hour, 1.0) * share))
        at = end
    picked = rng.choices(hours, [weight for _, _, weight in hours], k=visitors)
    return sorted(start + timedelta(seconds=rng.uniform(0, length)) for start, length, _ in picked)


def _lognormal(rng: random.Random, mean: float, cv: float) -> float:
    sigma = math.sqrt(math.log(1 + cv * cv))
    return rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)


def fill_centre(store: Store, clock: FixedClock, config: CentreConfig, sample: Sample) -> str:
    """The centre's past working days and the sample morning up to 09:41, and head office's
    integrator device; then, where the centre has a central, the central acknowledges every
    event so far. Returns the device's token."""
    days: list[date] = []
    at = SAMPLE_TIME.date()
    while len(days) < PAST_DAYS:
        at -= timedelta(days=1)
        if WEEKDAYS[at.weekday()] in config.centre.hours.days:
            days.append(at)
    for day in sorted(days):
        play_day(store, clock, config, sample, day)
    play_day(store, clock, config, sample, SAMPLE_TIME.date(), until=SAMPLE_TIME)
    clock.set(SAMPLE_TIME)
    enrolled = devices.add_device(store, clock, config, HQ_DEVICE, devices.INTEGRATOR, None)
    assert enrolled.token is not None  # a device added without a link has its token
    if sample.central:
        while (batch := syncing.next_batch(store, syncing.sync_state(store).acked_seq)) is not None:
            syncing.acknowledge(store, clock, batch)
        syncing.record_link(store, clock, ONLINE)
    return enrolled.token


def filled(url: str, sample: Sample) -> str:
    """The sample centre's store at ``url`` filled (:func:`fill_centre`), then closed; returns
    head office's token."""
    config = load_config(sample.config, environ={})
    store = Store.open(url)
    try:
        return fill_centre(store, FixedClock(SAMPLE_TIME), config, sample)
    finally:
        store.close()


# -- the pictures ----------------------------------------------------------------------------


@dataclass
class _Running:
    """A sample centre served: its configuration, address, head office's token, and what
    stops its server."""

    sample: Sample
    config: CentreConfig
    url: str
    token: str
    server: ExitStack

    def watched(self) -> Watched:
        names = self.config.centre.name
        return Watched(self.config.centre.id, names.ar, names.en, self.url, self.token)


def render_hq(out_dir: Path) -> list[Path]:
    """Write ``hq-period-en.png``, ``hq-live-en.png`` and ``hq-live-ar.png`` into ``out_dir``;
    returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as every:
        folder = Path(tmp)
        stores = [f"sqlite:///{folder / f'centre-{index}.db'}" for index in range(len(SAMPLES))]
        # Each centre filled in a process of its own, all at once.
        with ProcessPoolExecutor(max_workers=len(SAMPLES)) as pool:
            tokens = list(pool.map(filled, stores, SAMPLES))
        centres = [
            every.enter_context(_served(*centre))
            for centre in zip(stores, SAMPLES, tokens, strict=True)
        ]
        centres_file = write_centres(folder / "hq", [c.watched() for c in centres])
        url = every.enter_context(
            head_office(centres_file, folder / "hq" / "home", every=EVERY, starting_at=SAMPLE_TIME)
        )
        pages: dict[str, Chrome] = {}
        for lang in ("en", "ar"):
            pages[lang] = driver = chromium(lang, *SIZE, mobile=False)
            every.callback(driver.quit)
            driver.get(f"{url}/")
        # Both pages have every centre live and the last 7 days compared, all answering.
        period = [day.isoformat() for day in PERIOD]
        for driver in pages.values():
            _until(driver, _READY, "the page never showed every centre", len(centres), *period)
        written = [_period_picture(pages["en"], out_dir / "hq-period-en.png")]
        stopped = next(c for c in centres if c.sample.stops)
        stopped.server.close()
        for lang, driver in pages.items():
            _until(driver, _UNREACHABLE, "the stopped centre stayed live", stopped.config.centre.id)
            written.append(_picture(driver, out_dir / f"hq-live-{lang}.png"))
    return written


@contextmanager
def _served(url: str, sample: Sample, token: str) -> Iterator[_Running]:
    """The filled store at ``url`` served by a centre server on loopback, its clock at 09:41."""
    config = load_config(sample.config, environ={})
    store = Store.open(url)
    try:
        with ExitStack() as server:
            state = CentreServer(store, FixedClock(SAMPLE_TIME), config)
            address = server.enter_context(serving(state))
            yield _Running(sample, config, address, token, server)
    finally:
        store.close()


def _period_picture(driver: Chrome, path: Path) -> Path:
    """The whole page, the first centre of the ranking chosen: its report by day below; then
    the report closed and the page back to the screen's size."""
    driver.execute_script("document.querySelector('#period-body tr').click();")
    _until(driver, _DRILLED, "the first centre's report never came")
    width, height = SIZE
    tall = int(driver.execute_script("return document.documentElement.scrollHeight;"))
    _resize(driver, width, max(tall, height))
    picture = _picture(driver, path)
    driver.execute_script("document.getElementById('drill-close').click();")
    _resize(driver, width, height)
    return picture


def _resize(driver: Chrome, width: int, height: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    _until(driver, "return window.innerHeight === arguments[0];", "the page kept its size", height)


def _until(driver: Chrome, script: str, message: str, *args: Any) -> None:
    wait_until(lambda: bool(driver.execute_script(script, *args)), message)


def _picture(driver: Chrome, path: Path) -> Path:
    # Two frames, so what was changed last is on the screen.
    driver.execute_async_script(
        "const done = arguments[0];"
        "requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"
    )
    if not driver.save_screenshot(str(path)):
        raise OSError(f"Chromium could not save a screenshot to {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    """Render head office's page into the directory given."""
    parser = argparse.ArgumentParser(prog="python -m server.hq.snapshots", description=__doc__)
    parser.add_argument("out_dir", type=Path, help="directory for the PNG files")
    args: Any = parser.parse_args(argv)
    for path in render_hq(args.out_dir):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
