"""The visitor's phone pages in a real Chromium on a real centre server, at 360 by 740, in Arabic
and in English: a printed ticket's QR, the call, more time, leaving, rating, paperless tickets
from the hall's QR, expired codes and forged links (docs/phone.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from centre.clock import FixedClock
from centre.config import CentreConfig, PublicConfig
from centre.store.unit_of_work import Store
from server import web
from server.web.snapshots import render_pages
from taboor.printing import print_ticket
from tests.browser import BrowserFactory, console_log, page_errors, text_of, wait_for
from tests.live_server import LiveServer, free_socket, live_server
from tests.unit.printer.fakes import decode_qr_codes

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

LANGS = pytest.mark.parametrize("lang", ["ar", "en"])
SERVICE = "licence-renewal"
#: Long enough for a page on a loaded test machine; the tests never assert how long it took.
PATIENCE = 10.0


@pytest.fixture
def live(sqlite_store: Store, clock: FixedClock, config: CentreConfig) -> Iterator[LiveServer]:
    """The centre server, whose ``[public] url`` is its own address (tickets link back to it)."""
    probe = free_socket()
    port = int(probe.getsockname()[1])
    probe.close()
    public = config.model_copy(update={"public": PublicConfig(url=f"http://127.0.0.1:{port}")})
    with live_server(sqlite_store, clock, public, port=port) as server:
        assert server.url == public.public.url
        yield server


def strings(lang: str) -> dict[str, str]:
    """The page's strings in ``lang``, as it loads them from ``/p/{lang}.json``."""
    found = web.asset(f"{lang}.json")
    assert found is not None
    loaded: dict[str, str] = json.loads(found[0])
    return loaded


def say(lang: str, key: str, **values: object) -> str:
    """The text the page shows for ``key`` with its ``{name}`` placeholders filled."""
    text = strings(lang)[key]
    for name, value in values.items():
        text = text.replace(f"{{{name}}}", str(value))
    return text


def shown(driver: Chrome, testid: str) -> bool:
    """Whether the element of ``testid`` is there and visible."""
    found = driver.find_elements("css selector", f'[data-testid="{testid}"]')
    return bool(found) and found[0].is_displayed()


def tap(driver: Chrome, testid: str) -> None:
    """Tap the element of ``testid`` once it is visible and enabled."""
    [element] = wait_for(
        driver,
        lambda d: [
            e
            for e in d.find_elements("css selector", f'[data-testid="{testid}"]')
            if e.is_displayed() and e.is_enabled()
        ],
        PATIENCE,
        f"nothing to tap at {testid}",
    )
    element.click()


def showing(driver: Chrome, testid: str, text: str) -> None:
    """Wait until the element of ``testid`` shows exactly ``text``."""
    wait_for(
        driver,
        lambda d: shown(d, testid) and text_of(d, testid) == text,
        PATIENCE,
        f"{testid} never showed {text!r}",
    )


def alerts(driver: Chrome) -> list[str]:
    """The kinds of alert the page raised (near, called, recall), in order."""
    kinds: list[str] = driver.execute_script(
        "return window.taboorPhone.alerts.map((alert) => alert.kind);"
    )
    return kinds


def direction(driver: Chrome) -> str:
    """The page's writing direction (``rtl`` or ``ltr``)."""
    return str(driver.execute_script("return document.documentElement.dir;"))


def public_view(live: LiveServer, link: str) -> dict[str, Any]:
    """The ticket's public view, as its page reads it."""
    path = urlsplit(link).path.replace("/t/", "/api/v1/public/tickets/", 1)
    answer = live.client().get(path)
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


def issue(live: LiveServer, kiosk: httpx.Client) -> str:
    """A walk-in ticket's link, as the kiosk device is given it."""
    answer = kiosk.post("/api/v1/tickets", json={"service": SERVICE})
    assert answer.status_code == 201, answer.text
    link = str(answer.json()["link"])
    assert link.startswith(f"{live.url}/t/")
    return link


def read_qr(path: Path) -> list[str]:
    """The texts a phone's camera reads in the picture at ``path``."""
    with Image.open(path) as picture:
        return decode_qr_codes(picture)


def hall_url(live: LiveServer) -> str:
    """The paperless-ticket address the hall screen shows now."""
    answer = live.client(live.enrol("hall")).get("/api/v1/hall/join")
    assert answer.status_code == 200, answer.text
    return str(answer.json()["url"])


# -- a ticket's page --------------------------------------------------------------------


