"""LED boards on a real serial line (a socat pair): calls reach them, outages heal, signals stop."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.local import LocalCentre
from centre.retry import RetrySchedule
from centre.store.unit_of_work import Store
from ledboard import (
    Command,
    Frame,
    LedBoardKeeper,
    SerialLedBoard,
    board_addresses,
    clear_frame,
    run_led_boards,
)
from taboor.bootstrap import Centre
from tests.helpers import BoardEmulator, socat_pair

# Generous: the machine running the suite may be busy with other work.
DEADLINE_S = 30.0
FAST_RETRY = RetrySchedule(base=0.05, cap=0.2)


def wait_until(condition: Callable[[], bool], what: Callable[[], str]) -> None:
    """Poll ``condition`` until it holds; fail saying ``what()`` after :data:`DEADLINE_S`."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {DEADLINE_S:g} s: {what()}")
        time.sleep(0.02)


@contextmanager
def keeping(centre: Centre, uri: str, counters: list[str] | None) -> Iterator[None]:
    """``run_led_boards`` in a thread while inside; it must return 0 once stopped."""
    stop = threading.Event()
    outcome: list[int | BaseException] = []

    def run() -> None:
        try:
            outcome.append(
                run_led_boards(centre.port(), uri, counters, retry=FAST_RETRY, stop=stop)
            )
        except BaseException as error:  # the test reports it
            outcome.append(error)

    thread = threading.Thread(target=run, name="led-board-keeper")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(DEADLINE_S)
    assert not thread.is_alive()
    assert outcome == [0]


@pytest.fixture
def centre(sqlite_store: Store, clock: FixedClock, config: CentreConfig) -> Centre:
    return Centre(config=config, store=sqlite_store, clock=clock)


@pytest.fixture
def ends(tmp_path: Path) -> tuple[Path, Path]:
    """Where Taboor's end and the boards' end of the line appear."""
    return tmp_path / "led-host", tmp_path / "led-boards"


def issue(centre: Centre, count: int, service: str = "licence-renewal") -> None:
    for _ in range(count):
        uc.issue_ticket(centre.store, centre.clock, centre.config, service)
        assert isinstance(centre.clock, FixedClock)
        centre.clock.advance(timedelta(seconds=5))


def call(centre: Centre, counter: str) -> str:
    view = uc.call_next(centre.store, centre.clock, centre.config, counter)
    assert view is not None
    return view.ticket.number


def test_a_call_reaches_its_board_on_a_write_only_line(
    centre: Centre, ends: tuple[Path, Path]
) -> None:
    host, boards_end = ends
    issue(centre, 3)
    with (
        socat_pair(boards_end, host),
        BoardEmulator(boards_end) as boards,
        keeping(centre, f"serial:{host}?baudrate=9600", ["1", "3"]),
    ):
        wait_until(lambda: boards.shown == {1: None, 3: None}, lambda: f"shown {boards.shown}")
        number = call(centre, "1")
        wait_until(
            lambda: boards.shown.get(1) == f"{number}>1" and (1, 10) in boards.flashes,
            lambda: f"frames {boards.frames}",
        )
        uc.recall(centre.store, centre.clock, centre.config, "1")
        wait_until(lambda: boards.flashes.count((1, 10)) == 2, lambda: f"{boards.flashes}")
        uc.start_serving(centre.store, centre.clock, centre.config, "1")
        uc.finish(centre.store, centre.clock, centre.config, "1")
        wait_until(lambda: boards.shown[1] is None, lambda: f"frames {boards.frames}")
        call(centre, "2")  # its board is not on this line
        call(centre, "3")
        wait_until(lambda: boards.shown[3] is not None, lambda: f"frames {boards.frames}")
    assert boards.errors == []
    assert {frame.address for frame in boards.frames} == {1, 3}


def test_started_mid_day_each_board_shows_its_counters_ticket_now(
    centre: Centre, ends: tuple[Path, Path]
) -> None:
    host, boards_end = ends
    uri = f"serial:{host}"
    issue(centre, 3)
    first = call(centre, "1")
    with socat_pair(boards_end, host), BoardEmulator(boards_end) as boards:
        with keeping(centre, uri, ["1", "3"]):
            wait_until(
                lambda: boards.shown == {1: f"{first}>1", 3: None}, lambda: f"{boards.shown}"
            )
        # The keeper is down while the day goes on.
        uc.start_serving(centre.store, centre.clock, centre.config, "1")
        uc.finish(centre.store, centre.clock, centre.config, "1")
        second = call(centre, "3")
        sent_before = len(boards.frames)
        with keeping(centre, uri, ["1", "3"]):
            wait_until(
                lambda: boards.shown == {1: None, 3: f"{second}>3"}, lambda: f"{boards.shown}"
            )
        restarted = boards.frames[sent_before:]
    assert [f for f in restarted if f.command == Command.FLASH] == []  # not newly called
    assert boards.errors == []


