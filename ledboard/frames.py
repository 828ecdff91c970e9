"""The LED boards' framed protocol: frames to and from a board, their bytes, and reading a line.

Documented in ``docs/led-board-protocol.md``: ASCII frames
``STX ADDR CMD LEN DATA CRC ETX`` with a CRC-16, several boards on one line,
each at an address 1 to 99. Everything here is pure: no port, no clock.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass
from enum import StrEnum

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


__all__ = [
    "BROADCAST",
    "ETX",
    "MAX_ADDRESS",
    "MAX_DATA",
    "MAX_FLASH_SECONDS",
    "MAX_FRAME",
    "MAX_TEXT",
    "STX",
    "Command",
    "Frame",
    "FrameError",
    "FrameReader",
    "NakReason",
    "ack_frame",
    "brightness_frame",
    "clear_frame",
    "crc16",
    "decode_frame",
    "encode_frame",
    "flash_frame",
    "nak_frame",
    "ping_frame",
    "show_frame",
]
