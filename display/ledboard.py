"""Serial LED boards over the counters: the framed protocol, a pyserial driver and the keeper.

The protocol is documented in ``docs/led-board-protocol.md``: ASCII frames
``STX ADDR CMD LEN DATA CRC ETX`` with a CRC-16, several boards on one line,
each at an address 1 to 99. :func:`encode_frame`, :func:`decode_frame` and
:class:`FrameReader` are pure; :class:`SerialLedBoard` drives a line through
pyserial; :class:`LedBoardKeeper` (run by :func:`run_led_boards`) keeps every
board of a line showing its counter's ticket, from the store and the event log.

This module does not import Qt: the keeper is a headless process and tails the
log with the Qt-free half of the follower (:mod:`centre.store.tail`).

Exceptions::

    LedBoardError            a line of boards cannot do what was asked
     ├── LineLost            the line cannot be opened or written (unplugged, gone, busy)
     └── BoardDidNotAnswer   a board of a two-way line gave no ACK (silent or NAK)
    FrameError (ValueError)  bytes that are not one well-formed frame

Bad settings raise :class:`centre.errors.BadInput` (a bad URI, a counter
without a board address) or :class:`centre.errors.UnknownCounter`.
"""

from __future__ import annotations

import binascii
import contextlib
import logging
import math
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from types import FrameType
from typing import Protocol
from urllib.parse import parse_qs

import serial

from centre import usecases as uc
from centre.clock import Clock
from centre.config import CentreConfig
from centre.domain import Event, EventType
from centre.errors import BadInput
from centre.port import EventLog, Wakeup
from centre.store.tail import (
    POSTGRES_POLL_SECONDS,
    SQLITE_POLL_SECONDS,
    PgNotifyWakeup,
    StoreLog,
    TimerWakeup,
    listen_connector,
)
from centre.store.unit_of_work import Store

log = logging.getLogger(__name__)


class CentreLike(Protocol):
    """What the keeper needs of the centre (``taboor.bootstrap.Centre`` has it)."""

    @property
    def config(self) -> CentreConfig:
        """The centre's configuration."""
        ...

    @property
    def store(self) -> Store:
        """The centre's store."""
        ...

    @property
    def clock(self) -> Clock:
        """The clock."""
        ...


# -- the protocol --------------------------------------------------------------

STX = 0x02
ETX = 0x03
#: The address every board listens to; nobody answers it.
BROADCAST = 0
MAX_ADDRESS = 99
MAX_DATA = 0xFF
#: The longest text a show command carries; a board scrolls or cuts what does not fit.
MAX_TEXT = 64
MAX_FLASH_SECONDS = 99
#: ADDR CMD LEN DATA CRC between STX and ETX.
_MIN_BODY = 2 + 1 + 2 + 4
MAX_FRAME = 1 + _MIN_BODY + MAX_DATA + 1
_PRINTABLE = re.compile(rb"[\x20-\x7e]*")
_HEX2 = re.compile(rb"[0-9A-F]{2}")
_HEX4 = re.compile(rb"[0-9A-F]{4}")


class Command(StrEnum):
    """The command letters of the protocol."""

    SHOW = "S"
    FLASH = "F"
    CLEAR = "C"
    BRIGHTNESS = "B"
    PING = "P"
    ACK = "A"
    NAK = "N"


class NakReason(StrEnum):
    """Why a board refused a frame (the DATA of a NAK)."""

    GARBLED = "K"
    UNKNOWN_COMMAND = "U"
    BAD_DATA = "D"


class FrameError(ValueError):
    """Bytes that are not one well-formed frame, or a frame that cannot be encoded."""


