"""The board keeper on a real SQLite store and a line in memory: what each event sends, outages."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

import pytest

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import Event
from centre.errors import BadInput, UnknownCounter
from centre.local import LocalCentre
from centre.port import EventFeed, EventLog
from centre.retry import RetrySchedule
from centre.store.tail import StoreLog
from centre.store.unit_of_work import Store
from ledboard import (
    BoardDidNotAnswer,
    Frame,
    LedBoardKeeper,
    LineLost,
    board_addresses,
    brightness_frame,
    clear_frame,
    flash_frame,
    ping_frame,
    run_led_boards,
    show_frame,
)
from taboor.bootstrap import Centre


class MemoryLine:
    """Boards on a line in memory: it keeps every frame, can be unplugged, boards can go silent."""

    name = "memory line"

    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self.unplugged = False
        self.writes_fail = False
        self.silent: set[int] = set()
        self.opened = 0
        self.closed = 0

    def open(self) -> MemoryLine:
        if self.unplugged:
            raise LineLost("cannot open /dev/memory: no such file")
        self.opened += 1
        return self

    def take(self) -> list[Frame]:
        frames, self.frames = self.frames, []
        return frames

    def _send(self, frame: Frame) -> None:
        if self.unplugged or self.writes_fail:
            raise LineLost("/dev/memory: write failed: Input/output error")
        if frame.address in self.silent:
            raise BoardDidNotAnswer(f"board {frame.address} on memory: no answer")
        self.frames.append(frame)

    def show(self, address: int, text: str) -> None:
        self._send(show_frame(address, text))

    def flash(self, address: int, seconds: int) -> None:
        self._send(flash_frame(address, seconds))

    def clear(self, address: int) -> None:
        self._send(clear_frame(address))

    def set_brightness(self, address: int, level: int) -> None:
        self._send(brightness_frame(address, level))

    def ping(self, address: int) -> bool | None:
        self._send(ping_frame(address))
        return None

    def close(self) -> None:
        self.closed += 1


class FlakyLog:
    """The store's event log, unreadable while ``broken``."""

    def __init__(self, store: Store) -> None:
        self._log = StoreLog(store)
        self.broken = False

    def read_after(self, seq: int, limit: int) -> tuple[int, list[Event]]:
        if self.broken:
            raise OSError("database is locked")
        return self._log.read_after(seq, limit)


class CentreWithLog(LocalCentre):
    """The in-process port, whose followers read ``log`` instead of the store's own."""

    def __init__(
        self, store: Store, clock: FixedClock, config: CentreConfig, log: EventLog
    ) -> None:
        super().__init__(store, clock, config)
        self._log = log

    def event_feed(self, name: str) -> EventFeed:
        return replace(super().event_feed(name), log=self._log)


@pytest.fixture
def line() -> MemoryLine:
    return MemoryLine()


def keeper_of(
    store: Store,
    clock: FixedClock,
    config: CentreConfig,
    line: MemoryLine,
    counters: Iterable[str] = ("1", "3"),
    **tuning: object,
) -> LedBoardKeeper:
    log = tuning.pop("event_log", None)
    centre = (
        LocalCentre(store, clock, config)
        if log is None
        else CentreWithLog(store, clock, config, log)  # type: ignore[arg-type]
    )
    settings: dict[str, object] = {
        "poll_seconds": 0.01,
        "retry": RetrySchedule(0.0, 0.0),
        "refresh_seconds": None,
        **tuning,
    }
    return LedBoardKeeper(
        centre,
        line.open,
        board_addresses(config, list(counters)),
        name="LED board line memory",
        **settings,  # type: ignore[arg-type]
    )


def issue(store: Store, clock: FixedClock, config: CentreConfig, *services: str) -> None:
    for service in services:
        uc.issue_ticket(store, clock, config, service)
        clock.advance(timedelta(seconds=5))


def call(store: Store, clock: FixedClock, config: CentreConfig, counter: str) -> str:
    view = uc.call_next(store, clock, config, counter)
    assert view is not None
    return view.ticket.number