@LANGS
def test_the_printed_tickets_qr_opens_its_page_and_the_call_reaches_it(
    live: LiveServer, browser: BrowserFactory, tmp_path: Path, lang: str
) -> None:
    kiosk = live.remote("kiosk")
    view = kiosk.issue_ticket(SERVICE, lang=lang)
    paper = tmp_path / "paper"
    print_ticket(kiosk, view, printer=f"virtual:{paper}")
    [printed] = paper.glob("*.png")
    [link] = read_qr(printed)
    assert link == view.link

    driver = browser(lang=lang)
    driver.get(link)
    showing(driver, "number", "A001")
    assert direction(driver) == ("rtl" if lang == "ar" else "ltr")
    assert text_of(driver, "state") == say(lang, "state_waiting")
    assert text_of(driver, "ahead") == "0"
    assert not shown(driver, "called")

    counter = live.client(live.clerk_at("1"))
    assert counter.post("/api/v1/counters/1/call").status_code == 200
    wait_for(driver, lambda d: shown(d, "called"), PATIENCE, "the call never reached the page")
    assert text_of(driver, "counter") == "1"
    assert text_of(driver, "state") == say(lang, "state_called")
    assert wait_for(driver, lambda d: "called" in alerts(d), PATIENCE)
    assert page_errors(driver) == []


def scroll_width(driver: Chrome) -> int:
    """How wide the page is laid out, in CSS pixels (over 360: it scrolls sideways)."""
    return int(driver.execute_script("return document.documentElement.scrollWidth;"))


@LANGS
def test_at_double_text_size_the_page_still_fits_a_360_pixel_phone(
    live: LiveServer, browser: BrowserFactory, lang: str
) -> None:
    link = issue(live, live.client(live.enrol("kiosk")))
    issue(live, live.client(live.enrol("kiosk")))  # someone behind: more time is offered
    driver = browser(lang=lang)
    driver.get(link)
    showing(driver, "number", "A001")
    size = (
        "return parseFloat(getComputedStyle("
        "document.querySelector('[data-testid=state]')).fontSize);"
    )
    before = float(driver.execute_script(size))
    # As a phone's "larger text" setting does: every rem doubles.
    driver.execute_script("document.documentElement.style.fontSize = '200%';")
    assert float(driver.execute_script(size)) >= 1.9 * before
    assert scroll_width(driver) <= 360
    for testid in ("number", "state", "ahead", "more-time", "leave"):
        assert shown(driver, testid), f"{testid} is not shown at 200 % text"
    tap(driver, "more-time")
    showing(driver, "ahead", "1")
    counter = live.client(live.clerk_at("1"))
    assert counter.post("/api/v1/counters/1/call").status_code == 200
    assert counter.post("/api/v1/counters/1/no-show").status_code == 200
    assert counter.post("/api/v1/counters/1/call").status_code == 200
    wait_for(driver, lambda d: shown(d, "called"), PATIENCE, "the call never reached the page")
    assert scroll_width(driver) <= 360
    assert text_of(driver, "counter") == "1"


@LANGS
def test_more_time_moves_the_visitor_back_and_leaving_asks_first(
    live: LiveServer, browser: BrowserFactory, lang: str
) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    assert isinstance(live.clock, FixedClock)
    links = []
    for _ in range(5):
        links.append(issue(live, kiosk))
        live.clock.advance(timedelta(seconds=20))

    driver = browser(lang=lang)
    driver.get(links[0])
    showing(driver, "number", "A001")
    assert text_of(driver, "ahead") == "0"
    assert text_of(driver, "more-time-left") == say(lang, "more_time_left", n=2)

    tap(driver, "more-time")
    showing(driver, "ahead", "3")
    showing(driver, "more-time-left", say(lang, "more_time_left", n=1))
    assert public_view(live, links[0])["more_time_left"] == 1

    # Leaving asks first; "no" keeps the ticket.
    tap(driver, "leave")
    assert shown(driver, "leave-confirm")
    assert not shown(driver, "leave")
    tap(driver, "leave-cancel")
    wait_for(driver, lambda d: shown(d, "leave") and not shown(d, "leave-confirm"), PATIENCE)
    assert public_view(live, links[0])["state"] == "waiting"

    tap(driver, "leave")
    tap(driver, "leave-confirm")
    showing(driver, "state", say(lang, "state_left"))
    assert not shown(driver, "more-time")
    left = public_view(live, links[0])
    assert (left["state"], left["left"]) == ("cancelled", True)
    assert page_errors(driver) == []


@LANGS
def test_a_served_visitor_rates_the_service_with_a_face(
    live: LiveServer, browser: BrowserFactory, lang: str
) -> None:
    link = issue(live, live.client(live.enrol("kiosk")))
    driver = browser(lang=lang)
    driver.get(link)
    showing(driver, "number", "A001")
    assert not shown(driver, "rate-4")

    counter = live.client(live.clerk_at("1"))
    for action in ("call", "start", "done"):
        assert counter.post(f"/api/v1/counters/1/{action}").status_code == 200
    showing(driver, "state", say(lang, "state_served"))
    tap(driver, "rate-4")
    showing(driver, "thanks", say(lang, "thanks"))
    assert not shown(driver, "rate-4")
    assert public_view(live, link)["rating"] == 4
    assert page_errors(driver) == []


# -- paperless tickets ---------------------------------------------------------------------


