"""Head office in a real Chromium, watching three real centre servers through ``taboor hq``.

Each centre is a centre server on loopback over its own SQLite store, with a
morning built by hand (its clock frozen at 09:40), so every figure on the
page is known. ``taboor hq`` runs as its own process, polling every 0.3 s.
The page shows the three live, ranks them over a period and drills down;
then one centre's server stops, and the page keeps that centre's last
figures, greyed, "unreachable since" the time of its last answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.store.unit_of_work import Store
from centre.supervision import record_feedback
from server.hq import launch
from server.hq.launch import Watched, write_centres
from taboor.cli import main
from tests.browser import BrowserFactory, page_errors, wait_for
from tests.helpers import MORNING, clock_at
from tests.live_server import LiveServer, live_server

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

#: Long enough for a page on a loaded test machine; the tests never assert how long it took.
PATIENCE = 20.0
CONFIGS = DEFAULT_CONFIG.parent
ISOLATES = str.maketrans("", "", "\u2068\u2069")


def served(
    store: Store, clock: FixedClock, config: CentreConfig, service: str, wait: int, rating: int
) -> None:
    """A ticket of ``service`` called after ``wait`` minutes at the first counter serving it,
    served in 5 minutes and rated."""
    counter = next(c.id for c in config.counters if service in c.services)
    ticket = uc.issue_ticket(store, clock, config, service).ticket
    clock.advance(timedelta(minutes=wait))
    uc.open_counter(store, clock, config, counter)
    uc.call_next(store, clock, config, counter)
    uc.start_serving(store, clock, config, counter)
    clock.advance(timedelta(minutes=5))
    uc.finish(store, clock, config, counter, expected=ticket.id)
    record_feedback(store, clock, config, ticket.id, rating)


def traffic(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    """Yesterday one served within the maximum, rated 4; this morning at 09:00 two licence
    renewals (45 min max) and a fine (30 min max) arrive and wait; counter 1 opens."""
    clock.set(MORNING - timedelta(days=1))
    served(store, clock, config, "licence-renewal", 10, 4)
    clock.set(MORNING)
    for service in ("licence-renewal", "licence-renewal", "traffic-fines"):
        uc.issue_ticket(store, clock, config, service)
    uc.open_counter(store, clock, config, "1")


def passports(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    """This morning at 09:30 one passport renewal arrives and waits."""
    clock.set(MORNING + timedelta(minutes=30))
    uc.issue_ticket(store, clock, config, "passport-renewal")


def criminal(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    """Yesterday one waited 40 minutes (30 max), rated 5; this morning one is served at once,
    rated 5."""
    clock.set(MORNING - timedelta(days=1))
    served(store, clock, config, "good-conduct", 40, 5)
    clock.set(MORNING)
    served(store, clock, config, "good-conduct", 0, 5)


CENTRES = (
    ("traffic-dana", DEFAULT_CONFIG, traffic),
    ("npra-isa-town", CONFIGS / "passports-isa-town.toml", passports),
    ("cid-south", CONFIGS / "criminal-info-south.toml", criminal),
)


@dataclass
class Running:
    """A centre server of the test, and what stops it."""

    server: LiveServer
    stop: ExitStack


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[dict[str, Running]]:
    """The three centre servers, their mornings built, every clock at 09:40 (one of them is
    stopped mid-test)."""
    with ExitStack() as every:
        found: dict[str, Running] = {}
        for centre_id, path, build in CENTRES:
            config = load_config(path, environ={})
            store = Store.open(f"sqlite:///{tmp_path / centre_id}.db")
            every.callback(store.close)
            clock = clock_at()
            build(store, clock, config)
            clock.set(MORNING + timedelta(minutes=40))
            own = every.enter_context(ExitStack())
            found[centre_id] = Running(own.enter_context(live_server(store, clock, config)), own)
        yield found


@pytest.fixture
def head_office(tmp_path: Path, servers: dict[str, Running]) -> Iterator[str]:
    """``taboor hq`` watching the three, polling every 0.3 s: its URL."""
    watched = []
    for centre_id, running in servers.items():
        name = running.server.config.centre.name
        token = running.server.enrol("integrator")
        watched.append(Watched(centre_id, name.ar, name.en, running.server.url, token))
    centres = write_centres(tmp_path, watched)
    with launch.head_office(centres, tmp_path / "home", every=0.3) as url:
        yield url


def shown(driver: Chrome, testid: str) -> str:
    """The visible text of ``data-testid`` ``testid``, without the bidi isolates."""
    return driver.find_element("css selector", f'[data-testid="{testid}"]').text.translate(ISOLATES)


def state_of(driver: Chrome, centre: str) -> str:
    return str(
        driver.find_element("css selector", f'[data-testid="centre-{centre}"]').get_attribute(
            "data-state"
        )
    )


def hook(driver: Chrome) -> dict[str, Any]:
    found: dict[str, Any] = driver.execute_script("return window.taboorHq;")
    return found


def test_head_office_shows_every_centre_live_then_one_unreachable_with_its_last_figures(
    head_office: str, servers: dict[str, Running], browser: BrowserFactory
) -> None:
    url = head_office
    live = {centre_id: running.server for centre_id, running in servers.items()}
    driver = browser(width=1280, height=1000, mobile=False, lang="en")
    driver.get(url)
    wait_for(
        driver,
        lambda d: all(state_of(d, c) == "live" for c in live),
        PATIENCE,
        "the three centres live",
    )
    assert shown(driver, "centre-traffic-dana-waiting") == "3"
    assert shown(driver, "centre-traffic-dana-longest") == "40 min"
    assert shown(driver, "centre-traffic-dana-counters") == "1 / 8"
    assert shown(driver, "centre-traffic-dana-breaches") == "1 (Payment of traffic fines)"
    assert shown(driver, "centre-traffic-dana-satisfaction") == "no ratings yet"
    assert shown(driver, "centre-npra-isa-town-waiting") == "1"
    assert shown(driver, "centre-npra-isa-town-longest") == "10 min"
    assert shown(driver, "centre-npra-isa-town-breaches") == "0"
    assert shown(driver, "centre-cid-south-waiting") == "0"
    assert shown(driver, "centre-cid-south-satisfaction") == "5.00 of 5 (1 rating)"
    assert shown(driver, "centre-cid-south-served") == "1 of 1"
    assert shown(driver, "overall") == "3 centres · 3 live · 4 waiting · 1 past the maximum wait"

    # The two days, compared: traffic all within its maximum, criminal information half. Asked
    # once the page's own first comparison (the last 7 days to the real today) has come back,
    # which would otherwise replace it when it comes back last.
    wait_for(driver, lambda d: hook(d)["period"] is not None, PATIENCE, "the first comparison")
    driver.execute_script(
        "document.getElementById('from').value = '2026-11-21';"
        "document.getElementById('to').value = '2026-11-22';"
    )
    driver.find_element("css selector", '[data-testid="compare"]').click()
    wait_for(driver, lambda d: (hook(d)["period"] or {}).get("from") == "2026-11-21", PATIENCE)
    rows = driver.find_elements("css selector", '[data-testid="period-table"] tbody tr')
    assert [r.get_attribute("data-centre") for r in rows] == [
        "traffic-dana",
        "cid-south",
        "npra-isa-town",
    ]
    cells = [
        [c.text.translate(ISOLATES) for c in r.find_elements("css selector", "td")] for r in rows
    ]
    assert cells[0][:5] == ["1", live["traffic-dana"].config.centre.name.en, "100.0%", "4.00", "1"]
    assert cells[1][:5] == ["2", live["cid-south"].config.centre.name.en, "50.0%", "5.00", "2"]
    assert cells[2][0] == "—"
    # By satisfaction, criminal information comes first.
    driver.execute_script(
        "var s = document.getElementById('rank-by'); s.value = 'satisfaction';"
        "s.dispatchEvent(new Event('change'));"
    )
    first = driver.find_element("css selector", '[data-testid="period-table"] tbody tr')
    assert first.get_attribute("data-centre") == "cid-south"

    # Its report, by day: yesterday and today.
    first.click()
    wait_for(driver, lambda d: d.find_element("id", "drill-table").is_displayed(), PATIENCE)
    days = driver.find_elements("css selector", "#drill-body tr th")
    assert [d.text for d in days] == ["2026-11-21", "2026-11-22"]
    total = driver.find_element("css selector", '#drill-foot [data-column="sla_pct"]')
    assert total.text == "50.0%"

    # The passports centre's server stops: its last figures stay, greyed, and since when.
    before = next(c for c in hook(driver)["state"]["centres"] if c["id"] == "npra-isa-town")
    servers["npra-isa-town"].stop.close()
    wait_for(driver, lambda d: state_of(d, "npra-isa-town") == "unreachable", PATIENCE)
    after = next(c for c in hook(driver)["state"]["centres"] if c["id"] == "npra-isa-town")
    assert after["last_ok"] >= before["last_ok"]
    since = after["last_ok"][11:16]
    assert shown(driver, "centre-npra-isa-town-state") == f"Unreachable since {since}"
    assert shown(driver, "centre-npra-isa-town-waiting") == "1"
    card = driver.find_element("css selector", '[data-testid="centre-npra-isa-town"]')
    assert "stale" in str(card.get_attribute("class"))
    assert state_of(driver, "traffic-dana") == state_of(driver, "cid-south") == "live"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{live['npra-isa-town'].url}/api/v1/health")
    assert page_errors(driver) == []


def test_a_bad_centres_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    centres = tmp_path / "centres.toml"
    centres.write_text('[[centres]]\nid = "x"\nurl = "ftp://x"\n', encoding="utf-8")
    assert main(["hq", "--centres", str(centres)]) == 2
    err = capsys.readouterr().err
    assert err == f"taboor: {centres}:1: centres[0].name: missing\n"
    assert main(["hq", "--centres", str(tmp_path / "none.toml")]) == 2
    assert capsys.readouterr().err == f"taboor: {tmp_path / 'none.toml'}: no such file\n"