def test_on_start_each_board_shows_its_counters_ticket_without_flashing(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig, line: MemoryLine
) -> None:
    issue(sqlite_store, clock, config, *["licence-renewal"] * 4)
    first = call(sqlite_store, clock, config, "1")
    call(sqlite_store, clock, config, "3")
    uc.start_serving(sqlite_store, clock, config, "3")
    uc.finish(sqlite_store, clock, config, "3")
    call(sqlite_store, clock, config, "2")  # its board is not on this line
    keeper = keeper_of(sqlite_store, clock, config, line)
    keeper.step()
    assert line.take() == [show_frame(1, f"{first}>1"), clear_frame(3)]
    keeper.step()
    assert line.take() == []
    assert keeper.wanted() == {1: f"{first}>1", 3: None}


def test_a_call_shows_and_flashes_a_recall_flashes_the_end_blanks(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig, line: MemoryLine
) -> None:
    issue(sqlite_store, clock, config, "licence-renewal", "licence-renewal")
    keeper = keeper_of(sqlite_store, clock, config, line)
    keeper.step()
    line.take()
    number = call(sqlite_store, clock, config, "1")
    keeper.step()
    assert line.take() == [show_frame(1, f"{number}>1"), flash_frame(1, 10)]
    uc.recall(sqlite_store, clock, config, "1")
    keeper.step()
    assert line.take() == [flash_frame(1, 10)]
    uc.start_serving(sqlite_store, clock, config, "1")
    keeper.step()
    assert line.take() == []  # the number stays up while the visitor is served
    uc.finish(sqlite_store, clock, config, "1")
    keeper.step()
    assert line.take() == [clear_frame(1)]


def test_a_no_show_and_a_transfer_blank_the_board(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig, line: MemoryLine
) -> None:
    issue(sqlite_store, clock, config, "licence-renewal", "licence-renewal")
    keeper = keeper_of(sqlite_store, clock, config, line)
    keeper.step()
    line.take()
    number = call(sqlite_store, clock, config, "3")
    keeper.step()
    assert line.take() == [show_frame(3, f"{number}>3"), flash_frame(3, 10)]
    uc.no_show(sqlite_store, clock, config, "3")
    keeper.step()
    assert line.take() == [clear_frame(3)]
    call(sqlite_store, clock, config, "3")
    keeper.step()
    line.take()
    uc.transfer(sqlite_store, clock, config, "3", "traffic-fines")
    keeper.step()
    assert line.take() == [clear_frame(3)]
    uc.close_counter(sqlite_store, clock, config, "3")
    keeper.step()
    assert line.take() == []  # blank already
    assert keeper.wanted()[3] is None


def test_counters_not_on_the_line_are_ignored(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig, line: MemoryLine
) -> None:
    issue(sqlite_store, clock, config, "licence-renewal", "vehicle-registration")
    keeper = keeper_of(sqlite_store, clock, config, line, counters=["1"])
    keeper.step()
    line.take()
    call(sqlite_store, clock, config, "2")
    call(sqlite_store, clock, config, "4")
    keeper.step()
    assert line.take() == []


def test_a_call_seen_late_flashes_only_for_what_is_left(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig, line: MemoryLine
) -> None:
    issue(sqlite_store, clock, config, "licence-renewal", "licence-renewal")
    keeper = keeper_of(sqlite_store, clock, config, line)
    keeper.step()
    line.take()
    first = call(sqlite_store, clock, config, "1")
    clock.advance(timedelta(seconds=3.5))
    keeper.step()
    assert line.take() == [show_frame(1, f"{first}>1"), flash_frame(1, 7)]
    second = call(sqlite_store, clock, config, "3")
    clock.advance(timedelta(seconds=30))
    keeper.step()
    assert line.take() == [show_frame(3, f"{second}>3")]