@dataclass(frozen=True)
class Frame:
    """One frame: to a board (or from it, for ACK and NAK).

    ``command`` is one upper-case letter (a :class:`Command` for the known
    ones); ``data`` is printable ASCII.
    """

    address: int
    command: str
    data: str = ""


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) of ``data``."""
    return binascii.crc_hqx(data, 0xFFFF)


def encode_frame(frame: Frame) -> bytes:
    """The bytes of ``frame`` on the line; :class:`FrameError` if it cannot be one."""
    if not 0 <= frame.address <= MAX_ADDRESS:
        raise FrameError(f"address {frame.address} is not 0 to {MAX_ADDRESS}")
    if len(frame.command) != 1 or not "A" <= frame.command <= "Z":
        raise FrameError(f"command {frame.command!r} is not one upper-case letter")
    data = _ascii(frame.data, "data")
    if len(data) > MAX_DATA:
        raise FrameError(f"data of {len(data)} bytes is longer than {MAX_DATA}")
    body = b"%02d%s%02X%s" % (frame.address, frame.command.encode(), len(data), data)
    return b"\x02%s%04X\x03" % (body, crc16(body))


def decode_frame(raw: bytes) -> Frame:
    """The frame ``raw`` holds (STX to ETX, nothing else); :class:`FrameError` if it is none."""
    if len(raw) < _MIN_BODY + 2 or raw[0] != STX or raw[-1] != ETX:
        raise FrameError("not one frame from STX to ETX")
    if len(raw) > MAX_FRAME:
        raise FrameError(f"a frame of {len(raw)} bytes is longer than {MAX_FRAME}")
    body = raw[1:-1]
    if not _PRINTABLE.fullmatch(body):
        raise FrameError("a byte outside printable ASCII")
    address, command, length = body[:2], body[2:3], body[3:5]
    if not address.isdigit():
        raise FrameError(f"address {address!r} is not two digits")
    if not b"A" <= command <= b"Z":
        raise FrameError(f"command {command!r} is not an upper-case letter")
    if not _HEX2.fullmatch(length):
        raise FrameError(f"length {length!r} is not two upper-case hex digits")
    size = int(length, 16)
    if len(body) != _MIN_BODY + size:
        raise FrameError(f"length says {size} data bytes, the frame holds {len(body) - _MIN_BODY}")
    checked, crc = body[: 5 + size], body[5 + size :]
    if not _HEX4.fullmatch(crc):
        raise FrameError(f"checksum {crc!r} is not four upper-case hex digits")
    if int(crc, 16) != crc16(checked):
        raise FrameError(f"checksum {crc.decode()} does not match {crc16(checked):04X}")
    return Frame(int(address), command.decode(), body[5 : 5 + size].decode("ascii"))


class FrameReader:
    """Finds frames in a byte stream fed in pieces, as a board or a host reads its line.

    Bytes outside frames (noise) are skipped; a frame cut short by the next
    STX is dropped; a malformed one is reported as its :class:`FrameError`.
    """

    def __init__(self) -> None:
        self._frame: bytearray | None = None

    def feed(self, data: bytes) -> list[Frame | FrameError]:
        """The frames (and malformed frames) completed by ``data``, in order."""
        found: list[Frame | FrameError] = []
        for byte in data:
            if byte == STX:
                self._frame = bytearray((STX,))
            elif self._frame is None:
                continue
            elif byte == ETX:
                self._frame.append(ETX)
                raw, self._frame = bytes(self._frame), None
                try:
                    found.append(decode_frame(raw))
                except FrameError as error:
                    found.append(error)
            else:
                self._frame.append(byte)
                if len(self._frame) >= MAX_FRAME:
                    self._frame = None
                    found.append(FrameError(f"no ETX within {MAX_FRAME} bytes"))
        return found


def show_frame(address: int, text: str) -> Frame:
    """Show ``text`` (printable ASCII, at most :data:`MAX_TEXT` characters) steadily."""
    if len(_ascii(text, "text")) > MAX_TEXT:
        raise FrameError(f"text {text!r} is longer than {MAX_TEXT} characters")
    return Frame(_address(address), Command.SHOW, text)


def flash_frame(address: int, seconds: int) -> Frame:
    """Flash what the board shows for ``seconds`` (1 to 99; 0 stops a flash)."""
    if not 0 <= seconds <= MAX_FLASH_SECONDS:
        raise FrameError(f"flash of {seconds} s is not 0 to {MAX_FLASH_SECONDS}")
    return Frame(_address(address), Command.FLASH, f"{seconds:02d}")


def clear_frame(address: int) -> Frame:
    """Blank the board."""
    return Frame(_address(address), Command.CLEAR)


def brightness_frame(address: int, level: int) -> Frame:
    """Set the brightness: 1 the dimmest to 9 the brightest."""
    if not 1 <= level <= 9:
        raise FrameError(f"brightness {level} is not 1 to 9")
    return Frame(_address(address), Command.BRIGHTNESS, str(level))


def ping_frame(address: int) -> Frame:
    """Ask a board to answer."""
    return Frame(_address(address), Command.PING)


def ack_frame(address: int, command: str) -> Frame:
    """A board's answer: ``command`` done."""
    return Frame(_address(address), Command.ACK, command)


