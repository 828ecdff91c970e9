"""The hall and counter displays in a real Chromium on a real centre server: pairing through a
one-time link, calls shown in order and in turns, a dropped link caught up, a revoked
television, the rating faces, sound unlocked by one touch, and the README's pictures."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from PIL import Image

from centre import devices
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import AnnouncementsConfig, CentreConfig, PublicConfig
from centre.domain import EventType
from centre.store.unit_of_work import Store
from server.web.display_snapshots import render_displays
from taboor.serving import pairing_link
from tests.browser import BrowserFactory, page_errors, text_of, wait_for
from tests.live_server import LiveServer, free_socket, live_server
from tests.unit.printer.fakes import decode_qr_codes

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

#: Long enough for a page on a loaded test machine; the tests never assert how long it took.
PATIENCE = 10.0
#: Each call's turn, shown large and highlighted, in seconds (the hall's own is 8).
TURN = 1.0
#: Long enough for a few calls to be said aloud, one after another (a few seconds each).
SAYING = 60.0
#: Where a page keeps its token: this prefix and the page's path, in localStorage.
KEPT_AS = "taboor.display.token:"


@pytest.fixture
def port() -> int:
    """A free loopback port, for a server started again on the same address."""
    probe = free_socket()
    port = int(probe.getsockname()[1])
    probe.close()
    return port


@pytest.fixture
def public(config: CentreConfig, port: int) -> CentreConfig:
    """The demo centre, whose phones reach it at its own address (the hall shows the QR),
    and whose hall says each call in English alone and without the chime (a call is said
    in a few seconds, not ten)."""
    return config.model_copy(
        update={
            "public": PublicConfig(url=f"http://127.0.0.1:{port}"),
            "announcements": AnnouncementsConfig(languages=["en"], chime=False),
        }
    )


@pytest.fixture
def live(
    sqlite_store: Store, clock: FixedClock, public: CentreConfig, port: int
) -> Iterator[LiveServer]:
    """The centre server on ``port``."""
    with live_server(sqlite_store, clock, public, port=port) as server:
        yield server


def link(live: LiveServer, name: str, role: str = devices.HALL, counter: str | None = None) -> str:
    """The one-time link ``taboor device add NAME --role ROLE --link`` prints, on the live
    server, its page's turns shortened to :data:`TURN`."""
    enrolled = devices.add_device(
        live.store, live.clock, live.config, name, role, counter, link=True
    )
    assert enrolled.pairing_code is not None
    return f"{pairing_link(live.url, role, counter)}?turn={TURN}#pair={enrolled.pairing_code}"


def hook(driver: Chrome) -> dict[str, Any]:
    """What the page's test hook holds now."""
    found: dict[str, Any] = driver.execute_script("return window.taboorDisplay;")
    return found


def state_is(driver: Chrome, state: str) -> None:
    """Wait until the page is in ``state`` (running, unpaired, spent, revoked)."""
    wait_for(
        driver,
        lambda d: (
            d.execute_script("return window.taboorDisplay && window.taboorDisplay.state;") == state
        ),
        PATIENCE,
        f"the display never was {state}",
    )


def open_paired(
    browser: BrowserFactory, address: str, width: int = 1920, height: int = 1080
) -> Chrome:
    """A television's browser that opened ``address`` and is showing the centre."""
    driver = browser(width=width, height=height, autoplay=True, mobile=False)
    driver.get(address)
    state_is(driver, "running")
    wait_for(driver, lambda d: hook(d)["connected"], PATIENCE, "the display never connected")
    return driver


def painted(driver: Chrome, count: int) -> list[dict[str, Any]]:
    """The page's painted calls, once there are ``count``."""
    wait_for(
        driver,
        lambda d: len(hook(d)["painted"]) >= count,
        PATIENCE,
        f"fewer than {count} calls were painted",
    )
    shown: list[dict[str, Any]] = hook(driver)["painted"]
    return shown


def call(clerk: httpx.Client, counter: str) -> dict[str, Any]:
    """Call the next visitor at ``counter``; the ticket called."""
    answer = clerk.post(f"/api/v1/counters/{counter}/call")
    assert answer.status_code == 200, answer.text
    ticket: dict[str, Any] = answer.json()
    return ticket


