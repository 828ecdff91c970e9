"""Pictures of the browser displays: ``python -m server.web.display_snapshots DIR``
(scripts/display-screenshots).

A real centre server on a temporary SQLite file, filled through the use cases
with a morning's calls, serves the hall display to Debian's headless Chromium
at 1920 by 1080 and 1080 by 1920, once in a centre whose first language is Arabic
and once in one whose first is English; then the display over counter 7 asks
an English-speaking visitor for a rating. Each display pairs through a
one-time link, as a television would, and a call made while it watches is
shown highlighted. Selenium drives the browser (a test extra, imported only
when pictures are made, never by the server).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from centre import devices
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from server.state import CentreServer
from server.web.snapshots import SAMPLE_TIME, chromium, sample_config, serving, wait_until

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

#: The screen's two shapes, in CSS pixels (one device pixel each).
LANDSCAPE = (1920, 1080)
PORTRAIT = (1080, 1920)
#: The counter the counter display is over.
SCREEN_COUNTER = "7"
#: Where the sample centre's phones would reach it: what the hall's QR holds.
SAMPLE_PUBLIC_URL = "https://dana.taboor.example"
# A call made while the hall watches stays highlighted this long (seconds): the whole picture.
_TURN = 600
_WALK_INS = (
    "licence-renewal",
    "traffic-fines",
    "vehicle-registration",
    "licence-lost",
    "ownership-transfer",
    "traffic-fines",
    "licence-renewal",
)

# The page has drawn what it came for, in the fonts it will be drawn with.
_RUNNING = """
const hook = window.taboorDisplay;
return Boolean(hook) && hook.state === 'running' && hook.connected
    && document.fonts.status === 'loaded';
"""
_HALL_READY = """
const hook = window.taboorDisplay;
const qr = document.getElementById('join-qr');
return hook.painted.length > 0 && Boolean(hook.joinUrl) && qr.complete && qr.naturalWidth > 0
    && document.getElementById('now').classList.contains('highlighted');
"""
_RATING_READY = """
return !document.getElementById('rating').hidden
    && !document.getElementById('rating-ask').hidden;
"""


@dataclass(frozen=True)
class Centre:
    """The sample centre being served: its store, clock and configuration, and its address."""

    store: Store
    clock: FixedClock
    config: CentreConfig
    url: str

    def link(self, name: str, role: str, counter: str | None = None) -> str:
        """A new display's one-time pairing link (what ``taboor device add … --link`` prints),
        whose page highlights a call for the whole picture."""
        enrolled = devices.add_device(
            self.store, self.clock, self.config, name, role, counter, link=True
        )
        path = f"/display/counter/{counter}" if counter is not None else "/display/hall"
        return f"{self.url}{path}?turn={_TURN}#pair={enrolled.pairing_code}"


def render_displays(out_dir: Path) -> list[Path]:
    """Write ``browser-hall-{landscape,portrait}-{ar,en}.png`` and ``browser-counter-en.png``
    into ``out_dir``; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for lang in ("ar", "en"):
        with tempfile.TemporaryDirectory() as tmp, _sample_centre(Path(tmp), lang) as centre:
            written.extend(_hall_pictures(centre, lang, out_dir))
            if lang == "en":
                written.append(_counter_picture(centre, out_dir / "browser-counter-en.png"))
    return written


def fill_sample_centre(store: Store, clock: FixedClock, config: CentreConfig, lang: str) -> None:
    """A morning's tickets (every visitor speaking ``lang``) and calls at counters 1 to 6,
    made through the use cases; counter 7 is open and serving."""
    clock.set(SAMPLE_TIME - timedelta(minutes=50))
    for index in range(40):
        uc.issue_ticket(store, clock, config, _WALK_INS[index % len(_WALK_INS)], lang=lang)
        clock.advance(timedelta(seconds=50))
    for counter in ("2", "3", "4", "5", "6", SCREEN_COUNTER):
        uc.call_next(store, clock, config, counter)
        clock.advance(timedelta(seconds=40))
        uc.start_serving(store, clock, config, counter)
        clock.advance(timedelta(minutes=4))
        uc.finish(store, clock, config, counter)
        if counter != SCREEN_COUNTER:
            uc.call_next(store, clock, config, counter)
            uc.start_serving(store, clock, config, counter)
    clock.set(SAMPLE_TIME - timedelta(minutes=3))
    uc.call_next(store, clock, config, "1")
    clock.set(SAMPLE_TIME)


@contextmanager
def _sample_centre(folder: Path, lang: str) -> Iterator[Centre]:
    base = sample_config(SAMPLE_PUBLIC_URL)
    languages = ["ar", "en"] if lang == "ar" else ["en", "ar"]
    config = base.model_copy(
        update={"centre": base.centre.model_copy(update={"languages": languages})}
    )
    clock = FixedClock(SAMPLE_TIME)
    store = Store.open(f"sqlite:///{folder / 'sample.db'}")
    try:
        fill_sample_centre(store, clock, config, lang)
        with serving(CentreServer(store, clock, config)) as url:
            yield Centre(store, clock, config, url)
    finally:
        store.close()


def _hall_pictures(centre: Centre, lang: str, out_dir: Path) -> list[Path]:
    driver = chromium(lang, *LANDSCAPE, mobile=False, autoplay=True)
    try:
        _open(driver, centre.link(f"hall-{lang}", devices.HALL))
        # Called while the hall watches: shown large and highlighted.
        uc.call_next(centre.store, centre.clock, centre.config, SCREEN_COUNTER)
        _until(driver, _HALL_READY, "the hall never showed the call")
        landscape = _picture(driver, out_dir / f"browser-hall-landscape-{lang}.png")
        width, height = PORTRAIT
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        _until(driver, f"return window.innerWidth === {width};", "the hall did not turn")
        portrait = _picture(driver, out_dir / f"browser-hall-portrait-{lang}.png")
    finally:
        driver.quit()
    return [landscape, portrait]


def _counter_picture(centre: Centre, path: Path) -> Path:
    driver = chromium("en", *LANDSCAPE, mobile=False)
    try:
        _open(driver, centre.link("counter-7-screen", devices.COUNTER, SCREEN_COUNTER))
        # The visitor called at the hall's picture is served: the faces ask for a rating.
        uc.start_serving(centre.store, centre.clock, centre.config, SCREEN_COUNTER)
        uc.finish(centre.store, centre.clock, centre.config, SCREEN_COUNTER)
        _until(driver, _RATING_READY, "the counter display never asked for a rating")
        return _picture(driver, path)
    finally:
        driver.quit()


def _open(driver: Chrome, link: str) -> None:
    driver.get(link)
    _until(driver, _RUNNING, f"{link} never paired and ran")


def _until(driver: Chrome, script: str, message: str) -> None:
    wait_until(lambda: bool(driver.execute_script(script)), message)


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
    """Render the displays into the directory given."""
    parser = argparse.ArgumentParser(
        prog="python -m server.web.display_snapshots", description=__doc__
    )
    parser.add_argument("out_dir", type=Path, help="directory for the PNG files")
    args: Any = parser.parse_args(argv)
    for path in render_displays(args.out_dir):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