def nak_frame(address: int, reason: NakReason) -> Frame:
    """A board's answer: not done, for ``reason``."""
    return Frame(_address(address), Command.NAK, reason.value)


def _address(address: int) -> int:
    if not 0 <= address <= MAX_ADDRESS:
        raise FrameError(f"address {address} is not 0 to {MAX_ADDRESS}")
    return address


def _ascii(text: str, what: str) -> bytes:
    encoded = text.encode("ascii") if text.isascii() else b"\0"
    if not _PRINTABLE.fullmatch(encoded):
        raise FrameError(f"{what} {text!r} is not printable ASCII")
    return encoded


# -- the driver ----------------------------------------------------------------


class LedBoardError(Exception):
    """A line of LED boards cannot do what was asked."""


class LineLost(LedBoardError):
    """The line cannot be opened or written: unplugged, gone, or held by another process."""


class BoardDidNotAnswer(LedBoardError):
    """A board of a two-way line did not acknowledge a frame (no answer, or a NAK)."""


class LedBoard(Protocol):
    """The LED boards on one line, each reached by its address (1 to 99; 0 reaches them all).

    Each call sends one frame; on a two-way line it returns once the board
    acknowledged it. Every call raises :class:`LineLost` when the line is gone
    (the caller opens a new one) and :class:`BoardDidNotAnswer` when a board
    of a two-way line stays silent; :class:`FrameError` for text that cannot
    go on the line.
    """

    @property
    def name(self) -> str:
        """The line, for messages (its URI)."""
        ...

    def show(self, address: int, text: str) -> None:
        """Show ``text`` steadily on the board at ``address``."""
        ...

    def flash(self, address: int, seconds: int) -> None:
        """Flash what the board shows for ``seconds`` (0 stops a flash)."""
        ...

    def clear(self, address: int) -> None:
        """Blank the board."""
        ...

    def set_brightness(self, address: int, level: int) -> None:
        """Set the board's brightness, 1 (dimmest) to 9."""
        ...

    def ping(self, address: int) -> bool | None:
        """Whether the board answers; ``None`` on a write-only line, which cannot tell."""
        ...

    def close(self) -> None:
        """Let go of the line; safe to call twice."""
        ...


DEFAULT_BAUDRATE = 9600
#: How long a board of a two-way line has to answer.
DEFAULT_REPLY_TIMEOUT_S = 0.3
#: How long a write may stall before the line counts as lost.
WRITE_TIMEOUT_S = 2.0
#: A frame that got no answer (or a garbled-frame NAK) is sent this many more times.
RETRIES = 2
_READ_SLICE_S = 0.02
_YES, _NO = ("1", "yes", "on", "true"), ("0", "no", "off", "false")
_URI_OPTIONS = {"baudrate", "ack", "timeout"}
_URI_EXAMPLE = "serial:/dev/ttyUSB0?baudrate=9600"


@dataclass(frozen=True)
class BoardLineUri:
    """Where a line of LED boards is and how to talk on it.

    ``ack``: the boards answer each frame (a two-way line); ``reply_timeout_s``:
    how long to wait for an answer.
    """

    device: str
    baudrate: int = DEFAULT_BAUDRATE
    ack: bool = False
    reply_timeout_s: float = DEFAULT_REPLY_TIMEOUT_S

    def __str__(self) -> str:
        return f"serial:{self.device}"