def call_seqs(store: Store, after: int = 0) -> list[int]:
    """The seqs of every call in the log after ``after``, oldest first."""
    return [
        event.seq or 0
        for event in uc.events_since(store, after, 10_000)
        if event.type in (EventType.CALLED, EventType.RECALLED)
    ]


def notice(driver: Chrome) -> str:
    """The full-screen notice's text, once it shows."""
    wait_for(
        driver,
        lambda d: d.find_element("css selector", '[data-testid="notice"]').is_displayed(),
        PATIENCE,
        "no notice",
    )
    return text_of(driver, "notice")


def issue(live: LiveServer, count: int, service: str = "licence-renewal") -> None:
    kiosk = live.client(live.enrol("kiosk"))
    for _ in range(count):
        assert kiosk.post("/api/v1/tickets", json={"service": service}).status_code == 201


# -- pairing ------------------------------------------------------------------------------


def test_a_tv_pairs_through_its_link_and_a_second_browser_is_refused(
    live: LiveServer, browser: BrowserFactory
) -> None:
    address = link(live, "tv-1")
    tv = open_paired(browser, address)
    # The code leaves the address bar; the token stays with this page's path.
    assert "#" not in tv.current_url
    assert tv.current_url.endswith("/display/hall?turn=1.0")
    token = tv.execute_script(f"return localStorage.getItem('{KEPT_AS}/display/hall');")
    assert token
    [device] = devices.device_list(live.store)
    assert (device.name, device.paired) == ("tv-1", True)
    assert text_of(tv, "now-number") == "—"

    # Opened again later (a power cut), it needs no link.
    tv.get(f"{live.url}/display/hall")
    state_is(tv, "running")
    assert page_errors(tv) == []

    other = browser(width=1920, height=1080, mobile=False)
    other.get(address)
    state_is(other, "spent")
    assert notice(other).splitlines() == [
        "تم استخدام هذا الرابط من قبل.",
        "اطلب رابطًا جديدًا.",
        "This link was already used.",
        "Ask for a new one.",
    ]
    assert "#" not in other.current_url

    # Without a link, a browser is told how to pair.
    other.get(f"{live.url}/display/hall")
    state_is(other, "unpaired")
    assert "taboor device add hall-1 --role hall --link" in notice(other)


def test_a_counter_link_pairs_the_display_over_that_counter(
    live: LiveServer, browser: BrowserFactory
) -> None:
    tv = open_paired(browser, link(live, "counter-3-screen", devices.COUNTER, "3"))
    assert tv.current_url.endswith("/display/counter/3?turn=1.0")
    assert text_of(tv, "counter-id") == "3"
    assert text_of(tv, "ticket-status").splitlines() == [
        "هذا الكاونتر مغلق",
        "This counter is closed",
    ]
    unknown = live.client().get("/display/counter/99")
    assert unknown.status_code == 404
    assert "Content-Security-Policy" in unknown.headers


# -- calls ------------------------------------------------------------------------------------


def test_calls_reach_the_hall_in_order_and_calls_of_the_same_second_take_turns(
    live: LiveServer, browser: BrowserFactory
) -> None:
    issue(live, 6)
    tv = open_paired(browser, link(live, "tv-1"))
    joined = wait_for(tv, lambda d: hook(d)["joinUrl"], PATIENCE, "no paperless-ticket QR")
    assert joined.startswith(f"{live.url}/j/")
    start = uc.last_seq(live.store)

    # Two counters call in the same second (the clock is frozen): each is listed at once,
    # and each is shown large in its turn, in the order called, once the one before was
    # highlighted long enough and said.
    clerks = {counter: live.client(live.clerk_at(counter)) for counter in ("1", "2")}
    numbers = [call(clerks[counter], counter)["number"] for counter in ("1", "2")]
    shown = painted(tv, 2)
    assert [p["number"] for p in shown] == numbers
    assert [p["seq"] for p in shown] == call_seqs(live.store, start)
    rows = tv.find_elements("css selector", "#recent-list .recent-number")
    assert len(rows) == 6  # the list is always six rows, however many calls
    assert [row.text for row in rows][:2] == [numbers[1], ""]
    assert text_of(tv, "now-number") == numbers[0]

    # A recall is shown (and said) again, after the calls before it.
    assert clerks["1"].post("/api/v1/counters/1/recall").status_code == 200
    wait_for(tv, lambda d: len(hook(d)["turns"]) == 3, SAYING, "not every call had its turn")
    turns = hook(tv)["turns"]
    assert [t["number"] for t in turns] == [*numbers, numbers[0]]
    assert all(b["at"] - a["at"] >= TURN * 1000 - 50 for a, b in pairwise(turns))
    said = tv.execute_script("return window.taboorDisplay.said;")
    assert [s["seq"] for s in said][:2] == [p["seq"] for p in shown]
    # Each turn began once the call before it had been said.
    for before, turn in zip(said, turns[1:], strict=False):
        assert turn["at"] >= before["at"] - 50
    wait_for(
        tv,
        lambda d: "highlighted" not in str(d.find_element("id", "now").get_attribute("class")),
        SAYING,
        "the highlight never went",
    )
    assert text_of(tv, "now-number") == numbers[0]
    assert text_of(tv, "now-counter") == "1"
    calls = tv.execute_script(
        "return window.taboorDisplay.calls.map(function (c) { return [c.number, c.recall]; });"
    )
    assert calls == [[number, False] for number in numbers] + [[numbers[0], True]]
    assert page_errors(tv) == []