def test_a_lost_line_is_told_once_reopened_and_every_board_sent_its_state(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    line: MemoryLine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="ledboard")
    issue(sqlite_store, clock, config, "licence-renewal", "licence-renewal")
    keeper = keeper_of(sqlite_store, clock, config, line)
    keeper.step()
    first = call(sqlite_store, clock, config, "1")
    keeper.step()
    line.take()
    line.unplugged = True
    second = call(sqlite_store, clock, config, "3")
    for _ in range(5):
        keeper.step()
    assert not keeper.line_open
    assert line.take() == []
    lost = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in lost] == [
        "LED board line memory lost (/dev/memory: write failed: Input/output error): retrying"
    ]
    clock.advance(timedelta(seconds=60))  # both flashes are over by the time it is back
    line.unplugged = False
    keeper.step()
    assert line.opened == 2
    assert line.take() == [show_frame(1, f"{first}>1"), show_frame(3, f"{second}>3")]
    assert caplog.records[-1].getMessage() == (
        "LED board line memory is back: sending every board its state"
    )


def test_a_line_that_opens_but_fails_every_write_is_one_outage(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    line: MemoryLine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="ledboard")
    issue(sqlite_store, clock, config, "licence-renewal")
    keeper = keeper_of(sqlite_store, clock, config, line)
    keeper.step()
    line.take()
    line.writes_fail = True
    number = call(sqlite_store, clock, config, "1")
    for _ in range(5):
        keeper.step()
    assert line.opened == 5  # reopened at each later step, and failed each time
    assert len(caplog.records) == 1
    assert "lost" in caplog.records[0].getMessage()
    line.writes_fail = False
    keeper.step()
    assert line.take() == [show_frame(1, f"{number}>1"), flash_frame(1, 10), clear_frame(3)]
    assert [r.getMessage() for r in caplog.records[1:]] == [
        "LED board line memory is back: sending every board its state"
    ]


def test_a_line_back_within_the_flash_flashes_again_for_what_is_left(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig, line: MemoryLine
) -> None:
    issue(sqlite_store, clock, config, "licence-renewal")
    keeper = keeper_of(sqlite_store, clock, config, line)
    keeper.step()
    line.take()
    line.unplugged = True
    number = call(sqlite_store, clock, config, "1")
    keeper.step()
    clock.advance(timedelta(seconds=4))
    line.unplugged = False
    keeper.step()
    assert line.take() == [show_frame(1, f"{number}>1"), flash_frame(1, 6), clear_frame(3)]


def test_a_silent_board_does_not_hold_up_the_others(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    line: MemoryLine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="ledboard")
    issue(sqlite_store, clock, config, "licence-renewal", "licence-renewal")
    keeper = keeper_of(sqlite_store, clock, config, line)
    keeper.step()
    line.take()
    line.silent = {1}
    first = call(sqlite_store, clock, config, "1")
    second = call(sqlite_store, clock, config, "3")
    keeper.step()
    keeper.step()
    assert line.take() == [show_frame(3, f"{second}>3"), flash_frame(3, 10)]
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        "board 1 on memory: no answer: retrying"
    ]
    line.silent = set()
    keeper.step()
    assert line.take() == [show_frame(1, f"{first}>1"), flash_frame(1, 10)]
    assert caplog.records[-1].getMessage() == "board 1 (counter 1) answers again"


def test_every_board_is_sent_its_state_again_now_and_then_except_while_flashing(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig, line: MemoryLine
) -> None:
    issue(sqlite_store, clock, config, "licence-renewal")
    keeper = keeper_of(sqlite_store, clock, config, line, refresh_seconds=0.0)
    keeper.step()
    assert line.take() == [clear_frame(1), clear_frame(3)]
    keeper.step()
    assert line.take() == [clear_frame(1), clear_frame(3)]
    number = call(sqlite_store, clock, config, "1")
    keeper.step()
    assert line.take() == [show_frame(1, f"{number}>1"), flash_frame(1, 10), clear_frame(3)]
    keeper.step()
    assert line.take() == [clear_frame(3)]  # board 1 is still flashing
    clock.advance(timedelta(seconds=10))
    keeper.step()
    assert line.take() == [show_frame(1, f"{number}>1"), clear_frame(3)]