def parse_board_uri(text: str) -> BoardLineUri:
    """``serial:DEVICE[?baudrate=N][&ack=1][&timeout=SECONDS]`` taken apart.

    :class:`centre.errors.BadInput` names a bad one.
    """
    scheme, _, rest = text.strip().partition(":")
    if scheme != "serial" or not rest:
        raise BadInput(f"bad LED board port {text!r}: use {_URI_EXAMPLE}")
    device, _, query = rest.partition("?")
    options = parse_qs(query, keep_blank_values=True)
    unknown = set(options) - _URI_OPTIONS
    if unknown:
        raise BadInput(f"bad LED board port {text!r}: unknown option {sorted(unknown)[0]!r}")
    given = {name: values[-1].strip().lower() for name, values in options.items()}
    try:
        baudrate = int(given.get("baudrate", str(DEFAULT_BAUDRATE)))
        timeout = float(given.get("timeout", str(DEFAULT_REPLY_TIMEOUT_S)))
    except ValueError:
        raise BadInput(f"bad LED board port {text!r}: baudrate and timeout are numbers") from None
    ack = given.get("ack", "0")
    if ack not in _YES + _NO:
        raise BadInput(f"bad LED board port {text!r}: ack is 1 (boards answer) or 0")
    if not device or baudrate <= 0 or not 0 < timeout <= 10:
        raise BadInput(
            f"bad LED board port {text!r}: needs a device, a positive baudrate "
            "and a timeout of at most 10 s"
        )
    return BoardLineUri(device, baudrate, ack in _YES, timeout)


class SerialPort(Protocol):
    """What the driver needs of a pyserial port."""

    def write(self, data: bytes, /) -> int | None: ...
    def read(self, size: int = 1, /) -> bytes: ...
    def reset_input_buffer(self) -> None: ...
    def close(self) -> None: ...


PortOpener = Callable[[BoardLineUri], SerialPort]


def open_board_port(uri: BoardLineUri) -> SerialPort:
    """Open the line's serial port with pyserial (8N1, no flow control, held exclusively)."""
    port: SerialPort = serial.Serial(
        port=uri.device,
        baudrate=uri.baudrate,
        timeout=_READ_SLICE_S,
        write_timeout=WRITE_TIMEOUT_S,
        # Two keepers on one line would interleave their frames.
        exclusive=True,
    )
    return port


