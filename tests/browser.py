"""Debian's headless Chromium, driven by Selenium, for the tests of the browser pages.

The browser is always ``/usr/bin/chromium`` driven by ``/usr/bin/chromedriver``
(Debian's ``chromium`` and ``chromium-driver``). Naming the driver's path
makes Selenium skip Selenium Manager altogether, so nothing is downloaded and
nothing reaches the network. Selenium itself is imported only when a browser
is made, so that without it the suite still collects and the browser tests
skip (or fail, under ``TABOOR_REQUIRE_BROWSER``) naming what is missing.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from server.web import snapshots
from server.web.snapshots import CHROMEDRIVER, CHROMIUM

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

T = TypeVar("T")


class BrowserFactory(Protocol):
    """What the ``browser`` fixture yields: makes a headless Chromium (see :func:`chromium`)."""

    def __call__(
        self,
        *,
        width: int = 360,
        height: int = 740,
        lang: str = "en",
        autoplay: bool = False,
        mobile: bool = True,
    ) -> Chrome: ...


def browser_missing() -> str | None:
    """What the browser tests lack and how to install it, or None when they can run."""
    missing = [
        f"{path} ({package})"
        for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver"))
        if not os.access(path, os.X_OK)
    ]
    if missing:
        return f"no {' and no '.join(missing)}: apt-get install chromium chromium-driver"
    if importlib.util.find_spec("selenium") is None:
        return "Selenium is not installed: pip install 'selenium>=4.20' (the test extras)"
    return None


def chromium(
    *,
    width: int = 360,
    height: int = 740,
    lang: str = "en",
    autoplay: bool = False,
    mobile: bool = True,
) -> Chrome:
    """A new headless Chromium whose viewport is ``width`` by ``height`` CSS pixels, one
    device pixel each, speaking ``lang`` (``navigator.language`` and ``Accept-Language``),
    logging its console, and playing media without a user's gesture when ``autoplay``.

    ``mobile`` makes it a phone: the page's ``<meta name="viewport">`` is obeyed (without
    one the page is laid out 980 pixels wide), scrollbars take no room and touch is on.
    ``mobile=False`` is a desktop window, whose scrollbar takes 15 pixels of the width.
    """
    # The pictures' Chromium, keeping its console, and with motion as a visitor sees it.
    return snapshots.chromium(
        lang, width, height, mobile=mobile, autoplay=autoplay, console=True, still=False
    )


def wait_for(
    driver: Chrome, predicate: Callable[[Chrome], T], timeout: float = 5.0, message: str = ""
) -> T:
    """The first truthy value of ``predicate(driver)``, polled every 50 ms until ``timeout``
    seconds have passed (then a ``TimeoutException`` carrying ``message``)."""
    from selenium.webdriver.support.wait import WebDriverWait  # noqa: PLC0415

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(predicate, message)


def text_of(driver: Chrome, testid: str) -> str:
    """The visible text of the element whose ``data-testid`` is ``testid``."""
    return driver.find_element("css selector", f'[data-testid="{testid}"]').text


def screenshot(driver: Chrome, path: Path) -> Path:
    """Save the viewport as a PNG at ``path`` and return the path."""
    if not driver.save_screenshot(str(path)):
        raise OSError(f"Chromium could not save a screenshot to {path}")
    return path


@dataclass(frozen=True)
class ConsoleEntry:
    """One line of the page's console: a ``console.*`` call, an uncaught error, a failed load."""

    level: str  # DEBUG, INFO, WARNING or SEVERE (console.error, uncaught errors, failed loads)
    source: str  # console-api, javascript, network, ...
    message: str


def console_log(driver: Chrome) -> list[ConsoleEntry]:
    """What the page logged since the last call (each call drains Chromium's buffer)."""
    entries: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    return [
        ConsoleEntry(entry["level"], entry.get("source", ""), entry["message"]) for entry in entries
    ]


def page_errors(driver: Chrome) -> list[str]:
    """The errors the page logged since the console was last read: ``console.error``,
    uncaught exceptions and failed loads (an empty list is a clean page)."""
    return [entry.message for entry in console_log(driver) if entry.level == "SEVERE"]


@dataclass(frozen=True)
class Mark:
    """A ``performance.mark``: its name and when it was set, in ms since the navigation."""

    name: str
    start: float


def performance_marks(driver: Chrome) -> list[Mark]:
    """The page's performance marks, in the order they were set."""
    marks: list[dict[str, Any]] = driver.execute_script(
        "return performance.getEntriesByType('mark')"
        ".map(mark => ({name: mark.name, start: mark.startTime}));"
    )
    return [Mark(mark["name"], float(mark["start"])) for mark in marks]