@LANGS
def test_the_halls_qr_gives_a_paperless_ticket_that_the_join_page_remembers(
    live: LiveServer, browser: BrowserFactory, qtbot: QtBot, tmp_path: Path, lang: str
) -> None:
    from ui.qr import qr_image  # noqa: PLC0415 - Qt, as the hall screen draws it

    del qtbot  # only for its QApplication
    url = hall_url(live)
    picture = tmp_path / "hall-qr.png"
    assert qr_image(url, 360).save(str(picture))
    [scanned] = read_qr(picture)
    assert scanned == url

    driver = browser(lang=lang)
    driver.get(scanned)
    tap(driver, f"service-{SERVICE}")
    wait_for(driver, lambda d: urlsplit(d.current_url).path.startswith("/t/"), PATIENCE)
    showing(driver, "number", "A001")
    assert text_of(driver, "state") == say(lang, "state_waiting")
    ticket = urlsplit(driver.current_url).path

    # The same code again: the page offers the ticket taken, not a second one.
    driver.get(scanned)
    mine = wait_for(
        driver,
        lambda d: [a for a in d.find_elements("css selector", "#mine-list a") if a.is_displayed()],
        PATIENCE,
        "the join page did not offer the ticket taken",
    )
    assert [a.get_attribute("pathname") for a in mine] == [ticket]
    assert mine[0].text.startswith(say(lang, "my_ticket", number="A001"))
    assert page_errors(driver) == []


def translated(driver: Chrome) -> bool:
    """Whether the notice's script has put the page in the visitor's language."""
    return bool(driver.execute_script("return document.querySelector('#mine h2').textContent;"))


def _page_text(driver: Chrome) -> str:
    return str(driver.find_element("css selector", "body").text)


def _errors_but_the_status(driver: Chrome, status: int, *pages: str) -> list[str]:
    # A notice's own status (404, 410) is a failed load to Chromium's console: that alone
    # is expected, for the pages opened and nothing else.
    expected = {
        f"{page} - Failed to load resource: the server responded with a status of {status}"
        for page in pages
    }
    return [
        entry.message
        for entry in console_log(driver)
        if entry.level == "SEVERE" and entry.message.split(" (", 1)[0] not in expected
    ]


@LANGS
def test_an_expired_hall_code_shows_the_expired_notice(
    live: LiveServer, browser: BrowserFactory, lang: str
) -> None:
    url = hall_url(live)
    assert isinstance(live.clock, FixedClock)
    live.clock.advance(timedelta(seconds=2 * live.config.public.join_seconds))
    assert live.client().get(urlsplit(url).path).status_code == 410

    driver = browser(lang=lang)
    driver.get(url)
    wait_for(driver, translated, PATIENCE, "the notice's script did not run")
    lines = _page_text(driver).splitlines()
    english = ["This code has expired", "Scan the new code on the hall screen."]
    arabic = ["انتهت صلاحية هذا الرمز", "امسح الرمز الجديد على شاشة القاعة."]
    # Both languages, the visitor's own first.
    assert lines == (arabic + english if lang == "ar" else english + arabic)
    assert not driver.find_elements("css selector", '[data-testid^="service-"]')
    assert _errors_but_the_status(driver, 410, url) == []


# -- forged links -----------------------------------------------------------------------------


@LANGS
def test_a_forged_link_shows_exactly_the_unknown_tickets_page(
    live: LiveServer, browser: BrowserFactory, lang: str
) -> None:
    link = issue(live, live.client(live.enrol("kiosk")))
    forged = link[:-1] + ("A" if link[-1] != "A" else "B")
    unknown = f"{live.url}/t/00000000-0000-4000-8000-000000000000.AAAAAAAAAAAAAAAA"

    driver = browser(lang=lang)
    pages = []
    for address in (forged, unknown):
        driver.get(address)
        wait_for(driver, translated, PATIENCE, "the notice's script did not run")
        pages.append((_page_text(driver), driver.page_source, driver.title))
    assert pages[0] == pages[1], driver.execute_script("return navigator.languages")
    text, source, _ = pages[0]
    first = "Ticket not found" if lang == "en" else "لم نجد التذكرة"
    assert text.splitlines()[0] == first
    assert "A001" not in source
    assert not driver.find_elements("css selector", '[data-testid="number"]')
    assert _errors_but_the_status(driver, 404, forged, unknown) == []


# -- the pictures ---------------------------------------------------------------------------

PICTURES = [
    *(f"phone-{page}-{lang}.png" for page in ("ticket", "called", "join") for lang in ("ar", "en")),
    "phone-rate-en.png",
]


def test_the_phone_pictures_are_drawn_phone_sized(browser: BrowserFactory, tmp_path: Path) -> None:
    del browser  # only for its check that Chromium, its driver and Selenium are here
    written = render_pages(tmp_path)
    assert sorted(path.name for path in written) == sorted(PICTURES)
    for path in written:
        with Image.open(path) as picture:
            assert picture.size == (360, 740), path.name