class SerialLedBoard:
    """The LED boards on one RS-485 or RS-232 line, through pyserial.

    Opening raises :class:`LineLost` when the port cannot be opened.
    """

    def __init__(
        self,
        uri: BoardLineUri | str,
        *,
        opener: PortOpener = open_board_port,
        retries: int = RETRIES,
    ) -> None:
        self.uri = parse_board_uri(uri) if isinstance(uri, str) else uri
        self._retries = retries
        self._port: SerialPort | None
        try:
            self._port = opener(self.uri)
        except (OSError, ValueError) as error:  # pyserial's SerialException is an OSError
            raise LineLost(f"cannot open {self.uri.device}: {_reason(error)}") from error

    @property
    def name(self) -> str:
        """The line's URI."""
        return str(self.uri)

    def show(self, address: int, text: str) -> None:
        """Show ``text`` steadily on the board at ``address``."""
        self.send(show_frame(address, text))

    def flash(self, address: int, seconds: int) -> None:
        """Flash what the board shows for ``seconds``."""
        self.send(flash_frame(address, seconds))

    def clear(self, address: int) -> None:
        """Blank the board."""
        self.send(clear_frame(address))

    def set_brightness(self, address: int, level: int) -> None:
        """Set the board's brightness, 1 to 9."""
        self.send(brightness_frame(address, level))

    def ping(self, address: int) -> bool | None:
        """Whether the board answers; ``None`` on a write-only line."""
        try:
            answer = self.send(ping_frame(address))
        except BoardDidNotAnswer:
            return False
        return None if answer is None else True

    def send(self, frame: Frame) -> Frame | None:
        """Send ``frame``; on a two-way line, the board's ACK (``None`` when none is expected)."""
        data = encode_frame(frame)
        if not self.uri.ack or frame.address == BROADCAST:
            self._write(data)
            return None
        why = "no answer"
        for _attempt in range(1 + self._retries):
            self._discard_input()
            self._write(data)
            answer = self._answer_of(frame.address)
            if answer is None:
                continue
            if answer.command == Command.ACK:
                return answer
            why = f"NAK {answer.data}"
            if answer.data != NakReason.GARBLED:
                break  # sending it again would be refused again
        raise BoardDidNotAnswer(f"board {frame.address} on {self.name}: {why} to {frame.command}")

    def close(self) -> None:
        """Let go of the port."""
        if self._port is not None:
            port, self._port = self._port, None
            with contextlib.suppress(OSError):
                port.close()

    def _live_port(self) -> SerialPort:
        if self._port is None:
            raise LineLost(f"{self.name} is closed")
        return self._port

    def _write(self, data: bytes) -> None:
        try:
            self._live_port().write(data)
        except serial.SerialTimeoutException as error:
            raise LineLost(f"{self.uri.device} stopped taking data") from error
        except OSError as error:
            raise LineLost(f"{self.uri.device}: {_reason(error)}") from error

    def _discard_input(self) -> None:
        try:
            self._live_port().reset_input_buffer()  # a late answer must not pass for this one's
        except OSError as error:
            raise LineLost(f"{self.uri.device}: {_reason(error)}") from error

    def _answer_of(self, address: int) -> Frame | None:
        port = self._live_port()
        reader = FrameReader()
        deadline = time.monotonic() + self.uri.reply_timeout_s
        while time.monotonic() < deadline:
            try:
                chunk = port.read(64)
            except OSError as error:
                raise LineLost(f"{self.uri.device}: {_reason(error)}") from error
            for item in reader.feed(chunk):
                # Our own frame echoed by an RS-485 adapter, or another board's, is not it.
                if (
                    isinstance(item, Frame)
                    and item.address == address
                    and item.command in (Command.ACK, Command.NAK)
                ):
                    return item
        return None


def _reason(error: BaseException) -> str:
    """The one-line heart of an OS or pyserial error, without errno numbers."""
    text = str(error).strip().splitlines()
    return re.sub(r"^\[Errno \d+\]\s*", "", text[-1]) if text else type(error).__name__


# -- which board is whose ------------------------------------------------------


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


# -- the keeper ----------------------------------------------------------------

