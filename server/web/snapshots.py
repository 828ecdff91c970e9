"""Pictures of the visitor's phone pages: ``python -m server.web.snapshots DIR``.

``scripts/phone-screenshots`` runs it into ``assets/screens``.

A real centre server on a temporary SQLite file, filled through the use cases
with a morning's tickets, serves the pages to Debian's headless Chromium
(``/usr/bin/chromium`` driven by ``/usr/bin/chromedriver``) as a phone of
360 by 740 CSS pixels would see them, in Arabic and English. Selenium drives the
browser: it is one of the test extras (``pip install -e '.[test]'``), imported
only when pictures are made, never by the server.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from centre import phones
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import DEFAULT_CONFIG, CentreConfig, PublicConfig, load_config
from centre.store.unit_of_work import Store
from server.serve import make_server, uvicorn_config
from server.state import CentreServer

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: A phone's viewport in CSS pixels, one device pixel each.
WIDTH, HEIGHT = 360, 740
# A working Sunday morning in Manama, so every picture shows the same day.
SAMPLE_TIME = datetime(2026, 11, 22, 9, 41, tzinfo=ZoneInfo("Asia/Bahrain"))
SERVICE = "licence-renewal"
#: How long a page may take to be ready before the pictures are given up, in seconds.
PATIENCE = 20.0

# The page is ready when its script has shown what it came for, in its own language,
# in the fonts it will be drawn with.
_TICKET_READY = """
const shown = window.taboorPhone && window.taboorPhone.state();
const label = document.querySelector('[data-i18n="your_number"]');
return Boolean(shown) && Boolean(label && label.textContent)
    && document.getElementById('offline').hidden && document.fonts.status === 'loaded';
"""
_JOIN_READY = """
const listed = document.querySelectorAll('#services [data-testid^="service-"]').length;
const title = document.querySelector('#join-open h1');
return listed > 0 && Boolean(title && title.textContent)
    && document.getElementById('offline').hidden && document.fonts.status === 'loaded';
"""


@dataclass(frozen=True)
class Sample:
    """The pages the pictures show: the server's address and each page's path."""

    url: str
    waiting: str
    called: str
    served: str
    join: str


def render_pages(out_dir: Path) -> list[Path]:
    """Write ``phone-ticket``, ``phone-called`` and ``phone-join`` in Arabic and English and
    ``phone-rate-en`` as PNG files (360 by 740) into ``out_dir``; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp, _sample_server(Path(tmp)) as sample:
        for lang in ("ar", "en"):
            driver = chromium(lang)
            try:
                # The join page first: a phone that has taken no ticket here yet.
                pages = [
                    ("join", sample.join, _JOIN_READY),
                    ("ticket", sample.waiting, _TICKET_READY),
                    ("called", sample.called, _TICKET_READY),
                ]
                if lang == "en":
                    pages.append(("rate", sample.served, _TICKET_READY))
                for name, path, ready in pages:
                    shot = out_dir / f"phone-{name}-{lang}.png"
                    written.append(_picture(driver, sample.url + path, ready, shot))
            finally:
                driver.quit()
    return written


def chromium(
    lang: str,
    width: int = WIDTH,
    height: int = HEIGHT,
    *,
    mobile: bool = True,
    autoplay: bool = False,
    flags: Sequence[str] = (),
    console: bool = False,
    still: bool = True,
) -> Chrome:
    """A headless Chromium of ``width`` by ``height`` CSS pixels (a phone's by default; with
    ``mobile=False`` a screen without touch) speaking ``lang``; ``autoplay``: sound plays
    without a touch; ``flags``: more of Chromium's command-line switches; ``console``: it
    keeps the page's console for reading; ``still``: no motion (for pictures)."""
    from selenium.webdriver import Chrome, ChromeOptions, ChromeService  # noqa: PLC0415

    options = ChromeOptions()
    options.binary_location = str(CHROMIUM)
    options.add_argument("--headless=new")
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium refuses to sandbox itself as root
    options.add_argument(f"--window-size={width},{height}")
    metrics = {
        "width": width,
        "height": height,
        "pixelRatio": 1.0,
        "mobile": mobile,
        "touch": mobile,
    }
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": metrics})
    options.add_argument("--force-device-scale-factor=1")
    options.add_argument("--disable-gpu")
    options.add_argument(f"--lang={lang}")
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    if autoplay:
        options.add_argument("--autoplay-policy=no-user-gesture-required")
    for flag in flags:
        options.add_argument(flag)
    if console:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Naming the driver keeps Selenium Manager away: nothing is downloaded.
    driver = Chrome(options=options, service=ChromeService(executable_path=str(CHROMEDRIVER)))
    if still:
        # A pulsing border would be caught at any moment of its beat.
        driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]},
        )
    return driver


