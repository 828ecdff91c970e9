"""`taboor demo`: the whole centre as separate processes, run briefly on an offscreen platform."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sync.central_sim import CentralSim
from taboor.launcher import answering, free_port, plan, tabs_by_default
from tests.helpers import demo_config, run_cli
from ui.app import desktop_problem


def demo(
    home: Path, *args: str, timeout: float = 120, config: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        demo_argv(*args, config=config),
        capture_output=True,
        text=True,
        env=demo_env(home),
        timeout=timeout,
        check=False,
    )


def demo_argv(*args: str, config: Path | None = None) -> list[str]:
    config_args = ["--config", str(config)] if config else []
    return [sys.executable, "-m", "taboor", *config_args, "demo", *args]


def demo_env(home: Path) -> dict[str, str]:
    env = {**os.environ, "TABOOR_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    for name in ("TABOOR_DB", "TABOOR_CONFIG", "TABOOR_CENTRAL_URL", "TABOOR_DEMO_HOME"):
        env.pop(name, None)
    return env


def demo_until(
    tmp_path: Path, args: list[str], done: Callable[[str], bool], seconds: float = 150
) -> str:
    """Run the demo as a person would, until ``done(db)`` holds, then press Ctrl-C.

    Returns what it printed, after checking it ended well. (A fixed run time was
    too short for the robots' first service on a loaded machine.)
    """
    out, err = tmp_path / "demo.out", tmp_path / "demo.err"
    db = f"sqlite:///{tmp_path / 'demo' / 'taboor.db'}"
    with out.open("w") as stdout, err.open("w") as stderr:
        running = subprocess.Popen(
            demo_argv(*args),
            stdout=stdout,
            stderr=stderr,
            env=demo_env(tmp_path),
        )
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and running.poll() is None:
            if "demo running" in out.read_text() and done(db):
                break
            time.sleep(1)
    finally:
        running.send_signal(signal.SIGINT)
        code = running.wait(timeout=60)
    said = out.read_text() + err.read_text()
    assert code == 0, said
    return said


def devices_seen(db: str, home: Path) -> dict[str, str | None]:
    listed = run_cli("device", "list", "--json", db=db, home=home)
    return {d["device"]: d["last_seen"] for d in listed.json()}


def served_at(db: str, home: Path) -> set[str]:
    events = run_cli("events", "--json", db=db, home=home).json()
    return {e["counter"] for e in events if e["type"] == "served"}


@pytest.mark.slow
def test_the_demo_runs_the_central_the_agent_and_the_screens(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    robots = {f"demo-robot-counter-{c}" for c in "2345678"} | {"demo-robot-kiosk"}
    devices = {"demo-hall", "demo-counter-1"} | robots

    def working(db: str) -> bool:
        seen = devices_seen(db, home)
        return all(seen.get(d) for d in devices) and bool(served_at(db, home))

    said = demo_until(tmp_path, ["--screens", "hall,counter:1", "--simulate", "300"], working)
    assert "demo running: server, central, sync, hall, counter:1, simulator" in said
    assert "PIN 1234" in said
    assert "s100" in said
    db = f"sqlite:///{home / 'taboor.db'}"
    assert "central link online" in (home / "logs" / "sync.log").read_text()
    status = run_cli("status", "--json", db=db, home=home).json()
    assert status["sync"]["last_ok"] is not None
    # The screens reached the centre through its server, each as its own device, and so
    # did the simulated visitors' kiosk and each robot clerk's counter.
    seen = devices_seen(db, home)
    assert set(seen) == devices
    assert all(seen.values())
    staff = run_cli("staff", "list", "--json", db=db, home=home)
    assert {m["id"] for m in staff.json()} >= {"c101", "c108", "s100"}
    # The simulated clerks worked every counter but the one a person has.
    assert served_at(db, home)
    assert "1" not in served_at(db, home)
    events = run_cli("events", "--json", db=db, home=home).json()
    issued_by = {e["data"].get("by_device") for e in events if e["type"] == "ticket_issued"}
    assert issued_by == {"demo-robot-kiosk"}

    # A second run starts a fresh day; --keep keeps it.
    before = run_cli("tickets", "--json", db=f"sqlite:///{home / 'taboor.db'}", home=home).json()
    run_cli("issue", "A", db=f"sqlite:///{home / 'taboor.db'}", home=home)
    demo(tmp_path, "--screens", "none", "--no-central", "--keep", "--prepare-only")
    tickets = run_cli("tickets", "--json", db=f"sqlite:///{home / 'taboor.db'}", home=home)
    assert len(json.loads(tickets.out)) == len(before) + 1
    demo(tmp_path, "--screens", "none", "--no-central", "--prepare-only")
    tickets = run_cli("tickets", "--json", db=f"sqlite:///{home / 'taboor.db'}", home=home)
    assert json.loads(tickets.out) == []


def test_the_demo_opens_the_screens_as_tabs_of_one_window(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    devices = {"demo-hall", "demo-counter-1", "demo-supervisor"}

    def connected(db: str) -> bool:
        seen = devices_seen(db, home)
        return all(seen.get(d) for d in devices)

    said = demo_until(tmp_path, ["--tabs", "--screens", "hall,counter:1,supervisor"], connected)
    assert "demo running: server, central, sync, tabs;" in said
    # The window was still open when the demo ended it.
    assert "tabs closed" not in said
    assert "central link online" in (home / "logs" / "sync.log").read_text()
    # Each tab reached the centre through its server as a device of its own.
    seen = devices_seen(f"sqlite:///{home / 'taboor.db'}", home)
    assert set(seen) == devices
    assert all(seen.values())


def test_tabs_are_one_part_in_place_of_the_screens(tmp_path: Path) -> None:
    config = tmp_path / "centre.toml"
    parts = plan(
        config,
        tmp_path,
        ["kiosk", "counter:2"],
        simulate=2.0,
        fullscreen=True,
        robot_counters=["3"],
        central_port=8000,
        tabs=True,
    )
    assert [(p.name, p.window) for p in parts] == [
        ("central", False),
        ("sync", False),
        ("tabs", True),
        ("simulator", False),
    ]
    assert parts[2].argv[-3:] == ["tabs", "kiosk,counter:2", "--fullscreen"]
    assert parts[2].log == tmp_path / "logs" / "tabs.log"
    # No screens: no tabs window either.
    alone = plan(
        config, tmp_path, [], simulate=None, fullscreen=False, robot_counters=[], tabs=True
    )
    assert alone == []


def test_tabs_are_the_default_on_a_small_screen_only() -> None:
    def never() -> tuple[int, int]:
        raise AssertionError("measured offscreen")

    assert tabs_by_default("xcb", lambda: (1366, 768))
    assert tabs_by_default("wayland", lambda: (1920, 800))
    assert tabs_by_default("", lambda: (1280, 1024))
    assert not tabs_by_default("xcb", lambda: (1920, 1080))
    assert not tabs_by_default("xcb", lambda: (1600, 900))
    assert not tabs_by_default("xcb", lambda: None)
    assert not tabs_by_default("offscreen", never)


def test_a_screen_that_fails_is_named_with_its_last_line(tmp_path: Path) -> None:
    # The hall refuses to start without its voice clips.
    source = Path(__file__).resolve().parents[2] / "config" / "demo-centre.toml"
    text = source.read_text(encoding="utf-8").replace(
        "# voice_dir = ", 'voice_dir = "no-such-voice"\n# '
    )
    config = tmp_path / "centre.toml"
    config.write_text(text, encoding="utf-8")
    done = demo(tmp_path, "--screens", "hall", "--no-central", "--exit-after", "30", config=config)
    assert done.returncode == 1
    assert "hall stopped (exit 2): taboor: " in done.stdout
    assert "no-such-voice" in done.stdout


def test_a_screen_of_a_counter_that_does_not_exist_is_refused_at_once(tmp_path: Path) -> None:
    done = demo(tmp_path, "--screens", "counter:99", "--no-central", "--exit-after", "30")
    assert done.returncode == 2
    assert done.stderr.strip() == "taboor: no counter '99' here (counters: 1, 2, 3, 4, 5, 6, 7, 8)"


def test_bad_screens_are_one_line(tmp_path: Path) -> None:
    done = demo(tmp_path, "--screens", "hall,lobby")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "taboor: no screen 'lobby' (screens: kiosk, hall, counter:N, counter-screen:N, supervisor)"
    ]


def test_what_a_desktop_lacks_is_named() -> None:
    assert desktop_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    no_display = desktop_problem({})
    assert no_display is not None
    assert "no desktop" in no_display
    assert desktop_problem({"WAYLAND_DISPLAY": "wayland-0"}) is None


def test_the_demo_waits_for_the_central_only_until_it_answers() -> None:
    # The reference central answers its health check with 401 without the token:
    # answering at all is up, not a reason to wait out the whole start time.
    with CentralSim([demo_config()], token=secrets.token_urlsafe(16)) as central:
        health = f"{central.url}/v1/health"
        assert answering(health, 60, lambda: True)
        # A part that exited is not waited for.
        assert not answering(health, 60, lambda: False)
    assert not answering(f"http://127.0.0.1:{free_port()}/v1/health", 0.3, lambda: True)
