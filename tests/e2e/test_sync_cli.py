"""``taboor sync`` as real processes against the reference central: exit codes, crashes, signals."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from centre.domain import Event, EventType
from centre.store.unit_of_work import Store
from sync.central_sim import CentralSim
from tests.helpers import CliResult, demo_config, run_cli

TOKEN = "e2e-sync-token"  # noqa: S105 (a made-up token for a local test server)
CENTRE = "traffic-dana"


@pytest.fixture
def sim() -> Iterator[CentralSim]:
    central = CentralSim([demo_config()], token=TOKEN, appointments_per_day=10)
    central.start()
    yield central
    central.stop()


def dead_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def central_env(url: str, token: str = TOKEN) -> dict[str, str]:
    return {"TABOOR_CENTRAL_URL": url, "TABOOR_CENTRAL_TOKEN": token}


def taboor(db: str, home: Path, *args: str, url: str, token: str = TOKEN) -> CliResult:
    return run_cli(*args, db=db, home=home, env=central_env(url, token))


def start_agent(db: str, home: Path, url: str) -> subprocess.Popen[bytes]:
    """``taboor sync`` in the background; what it says goes to ``home/agent.log``."""
    environ = {**os.environ, "TABOOR_HOME": str(home), "TABOOR_DB": db, **central_env(url)}
    environ.pop("TABOOR_CONFIG", None)
    home.mkdir(parents=True, exist_ok=True)
    with (home / "agent.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "taboor", "sync"],
            env=environ,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def sync_block(db: str, home: Path, url: str) -> dict[str, object]:
    result = taboor(db, home, "status", "--json", url=url)
    assert result.code == 0, result.err
    block = result.json()["sync"]
    assert isinstance(block, dict)
    return block


def local_ids(db: str) -> list[str]:
    store = Store.open(db)
    try:
        with store.read() as repo:
            return [e.id for e in repo.events_since(0)]
    finally:
        store.close()


def fill_log(db: str, count: int) -> None:
    """An outage's worth of events, put in the store in one transaction."""
    store = Store.open(db)
    try:
        now = datetime.now(UTC)
        with store.write() as repo:
            repo.append(Event.new(EventType.COUNTER_OPENED, now, counter="1") for _ in range(count))
    finally:
        store.close()


def wait_until(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def test_once_exit_codes_down_up_and_refused(tmp_path: Path, sim: CentralSim) -> None:
    db, home = f"sqlite:///{tmp_path / 'taboor.db'}", tmp_path / "home"
    assert taboor(db, home, "issue", "licence-renewal", url=sim.url).code == 0

    down = taboor(db, home, "sync", "--once", url=dead_url())
    assert down.code == 4, down.err
    assert "cannot reach" in down.err
    assert TOKEN not in down.err + down.out
    block = sync_block(db, home, sim.url)
    assert (block["link"], block["pending"]) == ("offline", 1)

    refused = taboor(db, home, "sync", "--once", url=sim.url, token="not-ours")  # noqa: S106
    assert refused.code == 5
    assert "rejected our credentials" in refused.err
    assert sync_block(db, home, sim.url)["link"] == "auth_failed"

    up = taboor(db, home, "sync", "--once", url=sim.url)
    assert up.code == 0, up.err
    assert "0 pending" in up.out
    block = sync_block(db, home, sim.url)
    assert (block["link"], block["pending"]) == ("online", 0)
    assert block["last_ok"] is not None
    assert [e["id"] for e in sim.events(CENTRE)] == local_ids(db)


def test_a_killed_agent_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path, db_url: str, sim: CentralSim
) -> None:
    home = tmp_path / "home"
    fill_log(db_url, 3000)
    sim.set_faults(delay_seconds=0.3)
    agent = start_agent(db_url, home, sim.url)
    try:
        wait_until(lambda: len(sim.events(CENTRE)) >= 500)
    finally:
        agent.kill()  # SIGKILL, mid-push
        agent.wait(10)
    assert agent.returncode == -signal.SIGKILL
    assert len(sim.events(CENTRE)) < 3000
    sim.clear_faults()
    again = taboor(db_url, home, "sync", "--once", url=sim.url)
    assert again.code == 0, again.err
    assert "0 pending" in again.out
    central = [e["id"] for e in sim.events(CENTRE)]
    assert central == local_ids(db_url)
    assert len(set(central)) == 3000 == sim.stats["events_stored"]


def test_a_running_agent_holds_the_lease_and_stops_cleanly_on_sigterm(
    tmp_path: Path, sim: CentralSim
) -> None:
    db, home = f"sqlite:///{tmp_path / 'taboor.db'}", tmp_path / "home"
    assert taboor(db, home, "issue", "traffic-fines", url=sim.url).code == 0
    agent = start_agent(db, home, sim.url)
    try:
        wait_until(lambda: len(sim.events(CENTRE)) == 1 and bool(sim.queue_snapshots(CENTRE)))
        second = taboor(db, home, "sync", "--once", url=sim.url)
        assert second.code == 0
        assert "another sync agent holds this centre's lease" in second.out
        assert sync_block(db, home, sim.url)["link"] == "online"
        agent.send_signal(signal.SIGTERM)
        agent.wait(15)
    finally:
        if agent.poll() is None:
            agent.kill()
            agent.wait(10)
    assert agent.returncode == 0
    said = (home / "agent.log").read_text(encoding="utf-8")
    assert "central link online" in said
    assert "Traceback" not in said
    assert TOKEN not in said
    assert sync_block(db, home, sim.url)["link"] == "offline"


def test_checkin_offline_gives_a_ticket_to_verify(tmp_path: Path, sim: CentralSim) -> None:
    db, home = f"sqlite:///{tmp_path / 'taboor.db'}", tmp_path / "home"
    cpr = "990066601"
    refused = taboor(db, home, "checkin", "--cpr", cpr, url=sim.url)
    assert refused.code == 3
    given = taboor(db, home, "checkin", "--cpr", cpr, "--service", "licence-renewal", url=sim.url)
    assert given.code == 0, given.err
    ticket = given.json()
    assert (ticket["source"], ticket["appointment_id"], ticket["number"]) == (
        "appointment",
        None,
        "A001",
    )
    assert "verify" in given.err
    assert cpr not in given.err
    events = json.loads(taboor(db, home, "events", "--json", url=sim.url).out)
    assert events[-1]["data"]["verify"] is True
    wrong = taboor(db, home, "checkin", "--qr", "TD-261122-0001", "--service", "A", url=sim.url)
    assert wrong.code == 2
    # Once the link is up, the refusal stands again.
    assert taboor(db, home, "sync", "--once", url=sim.url).code == 0
    online = taboor(db, home, "checkin", "--cpr", "990066602", "--service", "A", url=sim.url)
    assert online.code == 3


def test_sync_without_a_central_url_is_bad_input(tmp_path: Path) -> None:
    text = demo_config_text().replace('url = "http://127.0.0.1:8765"\n', "")
    config = tmp_path / "no-central.toml"
    config.write_text(text, encoding="utf-8")
    result = run_cli(
        "--config",
        str(config),
        "sync",
        "--once",
        db=f"sqlite:///{tmp_path / 't.db'}",
        home=tmp_path,
    )
    assert result.code == 2
    assert "no [central] url" in result.err


def demo_config_text() -> str:
    from centre.config import DEFAULT_CONFIG  # noqa: PLC0415

    return DEFAULT_CONFIG.read_text(encoding="utf-8")
