"""The driver of a line of LED boards: the :class:`LedBoard` port and its pyserial adapter."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import serial

from centre.errors import BadInput
from centre.process import os_error_reason
from centre.serial_uri import DEFAULT_BAUDRATE, BadSerialUri, parse_serial_uri
from ledboard.frames import (
    BROADCAST,
    Command,
    Frame,
    FrameReader,
    NakReason,
    brightness_frame,
    clear_frame,
    encode_frame,
    flash_frame,
    ping_frame,
    show_frame,
)


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


#: How long a board of a two-way line has to answer.
DEFAULT_REPLY_TIMEOUT_S = 0.3
#: How long a write may stall before the line counts as lost.
WRITE_TIMEOUT_S = 2.0
#: A frame that got no answer (or a garbled-frame NAK) is sent this many more times.
RETRIES = 2
_READ_SLICE_S = 0.02
_YES, _NO = ("1", "yes", "on", "true"), ("0", "no", "off", "false")
_URI_OPTIONS = ("ack", "timeout")


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

    The line is read by :func:`centre.serial_uri.parse_serial_uri`, as every
    serial device's is; :class:`centre.errors.BadInput` names a bad one.
    """
    try:
        line = parse_serial_uri(text, allowed=_URI_OPTIONS)
    except BadSerialUri as error:
        raise BadInput(f"bad LED board port {text!r}: {error}") from None
    ack = line.options.get("ack", "0").lower()
    if ack not in _YES + _NO:
        raise BadInput(f"bad LED board port {text!r}: ack is 1 (boards answer) or 0")
    try:
        timeout = float(line.options.get("timeout", str(DEFAULT_REPLY_TIMEOUT_S)))
    except ValueError:
        timeout = 0.0
    if not 0 < timeout <= 10:
        raise BadInput(f"bad LED board port {text!r}: the timeout is up to 10 seconds")
    return BoardLineUri(line.device, line.baudrate, ack in _YES, timeout)


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
            raise LineLost(f"cannot open {self.uri.device}: {os_error_reason(error)}") from error

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
            raise LineLost(f"{self.uri.device}: {os_error_reason(error)}") from error

    def _discard_input(self) -> None:
        try:
            self._live_port().reset_input_buffer()  # a late answer must not pass for this one's
        except OSError as error:
            raise LineLost(f"{self.uri.device}: {os_error_reason(error)}") from error

    def _answer_of(self, address: int) -> Frame | None:
        port = self._live_port()
        reader = FrameReader()
        deadline = time.monotonic() + self.uri.reply_timeout_s
        while time.monotonic() < deadline:
            try:
                chunk = port.read(64)
            except OSError as error:
                raise LineLost(f"{self.uri.device}: {os_error_reason(error)}") from error
            for item in reader.feed(chunk):
                # Our own frame echoed by an RS-485 adapter, or another board's, is not it.
                if (
                    isinstance(item, Frame)
                    and item.address == address
                    and item.command in (Command.ACK, Command.NAK)
                ):
                    return item
        return None


__all__ = [
    "BoardDidNotAnswer",
    "BoardLineUri",
    "LedBoard",
    "LedBoardError",
    "LineLost",
    "SerialLedBoard",
    "open_board_port",
    "parse_board_uri",
]