#: How long a newly called (or recalled) number flashes.
FLASH_SECONDS = 10
#: Every board is sent its state again this often: a board that lost power shows
#: the right number again, and a write-only line unplugged while idle is noticed.
REFRESH_SECONDS = 30.0
#: Waits between attempts to reopen a lost line (the last one repeats).
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)
#: What a board shows for a ticket called to its counter; many boards draw ">" as an arrow.
TEXT_FORMAT = "{number}>{counter}"
_BATCH = 500
_SQLITE_POLL_SECONDS = 0.1
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

    It reads each counter's ticket from the store, then follows the log:
    a call shows the number and flashes it, a recall flashes it again, the
    end of the ticket (served, no-show, transferred away, counter closed)
    blanks the board. A lost line is reopened with back-off and every board
    is sent its state again. :meth:`run` does all that until :meth:`stop`.
    """

    def __init__(
        self,
        config: CentreConfig,
        store: Store,
        clock: Clock,
        open_line: Callable[[], LedBoard],
        addresses: Mapping[str, int],
        *,
        name: str = "the LED board line",
        event_log: EventLog | None = None,
        wakeup: Wakeup | None = None,
        poll_seconds: float | None = None,
        flash_seconds: int = FLASH_SECONDS,
        refresh_seconds: float | None = REFRESH_SECONDS,
        retry_seconds: Sequence[float] = RETRY_SECONDS,
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
        self._config = config
        self._store = store
        self._clock = clock
        self._open_line = open_line
        self._name = name
        self._boards = {counter: _Board(counter, address) for counter, address in addresses.items()}
        self._flash = timedelta(seconds=flash_seconds)
        self._refresh_seconds = refresh_seconds
        self._retry_seconds = tuple(retry_seconds) or (0.0,)
        self._text_format = text_format
        if wakeup is None:
            wakeup, default_poll = _wakeup_for(store, "taboor-led-board")
            poll_seconds = default_poll if poll_seconds is None else poll_seconds
        self._log = event_log or _store_log(store)
        self._wakeup = wakeup
        self._poll_seconds = _SQLITE_POLL_SECONDS if poll_seconds is None else poll_seconds
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
        self._store.on_commit.append(self._on_local_commit)
        try:
            self._wait(0.0)  # on PostgreSQL: LISTEN before the first read
            while not self._stopping.is_set():
                self.step()
                if self._stopping.is_set():
                    break
                self._wait(self._next_wait())
        finally:
            with contextlib.suppress(ValueError):
                self._store.on_commit.remove(self._on_local_commit)
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
        delay = self._retry_seconds[min(self._line_failures, len(self._retry_seconds) - 1)]
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
        head = uc.last_seq(self._store)
        for board in self._boards.values():
            desk = uc.counter_desk(self._store, self._clock, self._config, board.counter)
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
        delay = self._retry_seconds[min(self._store_failures, len(self._retry_seconds) - 1)]
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
                delay = self._retry_seconds[min(board.failures, len(self._retry_seconds) - 1)]
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


def _store_log(store: Store) -> EventLog:
    """The event log of ``store``, as the screens read it."""
    return StoreLog(store)


def _wakeup_for(store: Store, name: str) -> tuple[Wakeup, float]:
    """How the screens wait for ``store``: LISTEN/NOTIFY on PostgreSQL, a short poll on SQLite.

    With the poll interval (the safety net on PostgreSQL).
    """
    if store.dialect == "postgresql":
        return PgNotifyWakeup(listen_connector(store, name)), POSTGRES_POLL_SECONDS
    return TimerWakeup(), SQLITE_POLL_SECONDS


@contextlib.contextmanager
def _stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """While inside, SIGTERM and SIGINT call ``stop`` (in the main thread; elsewhere nothing)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(_signum: int, _frame: FrameType | None) -> None:
        # From another thread: the main thread may hold the lock ``stop`` takes.
        threading.Thread(target=stop, name="led-board-stop").start()

    previous = {
        number: signal.signal(number, handler) for number in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


def run_led_boards(
    centre: CentreLike,
    uri: str,
    counters: list[str] | None = None,
    *,
    flash_seconds: int = FLASH_SECONDS,
    refresh_seconds: float | None = REFRESH_SECONDS,
    retry_seconds: Sequence[float] = RETRY_SECONDS,
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
        centre.config,
        centre.store,
        centre.clock,
        lambda: SerialLedBoard(line_uri),
        addresses,
        name=f"LED board line {line_uri}",
        flash_seconds=flash_seconds,
        refresh_seconds=refresh_seconds,
        retry_seconds=retry_seconds,
        stop=stop,
    )
    boards = sorted(addresses.items(), key=lambda item: item[1])
    named = ", ".join(f"counter {counter} at address {address:02d}" for counter, address in boards)
    log.info("keeping the LED boards on %s: %s", line_uri, named)
    with _stop_on_signals(keeper.stop):
        keeper.run()
    return 0


__all__ = [
    "BROADCAST",
    "FLASH_SECONDS",
    "MAX_TEXT",
    "REFRESH_SECONDS",
    "TEXT_FORMAT",
    "BoardDidNotAnswer",
    "BoardLineUri",
    "Command",
    "Frame",
    "FrameError",
    "FrameReader",
    "LedBoard",
    "LedBoardError",
    "LedBoardKeeper",
    "LineLost",
    "NakReason",
    "SerialLedBoard",
    "ack_frame",
    "board_addresses",
    "brightness_frame",
    "clear_frame",
    "crc16",
    "decode_frame",
    "encode_frame",
    "flash_frame",
    "nak_frame",
    "open_board_port",
    "parse_board_uri",
    "ping_frame",
    "run_led_boards",
    "show_frame",
]