def _picture(driver: Chrome, url: str, ready: str, path: Path) -> Path:
    driver.get(url)
    wait_until(lambda: bool(driver.execute_script(ready)), f"{url} was not ready")
    # Nothing may stick out sideways: a phone would cut it off or scroll it.
    wide = int(driver.execute_script("return document.documentElement.scrollWidth;"))
    if wide > WIDTH:
        raise RuntimeError(f"{url} is {wide} pixels wide, wider than the phone's {WIDTH}")
    if not driver.save_screenshot(str(path)):
        raise OSError(f"Chromium could not save a screenshot to {path}")
    return path


def wait_until(ready: Callable[[], bool], message: str) -> None:
    """Until ``ready()``; a TimeoutError with ``message`` after :data:`PATIENCE` seconds."""
    deadline = time.monotonic() + PATIENCE
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(message)
        time.sleep(0.05)


# -- the sample centre ---------------------------------------------------------------------


def sample_config(url: str) -> CentreConfig:
    """The demo centre, whose phones reach it at ``url``."""
    config = load_config(DEFAULT_CONFIG, environ={})
    return config.model_copy(update={"public": PublicConfig(url=url)})


def fill_sample_centre(store: Store, clock: FixedClock, config: CentreConfig) -> dict[str, str]:
    """A morning of licence renewals made through the use cases: three served, one called,
    the rest waiting. Returns the ids of a served, the called and a waiting ticket."""
    clock.set(SAMPLE_TIME - timedelta(minutes=40))
    issued = []
    for _ in range(12):
        issued.append(uc.issue_ticket(store, clock, config, SERVICE).ticket)
        clock.advance(timedelta(seconds=100))
    served = []
    for counter in ("1", "2", "3"):
        view = uc.call_next(store, clock, config, counter)
        assert view is not None
        clock.advance(timedelta(seconds=30))
        uc.start_serving(store, clock, config, counter)
        clock.advance(timedelta(minutes=5))
        served.append(uc.finish(store, clock, config, counter).ticket)
    clock.set(SAMPLE_TIME - timedelta(seconds=20))
    called = uc.call_next(store, clock, config, "2")
    assert called is not None
    clock.set(SAMPLE_TIME)
    waiting = issued[8]
    return {"served": served[0].id, "called": called.ticket.id, "waiting": waiting.id}


@contextmanager
def serving(state: CentreServer) -> Iterator[str]:
    """``state`` served on a free loopback port in a thread until the block ends; yields its URL."""
    with loopback() as sock:
        port = int(sock.getsockname()[1])
        with serving_on(state, sock):
            yield f"http://127.0.0.1:{port}"


@contextmanager
def loopback() -> Iterator[socket.socket]:
    """A socket bound to a free loopback port, closed when the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield sock
    finally:
        sock.close()


@contextmanager
def serving_on(state: CentreServer, sock: socket.socket) -> Iterator[None]:
    """``state`` served on the bound ``sock`` in a thread until the block ends."""
    port = int(sock.getsockname()[1])
    server = make_server(state, uvicorn_config(state, "127.0.0.1", port, log_level="warning"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="pictures-server", daemon=True
    )
    thread.start()
    try:
        wait_until(lambda: bool(server.started) or not thread.is_alive(), "no server")
        if not server.started:
            raise RuntimeError("the centre server did not start")
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@contextmanager
def _sample_server(folder: Path) -> Iterator[Sample]:
    store = Store.open(f"sqlite:///{folder / 'sample.db'}")
    try:
        with loopback() as sock:
            url = f"http://127.0.0.1:{sock.getsockname()[1]}"
            config = sample_config(url)
            clock = FixedClock(SAMPLE_TIME)
            tickets = fill_sample_centre(store, clock, config)
            state = CentreServer(store, clock, config)
            with serving_on(state, sock):
                join = phones.join_link(config, state.secret(), clock.now())
                assert join is not None
                yield Sample(
                    url=url,
                    waiting=_path(state, tickets["waiting"], url),
                    called=_path(state, tickets["called"], url),
                    served=_path(state, tickets["served"], url),
                    join=join.url.removeprefix(url),
                )
    finally:
        store.close()


def _path(state: CentreServer, ticket_id: str, url: str) -> str:
    link = state.link(ticket_id)
    assert link is not None
    return link.removeprefix(url)


def main(argv: list[str] | None = None) -> int:
    """Render the phone pages into the directory given."""
    parser = argparse.ArgumentParser(prog="python -m server.web.snapshots", description=__doc__)
    parser.add_argument("out_dir", type=Path, help="directory for the PNG files")
    args: Any = parser.parse_args(argv)
    for path in render_pages(args.out_dir):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