def test_a_dropped_link_misses_no_call_and_repeats_none(
    sqlite_store: Store, clock: FixedClock, public: CentreConfig, port: int, browser: BrowserFactory
) -> None:
    with live_server(sqlite_store, clock, public, port=port) as first:
        issue(first, 10)
        tv = open_paired(browser, link(first, "tv-1"))
        start = uc.last_seq(sqlite_store)
        clerk = first.client(first.clerk_at("1"))
        call(clerk, "1")
        painted(tv, 1)
    # The server is gone: the page says it is reconnecting, and calls go on without it.
    wait_for(tv, lambda d: not hook(d)["connected"], PATIENCE, "the page never saw the drop")
    assert tv.find_element("css selector", '[data-testid="connection"]').is_displayed()
    for counter in ("2", "3"):
        uc.call_next(sqlite_store, clock, public, counter)
    with live_server(sqlite_store, clock, public, port=port) as second:
        clerk = second.client(second.clerk_at("4"))
        call(clerk, "4")
        wait_for(tv, lambda d: hook(d)["connected"], PATIENCE, "the page never reconnected")
        assert hook(tv)["streams"] >= 2
        call(second.client(second.clerk_at("5")), "5")
        expected = call_seqs(sqlite_store, start)
        shown = painted(tv, len(expected))
        assert [p["seq"] for p in shown] == expected
        assert not tv.find_element("css selector", '[data-testid="connection"]').is_displayed()


def test_a_browser_without_streamed_answers_follows_the_log_by_asking(
    live: LiveServer, browser: BrowserFactory
) -> None:
    issue(live, 4)
    tv = browser(width=1920, height=1080, autoplay=True, mobile=False)
    # An older television's browser: fetch() answers, but not as a stream.
    tv.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": "Object.defineProperty(Response.prototype, 'body', {get: () => null});"},
    )
    tv.get(link(live, "tv-1"))
    state_is(tv, "running")
    start = uc.last_seq(live.store)
    clerks = {counter: live.client(live.clerk_at(counter)) for counter in ("1", "2")}
    numbers = [call(clerks[counter], counter)["number"] for counter in ("1", "2")]
    shown = painted(tv, 2)
    assert [p["number"] for p in shown] == numbers
    assert [p["seq"] for p in shown] == call_seqs(live.store, start)
    assert (hook(tv)["polling"], hook(tv)["streams"]) == (True, 0)


def test_a_revoked_tv_says_it_is_no_longer_paired(
    live: LiveServer, browser: BrowserFactory
) -> None:
    tv = open_paired(browser, link(live, "tv-1"))
    devices.revoke_device(live.store, live.clock, "tv-1")
    state_is(tv, "revoked")
    assert notice(tv).splitlines()[2] == "This display is no longer paired"
    assert not tv.find_element("id", "screen").is_displayed()
    assert tv.execute_script(f"return localStorage.getItem('{KEPT_AS}/display/hall');") is None


# -- the counter display ----------------------------------------------------------------------


