"""Serial LED boards over the counters: the framed protocol, a pyserial driver and the keeper.

The protocol is documented in ``docs/led-board-protocol.md``: ASCII frames
``STX ADDR CMD LEN DATA CRC ETX`` with a CRC-16, several boards on one line,
each at an address 1 to 99.

- :mod:`ledboard.frames`: the frames and their bytes (pure);
- :mod:`ledboard.driver`: :class:`LedBoard`, the boards of one line, and
  :class:`SerialLedBoard`, its pyserial adapter;
- :mod:`ledboard.keeper`: :class:`LedBoardKeeper` (run by
  :func:`run_led_boards`, ``taboor led-board``) keeps every board of a line
  showing its counter's ticket, through the centre port
  (:class:`centre.port.CentrePort`), in-process or over the centre server.

This package imports no Qt and no screen: the keeper is a headless process.

Exceptions::

    LedBoardError            a line of boards cannot do what was asked
     ├── LineLost            the line cannot be opened or written (unplugged, gone, busy)
     └── BoardDidNotAnswer   a board of a two-way line gave no ACK (silent or NAK)
    FrameError (ValueError)  bytes that are not one well-formed frame

Bad settings raise :class:`centre.errors.BadInput` (a bad URI, a counter
without a board address) or :class:`centre.errors.UnknownCounter`.
"""

from __future__ import annotations

from ledboard.driver import (
    BoardDidNotAnswer,
    BoardLineUri,
    LedBoard,
    LedBoardError,
    LineLost,
    SerialLedBoard,
    open_board_port,
    parse_board_uri,
)
from ledboard.frames import (
    BROADCAST,
    MAX_TEXT,
    Command,
    Frame,
    FrameError,
    FrameReader,
    NakReason,
    ack_frame,
    brightness_frame,
    clear_frame,
    crc16,
    decode_frame,
    encode_frame,
    flash_frame,
    nak_frame,
    ping_frame,
    show_frame,
)
from ledboard.keeper import (
    FLASH_SECONDS,
    REFRESH_SECONDS,
    RETRY,
    TEXT_FORMAT,
    LedBoardKeeper,
    board_addresses,
    run_led_boards,
)

__all__ = [
    "BROADCAST",
    "FLASH_SECONDS",
    "MAX_TEXT",
    "REFRESH_SECONDS",
    "RETRY",
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
