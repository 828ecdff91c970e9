"""Shared fakes for the printer tests: a transport that records, a command reader, a QR reader."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import ModuleType

import pytest
from PIL import Image

from printer import PrinterError, PrinterStatus
from printer.status import READY_STATUS


@dataclass
class FakeTransport:
    """A printer that keeps what it is sent and answers status from a script."""

    name: str = "fake:printer"
    statuses: list[PrinterStatus] = field(default_factory=lambda: [READY_STATUS])
    send_error: PrinterError | None = None
    sent: list[tuple[str, bytes]] = field(default_factory=list)
    closed: bool = False

    def send(self, data: bytes, job_name: str = "ticket") -> None:
        if self.send_error is not None:
            raise self.send_error
        self.sent.append((job_name, data))

    def status(self) -> PrinterStatus:
        # Each call takes the next scripted status; the last one repeats.
        if len(self.statuses) > 1:
            return self.statuses.pop(0)
        return self.statuses[0]

    def close(self) -> None:
        self.closed = True


@dataclass(frozen=True)
class Command:
    """One ESC/POS command or run of text read back from bytes."""

    name: str
    argument: bytes = b""


def read_commands(data: bytes) -> list[Command]:
    """Split ESC/POS bytes into the commands this package emits; fail on anything else."""
    commands: list[Command] = []
    position = 0
    while position < len(data):
        byte = data[position]
        if data.startswith(b"\x1b@", position):
            commands.append(Command("init"))
            position += 2
        elif data.startswith(b"\x1b2", position):
            commands.append(Command("default_spacing"))
            position += 2
        elif byte == 0x1B:
            letter = chr(data[position + 1])
            names = {
                "a": "align",
                "E": "bold",
                "M": "font",
                "J": "feed_dots",
                "d": "feed_lines",
                "3": "spacing",
            }
            commands.append(Command(names[letter], data[position + 2 : position + 3]))
            position += 3
        elif data.startswith(b"\x1d!", position):
            commands.append(Command("size", data[position + 2 : position + 3]))
            position += 3
        elif data.startswith(b"\x1dV", position):
            commands.append(Command("cut", data[position + 2 : position + 3]))
            position += 3
        elif data.startswith(b"\x1dv0", position):
            width = data[position + 4] | data[position + 5] << 8
            rows = data[position + 6] | data[position + 7] << 8
            end = position + 8 + width * rows
            commands.append(Command("raster", data[position:end]))
            position = end
        elif data.startswith(b"\x1d(k", position):
            length = data[position + 3] | data[position + 4] << 8
            end = position + 5 + length
            commands.append(Command("qr", data[position:end]))
            position = end
        elif 0x20 <= byte <= 0x7E:
            end = data.index(b"\n", position)
            commands.append(Command("text", data[position:end]))
            position = end + 1
        else:
            raise AssertionError(f"unexpected byte {byte:#04x} at {position}")
    return commands


def text_lines(data: bytes) -> list[str]:
    """The printer-text lines of a ticket, in order."""
    return [
        command.argument.decode("ascii")
        for command in read_commands(data)
        if command.name == "text"
    ]


def raster_widths(data: bytes) -> list[int]:
    """The width in dots of every raster image of a ticket."""
    return [
        (command.argument[4] | command.argument[5] << 8) * 8
        for command in read_commands(data)
        if command.name == "raster"
    ]


def decode_qr_codes(image: Image.Image) -> list[str]:
    """The texts of the QR codes a phone would read in ``image``."""
    zxingcpp = import_qr_reader()
    framed = Image.new("L", (image.width + 80, image.height + 80), 255)
    framed.paste(image.convert("L"), (40, 40))  # a quiet zone as the paper's margin gives
    return [result.text for result in zxingcpp.read_barcodes(framed)]


def import_qr_reader() -> ModuleType:
    """zxing-cpp, or a skip naming it (a failure under CI=true, where it must be installed)."""
    try:
        zxingcpp = importlib.import_module("zxingcpp")
    except ImportError:
        message = "the zxing-cpp package (QR reader) is not installed: pip install zxing-cpp"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return zxingcpp


def ink_columns(image: Image.Image) -> Iterable[int]:
    """The x positions of columns holding any ink."""
    grey = image.convert("L")
    for x in range(grey.width):
        column = grey.crop((x, 0, x + 1, grey.height))
        if column.histogram()[0]:
            yield x
