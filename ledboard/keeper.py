"""The keeper: every LED board of a line showing its counter's ticket, in step with the event log.

It holds a :class:`centre.port.CentrePort` and nothing else of the centre, so
it runs beside the store or on another machine, through the centre server.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from centre import usecases as uc
from centre.config import CentreConfig
from centre.domain import Event, EventType
from centre.errors import BadInput
from centre.port import CentrePort
from centre.process import stop_on_signals
from centre.retry import RetrySchedule
from ledboard.driver import (
    BoardDidNotAnswer,
    LedBoard,
    LedBoardError,
    LineLost,
    SerialLedBoard,
    parse_board_uri,
)
from ledboard.frames import MAX_ADDRESS, MAX_FLASH_SECONDS, MAX_TEXT

log = logging.getLogger(__name__)


def board_addresses(config: CentreConfig, counters: Sequence[str] | None) -> dict[str, int]:
    """The board address of each counter on a line, by counter id.

    Each entry of ``counters`` is a counter id, whose board answers at the
    counter's number, or ``ID=ADDRESS`` for a counter whose id is not a
    number 1 to 99 (or whose board was set to another address). ``None`` means
    every counter of the centre whose id is a number 1 to 99.
    """
    if counters is None:
        found = {c.id: int(c.id) for c in config.counters if _numbered(c.id)}
        skipped = [c.id for c in config.counters if not _numbered(c.id)]
        if not found:
            raise BadInput(
                "no counter here has a number 1 to 99 for an id: name each board's counter "
                "as ID=ADDRESS"
            )
        if skipped:
            log.warning("counters %s have no board address: name them as ID=ADDRESS", skipped)
        return found
    addresses: dict[str, int] = {}
    for entry in counters:
        given_id, equals, given_address = entry.partition("=")
        counter = uc.resolve_counter(config, given_id)
        if counter.id in addresses:
            raise BadInput(f"counter {counter.id} is named twice")
        if equals:
            text = given_address.strip()
            if not text.isdigit() or not 1 <= int(text) <= MAX_ADDRESS:
                raise BadInput(f"board address {text!r} of counter {counter.id} is not 1 to 99")
            address = int(text)
        elif _numbered(counter.id):
            address = int(counter.id)
        else:
            raise BadInput(
                f"counter {counter.id} needs a board address: write {counter.id}=NN (1 to 99)"
            )
        owner = next((c for c, a in addresses.items() if a == address), None)
        if owner is not None:
            raise BadInput(f"counters {owner} and {counter.id} both have board address {address}")
        addresses[counter.id] = address
    if not addresses:
        raise BadInput("name at least one counter whose board is on the line")
    return addresses


def _numbered(counter_id: str) -> bool:
    return counter_id.isdigit() and 1 <= int(counter_id) <= MAX_ADDRESS


FLASH_SECONDS = 10
#: Every board is sent its state again this often: a board that lost power shows
#: the right number again, and a write-only line unplugged while idle is noticed.
REFRESH_SECONDS = 30.0
#: Waits between attempts to reopen a lost line, read the centre again or reach a silent board.
RETRY = RetrySchedule(base=0.5, cap=10.0)
#: What a board shows for a ticket called to its counter; many boards draw ">" as an arrow.
TEXT_FORMAT = "{number}>{counter}"
_BATCH = 500
_UNKNOWN = "\0unknown"  # what a board shows after the line came back: nobody knows


@dataclass
class _Board:
    """One board: what it should show and what it was last sent."""

    counter: str
    address: int
    wanted: str | None = None
    shown: str | None = _UNKNOWN
    flash_until: datetime | None = None
    flash_sent: bool = False
    retry_at: float = 0.0
    failures: int = 0
    silent: bool = False

    def needs_sending(self) -> bool:
        return self.shown != self.wanted or (self.flash_until is not None and not self.flash_sent)


class LedBoardKeeper:
    """Keeps every board of one line showing its counter's ticket, in step with the event log.

    It asks the centre (through its port) for each counter's ticket, then
    follows the event log from ``centre.event_feed``:
    a call shows the number and flashes it, a recall flashes it again, the
    end of the ticket (served, no-show, transferred away, counter closed)
    blanks the board. A lost line is reopened with back-off and every board
    is sent its state again. :meth:`run` does all that until :meth:`stop`.
    ``poll_seconds`` overrides how often the feed says to look anyway.
    """

    def __init__(
        self,
        centre: CentrePort,
        open_line: Callable[[], LedBoard],
        addresses: Mapping[str, int],
        *,
        name: str = "the LED board line",
        poll_seconds: float | None = None,
        flash_seconds: int = FLASH_SECONDS,
        refresh_seconds: float | None = REFRESH_SECONDS,
        retry: RetrySchedule = RETRY,
        text_format: str = TEXT_FORMAT,
        stop: threading.Event | None = None,
    ) -> None:
        if not 1 <= flash_seconds <= MAX_FLASH_SECONDS:
            raise BadInput(f"flash time {flash_seconds} s is not 1 to {MAX_FLASH_SECONDS}")
        try:
            text_format.format(number="A001", counter="1")
        except (KeyError, IndexError, ValueError):
            raise BadInput(
                f"board text {text_format!r}: use {{number}} and {{counter}} only"
            ) from None
        self._centre = centre
        self._clock = centre.clock
        self._open_line = open_line
        self._name = name
        self._boards = {counter: _Board(counter, address) for counter, address in addresses.items()}
        self._flash = timedelta(seconds=flash_seconds)
        self._refresh_seconds = refresh_seconds
        self._retry = retry
        self._text_format = text_format
        self._feed = centre.event_feed("taboor-led-board")
        self._log = self._feed.log
        self._wakeup = self._feed.wakeup
        self._poll_seconds = self._feed.poll_seconds if poll_seconds is None else poll_seconds
        # Set by stop(), or from outside: then the keeper notices within one poll.
        self._stopping = stop or threading.Event()
        self._line: LedBoard | None = None
        self._line_retry_at = 0.0
        self._line_failures = 0
        self._line_down = False  # told the log already
        self._loaded = False
        self._read_seq = 0
        self._store_retry_at = 0.0
        self._store_failures = 0
        self._store_down = False
        self._refresh_at: float | None = None

    @property
    def line_open(self) -> bool:
        """Whether it holds an open line now."""
        return self._line is not None

    def wanted(self) -> dict[int, str | None]:
        """What each board should show, by address (``None``: blank)."""
        return {board.address: board.wanted for board in self._boards.values()}

    def run(self) -> None:
        """Keep the boards in step until :meth:`stop`; then let go of the line."""
        listeners = self._feed.commit_listeners
        if listeners is not None:
            listeners.append(self._on_local_commit)
        try:
            self._wait(0.0)  # on PostgreSQL: LISTEN before the first read
            while not self._stopping.is_set():
                self.step()
                if self._stopping.is_set():
                    break
                self._wait(self._next_wait())
        finally:
            if listeners is not None:
                with contextlib.suppress(ValueError):
                    listeners.remove(self._on_local_commit)
            self._drop_line()
            self._wakeup.close()

    def stop(self) -> None:
        """Make :meth:`run` return soon; safe from any thread."""
        self._stopping.set()
        self._wakeup.interrupt()

    def step(self) -> None:
        """One round without waiting: open the line if due, read the store, send what changed."""
        now = time.monotonic()
        if self._line is None and now >= self._line_retry_at:
            self._reopen_line()
        if now >= self._store_retry_at:
            self._read_store()
        if self._loaded and self._line is not None:
            if self._refresh_at is not None and now >= self._refresh_at:
                self._refresh()
            self._send_changes()

    # -- the line --------------------------------------------------------------

    def _reopen_line(self) -> None:
        try:
            self._line = self._open_line()
        except LineLost as error:
            if not self._line_down:
                log.warning("%s is not available (%s): retrying", self._name, error)
                self._line_down = True
            self._line_failed()
            return
        # It counts as back (and the back-off starts afresh) once a frame went out on it:
        # a line that opens but fails every write is one outage, not many.
        for board in self._boards.values():
            board.shown = _UNKNOWN
            board.retry_at = 0.0
        self._schedule_refresh()

    def _line_lost(self, error: LineLost) -> None:
        self._drop_line()
        if not self._line_down:
            log.warning("%s lost (%s): retrying", self._name, error)
            self._line_down = True
        self._line_failed()

    def _line_works(self) -> None:
        self._line_failures = 0
        if self._line_down:
            log.info("%s is back: sending every board its state", self._name)
            self._line_down = False

    def _line_failed(self) -> None:
        delay = self._retry.delay(self._line_failures)
        self._line_failures += 1
        self._line_retry_at = time.monotonic() + delay

    def _drop_line(self) -> None:
        if self._line is not None:
            line, self._line = self._line, None
            with contextlib.suppress(LedBoardError, OSError):
                line.close()

    # -- the store and the log -------------------------------------------------

    def _read_store(self) -> None:
        try:
            if self._loaded:
                self._catch_up()
            else:
                self._load()
        except Exception as error:  # any failure: tell once, back off, read again
            self._store_failed(error)
            return
        self._store_failures = 0
        self._store_retry_at = 0.0
        if self._store_down:
            log.info("the centre's store is readable again")
            self._store_down = False

    def _load(self) -> None:
        # The head first: whatever the state misses after it, the log delivers.
        head = self._centre.last_seq()
        for board in self._boards.values():
            desk = self._centre.counter_desk(board.counter)
            ticket = desk.ticket
            self._want(board, None if ticket is None else self._text(ticket.number, board))
        self._read_seq = head
        self._loaded = True
        self._schedule_refresh()

    def _catch_up(self) -> None:
        while not self._stopping.is_set():
            head, events = self._log.read_after(self._read_seq, _BATCH)
            if not events:
                return
            for event in events:
                self._apply(event)
            self._read_seq = max(self._read_seq, events[-1].seq or self._read_seq)
            if self._read_seq >= head:
                return

    def _apply(self, event: Event) -> None:
        kind = event.type
        if kind is EventType.TRANSFERRED:
            board = self._boards.get(str(event.data.get("from_counter")))
            if board is not None:
                self._want(board, None)
            return
        board = self._boards.get(event.counter or "")
        if board is None:
            return  # a counter whose board is not on this line
        if kind in (EventType.CALLED, EventType.RECALLED) and event.ticket_number:
            self._want(board, self._text(event.ticket_number, board))
            board.flash_until = event.at + self._flash
            board.flash_sent = False
        elif kind in (EventType.SERVED, EventType.NO_SHOW, EventType.COUNTER_CLOSED):
            self._want(board, None)

    def _store_failed(self, error: Exception) -> None:
        if not self._store_down:
            reason = " ".join(str(error).split()) or type(error).__name__
            log.warning("cannot read the centre's store (%s): retrying", reason)
            self._store_down = True
        delay = self._retry.delay(self._store_failures)
        self._store_failures += 1
        self._store_retry_at = time.monotonic() + delay

    def _wait(self, timeout: float) -> None:
        try:
            self._wakeup.wait(timeout)
        except Exception as error:  # the PostgreSQL listener lost its link; it reconnects
            self._store_failed(error)
            self._stopping.wait(max(0.0, min(timeout, self._store_retry_at - time.monotonic())))

    def _on_local_commit(self, events: list[Event]) -> None:
        if events:
            self._wakeup.interrupt()

    def _next_wait(self) -> float:
        now = time.monotonic()
        due = now + self._poll_seconds
        if self._store_down:
            due = min(due, self._store_retry_at)
        if self._line is None:
            due = min(due, self._line_retry_at)
        elif self._loaded:
            if self._refresh_at is not None:
                due = min(due, self._refresh_at)
            for board in self._boards.values():
                if board.needs_sending() and board.retry_at > now:
                    due = min(due, board.retry_at)
        return max(0.0, due - now)

    # -- the boards ------------------------------------------------------------

    def _text(self, number: str, board: _Board) -> str:
        text = self._text_format.format(number=number, counter=board.counter)
        # Ticket numbers and counter ids are ASCII; anything else must not stop the board.
        printable = "".join(c if " " <= c <= "~" else "?" for c in text)
        return printable[:MAX_TEXT]

    def _want(self, board: _Board, text: str | None) -> None:
        if text != board.wanted:
            board.wanted = text
            board.flash_until = None
            board.flash_sent = False

    def _schedule_refresh(self) -> None:
        if self._refresh_seconds is not None:
            self._refresh_at = time.monotonic() + self._refresh_seconds

    def _refresh(self) -> None:
        now = self._clock.now()
        for board in self._boards.values():
            # A refresh would stop a flash that is still going on.
            if board.flash_until is None or board.flash_until <= now:
                board.shown = _UNKNOWN
        self._schedule_refresh()

    def _send_changes(self) -> None:
        now = time.monotonic()
        for board in sorted(self._boards.values(), key=lambda b: b.address):
            if not board.needs_sending() or board.retry_at > now:
                continue
            line = self._line
            if line is None:
                return
            try:
                self._send(line, board)
            except LineLost as error:
                self._line_lost(error)
                return
            except BoardDidNotAnswer as error:
                self._line_works()  # the frame went out; nobody answered it
                if not board.silent:
                    log.warning("%s: retrying", error)
                    board.silent = True
                delay = self._retry.delay(board.failures)
                board.failures += 1
                board.retry_at = time.monotonic() + delay
                continue
            self._line_works()
            if board.silent:
                log.info("board %d (counter %s) answers again", board.address, board.counter)
            board.silent, board.failures, board.retry_at = False, 0, 0.0

    def _send(self, line: LedBoard, board: _Board) -> None:
        if board.shown != board.wanted:
            if board.wanted is None:
                line.clear(board.address)
            else:
                line.show(board.address, board.wanted)
            board.shown = board.wanted
            # The board stopped flashing when it was sent its text.
            board.flash_sent = False
        if board.flash_until is not None and not board.flash_sent:
            left = (board.flash_until - self._clock.now()).total_seconds()
            if board.wanted is not None and left > 0:
                line.flash(board.address, min(MAX_FLASH_SECONDS, max(1, math.ceil(left))))
            board.flash_sent = True


def run_led_boards(
    centre: CentrePort,
    uri: str,
    counters: list[str] | None = None,
    *,
    flash_seconds: int = FLASH_SECONDS,
    refresh_seconds: float | None = REFRESH_SECONDS,
    retry: RetrySchedule = RETRY,
    stop: threading.Event | None = None,
) -> int:
    """``taboor led-board --port URI [COUNTER ...]``: keep a line's boards in step; exit code 0.

    ``counters``: see :func:`board_addresses` (``None``: every numbered
    counter). Runs until SIGTERM or SIGINT (in the main thread) or until
    ``stop`` is set. Raises :class:`centre.errors.BadInput` for a bad URI or
    counter list and :class:`centre.errors.UnknownCounter` for a counter this
    centre does not have, before touching the line.
    """
    line_uri = parse_board_uri(uri)
    addresses = board_addresses(centre.config, counters)
    keeper = LedBoardKeeper(
        centre,
        lambda: SerialLedBoard(line_uri),
        addresses,
        name=f"LED board line {line_uri}",
        flash_seconds=flash_seconds,
        refresh_seconds=refresh_seconds,
        retry=retry,
        stop=stop,
    )
    boards = sorted(addresses.items(), key=lambda item: item[1])
    named = ", ".join(f"counter {counter} at address {address:02d}" for counter, address in boards)
    log.info("keeping the LED boards on %s: %s", line_uri, named)
    with stop_on_signals(keeper.stop, name="led-board-stop"):
        keeper.run()
    return 0


__all__ = [
    "FLASH_SECONDS",
    "REFRESH_SECONDS",
    "RETRY",
    "TEXT_FORMAT",
    "LedBoardKeeper",
    "board_addresses",
    "run_led_boards",
]