def test_the_counter_display_shows_its_ticket_then_takes_one_rating(
    live: LiveServer, browser: BrowserFactory
) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    answer = kiosk.post("/api/v1/tickets", json={"service": "licence-renewal", "lang": "en"})
    ticket = answer.json()
    tv = open_paired(browser, link(live, "counter-1-screen", devices.COUNTER, "1"))
    clerk = live.client(live.clerk_at("1"))
    call(clerk, "1")
    wait_for(tv, lambda d: text_of(d, "ticket-number") == ticket["number"], PATIENCE)
    assert text_of(tv, "ticket-status").splitlines()[1] == "Please come to this counter"
    assert clerk.post("/api/v1/counters/1/start").status_code == 200
    wait_for(tv, lambda d: "Now serving" in text_of(d, "ticket-status"), PATIENCE)

    assert clerk.post("/api/v1/counters/1/done").status_code == 200
    wait_for(tv, lambda d: d.find_element("id", "rating-ask").is_displayed(), PATIENCE, "no faces")
    # The visitor's language on top, and the faces read its way: very unhappy on the left.
    english, arabic = (
        tv.find_element("css selector", f'#rating-question [lang="{lang}"]')
        for lang in ("en", "ar")
    )
    assert english.text == "How was our service today?"
    assert english.rect["y"] < arabic.rect["y"]
    faces = [tv.find_element("css selector", f'[data-testid="face-{n}"]').rect for n in (1, 5)]
    assert faces[0]["x"] < faces[1]["x"]
    tv.find_element("css selector", '[data-testid="face-4"]').click()
    wait_for(tv, lambda d: d.find_element("id", "thanks").is_displayed(), PATIENCE, "no thanks")
    wait_for(tv, lambda d: hook(d)["ratings"][0]["status"] == 204, PATIENCE)
    feedback = [e for e in uc.events_since(live.store, 0, 1000) if e.type is EventType.FEEDBACK]
    assert [(e.ticket_number, e.data.get("rating")) for e in feedback] == [(ticket["number"], 4)]
    wait_for(tv, lambda d: d.find_element("id", "ticket-panel").is_displayed(), PATIENCE, "stuck")
    assert text_of(tv, "ticket-number") == "—"


# -- sound ----------------------------------------------------------------------------------


def test_a_tv_that_blocks_sound_asks_for_one_touch(
    live: LiveServer, browser: BrowserFactory
) -> None:
    tv = browser(width=1920, height=1080, mobile=False)  # no autoplay: sound waits for a touch
    tv.get(link(live, "tv-1"))
    state_is(tv, "running")
    wait_for(tv, lambda d: hook(d).get("soundBlocked"), PATIENCE, "sound was never blocked")
    assert "Touch the screen to turn on sound" in notice(tv)
    assert tv.find_element("css selector", '[data-testid="sound-off"]').is_displayed()
    tv.find_element("css selector", '[data-testid="notice"]').click()
    wait_for(tv, lambda d: not hook(d)["soundBlocked"], PATIENCE, "sound stayed off")
    assert not tv.find_element("css selector", '[data-testid="notice"]').is_displayed()
    assert not tv.find_element("css selector", '[data-testid="sound-off"]').is_displayed()


# -- layout and pictures ----------------------------------------------------------------------


def test_the_hall_stands_in_portrait_with_the_call_above(
    live: LiveServer, browser: BrowserFactory
) -> None:
    tv = open_paired(browser, link(live, "tv-1"), width=1080, height=1920)
    now = tv.find_element("id", "now").rect
    recent = tv.find_element("id", "recent").rect
    assert now["y"] + now["height"] <= recent["y"]
    assert tv.execute_script("return document.documentElement.dir;") == "rtl"
    width = tv.execute_script("return document.documentElement.scrollWidth;")
    assert width == 1080  # nothing wider than the screen


def test_the_pictures_show_both_shapes_in_both_languages(tmp_path: Path) -> None:
    written = render_displays(tmp_path)
    assert sorted(path.name for path in written) == [
        "browser-counter-en.png",
        "browser-hall-landscape-ar.png",
        "browser-hall-landscape-en.png",
        "browser-hall-portrait-ar.png",
        "browser-hall-portrait-en.png",
    ]
    for path in written:
        with Image.open(path) as picture:
            assert picture.size == ((1080, 1920) if "portrait" in path.name else (1920, 1080))
    with Image.open(tmp_path / "browser-hall-landscape-ar.png") as picture:
        [code] = decode_qr_codes(picture)
    assert code.startswith("https://dana.taboor.example/j/")