def test_an_unreadable_store_is_told_once_and_nothing_is_missed(
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
    line: MemoryLine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="ledboard")
    issue(sqlite_store, clock, config, "licence-renewal")
    log = FlakyLog(sqlite_store)
    keeper = keeper_of(sqlite_store, clock, config, line, event_log=log)
    keeper.step()
    line.take()
    log.broken = True
    number = call(sqlite_store, clock, config, "1")
    keeper.step()
    keeper.step()
    assert line.take() == []
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        "cannot read the centre's store (database is locked): retrying"
    ]
    log.broken = False
    keeper.step()
    assert line.take() == [show_frame(1, f"{number}>1"), flash_frame(1, 10)]
    assert caplog.records[-1].getMessage() == "the centre's store is readable again"


def test_text_that_is_not_ascii_does_not_stop_the_board(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig, line: MemoryLine
) -> None:
    issue(sqlite_store, clock, config, "licence-renewal")
    keeper = keeper_of(sqlite_store, clock, config, line, text_format="{number} → {counter}")
    keeper.step()
    number = call(sqlite_store, clock, config, "1")
    keeper.step()
    assert show_frame(1, f"{number} ? 1") in line.take()


def test_bad_keeper_settings_are_bad_input(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig, line: MemoryLine
) -> None:
    with pytest.raises(BadInput, match="board text"):
        keeper_of(sqlite_store, clock, config, line, text_format="{ticket}")
    with pytest.raises(BadInput, match="flash time"):
        keeper_of(sqlite_store, clock, config, line, flash_seconds=0)


def test_it_runs_until_stopped_and_lets_go_of_the_line(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig, line: MemoryLine
) -> None:
    issue(sqlite_store, clock, config, "licence-renewal")
    stop = threading.Event()
    keeper = keeper_of(sqlite_store, clock, config, line, stop=stop, poll_seconds=0.05)
    runner = threading.Thread(target=keeper.run)
    runner.start()
    try:
        number = call(sqlite_store, clock, config, "1")
        deadline = time.monotonic() + 30
        while show_frame(1, f"{number}>1") not in line.frames:
            assert time.monotonic() < deadline, f"board 1 was sent only {line.frames}"
            time.sleep(0.01)
    finally:
        stop.set()
        runner.join(30)
    assert not runner.is_alive()
    assert line.closed == 1


class CountingLog(FlakyLog):
    """The store's event log, counting its reads."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.reads = 0

    def read_after(self, seq: int, limit: int) -> tuple[int, list[Event]]:
        self.reads += 1
        return super().read_after(seq, limit)


def test_an_idle_keeper_waits_instead_of_spinning(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig, line: MemoryLine
) -> None:
    log = CountingLog(sqlite_store)
    # Nothing to do and a poll every ten minutes: it reads the log about once, then sleeps.
    keeper = keeper_of(sqlite_store, clock, config, line, event_log=log, poll_seconds=600)
    runner = threading.Thread(target=keeper.run)
    runner.start()
    try:
        deadline = time.monotonic() + 30
        while line.frames != [clear_frame(1), clear_frame(3)]:
            assert time.monotonic() < deadline, f"sent only {line.frames}"
            time.sleep(0.01)
        time.sleep(0.3)  # a spinning keeper reads the log thousands of times meanwhile
    finally:
        keeper.stop()
        runner.join(30)
    assert log.reads <= 2


def test_run_led_boards_refuses_bad_settings_before_touching_the_line(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    centre = Centre(config=config, store=sqlite_store, clock=clock).port()
    with pytest.raises(BadInput, match="bad LED board port 'tcp:board'"):
        run_led_boards(centre, "tcp:board", ["1"])
    with pytest.raises(UnknownCounter, match="no counter '9'"):
        run_led_boards(centre, "serial:/dev/null-board", ["1", "9"])