def test_a_line_pulled_and_plugged_back_gets_every_boards_state_again(
    centre: Centre, ends: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ledboard")
    host, boards_end = ends
    issue(centre, 3)
    first = call(centre, "1")
    # The keeper starts before the line exists (a USB adapter not yet there).
    with keeping(centre, f"serial:{host}", ["1", "3"]):
        with socat_pair(boards_end, host), BoardEmulator(boards_end) as before:
            wait_until(
                lambda: before.shown == {1: f"{first}>1", 3: None}, lambda: f"{before.frames}"
            )
        # The line is gone: the next change finds out.
        second = call(centre, "3")
        wait_until(
            lambda: any(" lost (" in r.getMessage() for r in caplog.records),
            lambda: f"log {[r.getMessage() for r in caplog.records]}",
        )
        with socat_pair(boards_end, host), BoardEmulator(boards_end) as after:
            wait_until(
                lambda: after.shown == {1: f"{first}>1", 3: f"{second}>3"},
                lambda: f"frames {after.frames}",
            )
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    lost = [m for m in warnings if " lost (" in m]
    assert len(lost) == 1, warnings  # one line for the outage, however many retries
    assert lost[0].startswith(f"LED board line serial:{host} lost (")
    assert any(m.endswith("is back: sending every board its state") for m in caplog.messages)
    assert after.errors == []


def test_a_two_way_line_waits_for_each_board_and_carries_on_past_a_silent_one(
    centre: Centre, ends: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    host, boards_end = ends
    uri = f"serial:{host}?baudrate=19200&ack=1&timeout=0.2"
    issue(centre, 2)
    with socat_pair(boards_end, host), BoardEmulator(boards_end, answering={1}) as boards:
        line = SerialLedBoard(uri)
        try:
            assert line.ping(1) is True
            assert line.ping(3) is False
        finally:
            line.close()
        with keeping(centre, uri, ["1", "3"]):
            first = call(centre, "1")
            second = call(centre, "3")
            wait_until(
                lambda: boards.shown.get(1) == f"{first}>1" and (1, 10) in boards.flashes,
                lambda: f"frames {boards.frames}",
            )
            wait_until(
                lambda: any("board 3" in m and "no answer" in m for m in caplog.messages),
                lambda: f"log {caplog.messages}",
            )
            # Board 3 hears every frame (it just never answers), and is tried again.
            wait_until(lambda: boards.shown.get(3) == f"{second}>3", lambda: f"{boards.frames}")
    assert boards.errors == []


def test_a_write_only_line_sends_and_cannot_tell_who_listens(ends: tuple[Path, Path]) -> None:
    host, boards_end = ends
    with socat_pair(boards_end, host), BoardEmulator(boards_end) as boards:
        line = SerialLedBoard(f"serial:{host}")
        try:
            assert line.ping(7) is None
            line.show(7, "F012>7")
            line.clear(0)
        finally:
            line.close()
        wait_until(lambda: len(boards.frames) == 3, lambda: f"frames {boards.frames}")
    assert boards.frames[1:] == [Frame(7, "S", "F012>7"), clear_frame(0)]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_process_with_exit_0(
    stop_signal: signal.Signals, sqlite_url: str, ends: tuple[Path, Path], tmp_path: Path
) -> None:
    host, boards_end = ends
    environ = {**os.environ, "TABOOR_HOME": str(tmp_path / "home"), "TABOOR_DB": sqlite_url}
    environ.pop("TABOOR_CONFIG", None)
    with socat_pair(boards_end, host), BoardEmulator(boards_end) as boards:
        # The real command, as a centre's systemd unit runs it.
        process = subprocess.Popen(
            [sys.executable, "-m", "taboor", "led-board", "--port", f"serial:{host}", "1"],
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            # Its first frame says it is running (and inside its signal handlers).
            wait_until(lambda: boards.shown == {1: None}, lambda: f"frames {boards.frames}")
            process.send_signal(stop_signal)
            _, err = process.communicate(timeout=DEADLINE_S)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == 0, err.decode()
    assert b"Traceback" not in err


@pytest.mark.postgres
def test_postgres_wakes_the_keeper_by_notify(
    pg_url: str, clock: FixedClock, config: CentreConfig, ends: tuple[Path, Path]
) -> None:
    host, boards_end = ends
    reader, writer = Store.open(pg_url), Store.open(pg_url)
    uc.issue_ticket(writer, clock, config, "licence-renewal")
    # A poll every ten minutes: only NOTIFY can bring the call within the deadline.
    keeper = LedBoardKeeper(
        LocalCentre(reader, clock, config),
        lambda: SerialLedBoard(f"serial:{host}"),
        board_addresses(config, ["1"]),
        poll_seconds=600,
        refresh_seconds=None,
    )
    runner = threading.Thread(target=keeper.run, name="led-board-keeper")
    try:
        with socat_pair(boards_end, host), BoardEmulator(boards_end) as boards:
            runner.start()
            wait_until(lambda: boards.shown == {1: None}, lambda: f"frames {boards.frames}")
            number = call(Centre(config=config, store=writer, clock=clock), "1")
            wait_until(lambda: boards.shown == {1: f"{number}>1"}, lambda: f"{boards.frames}")
    finally:
        keeper.stop()
        if runner.is_alive():
            runner.join(DEADLINE_S)
        reader.close()
        writer.close()
    assert not runner.is_alive()


def test_the_keeper_tails_the_log_without_loading_qt(sqlite_url: str) -> None:
    script = (
        "import sys\n"
        "from centre.clock import SystemClock\n"
        "from centre.config import DEFAULT_CONFIG, load_config\n"
        "from centre.local import LocalCentre\n"
        "from centre.store.unit_of_work import Store\n"
        "import ledboard\n"
        "store = Store.open(sys.argv[1])\n"
        "centre = LocalCentre(store, SystemClock(), load_config(DEFAULT_CONFIG, environ={}))\n"
        "feed = centre.event_feed('test')\n"
        "feed.log.read_after(0, 10)\n"
        "feed.wakeup.close()\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, sqlite_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "[]"
