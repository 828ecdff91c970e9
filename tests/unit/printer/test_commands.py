"""Exact bytes of the ESC/POS commands a ticket uses."""

from __future__ import annotations

import pytest
from PIL import Image

from printer import LayoutError, commands
from printer.commands import Align, QrErrorCorrection, StatusRequest


def test_framing_commands() -> None:
    assert commands.INITIALIZE == b"\x1b@"
    assert commands.FULL_CUT == b"\x1dV\x00"
    assert commands.align(Align.LEFT) == b"\x1ba\x00"
    assert commands.align(Align.CENTER) == b"\x1ba\x01"
    assert commands.align(Align.RIGHT) == b"\x1ba\x02"
    assert commands.feed_lines(4) == b"\x1bd\x04"
    assert commands.feed_dots(14) == b"\x1bJ\x0e"
    assert commands.line_spacing(22) == b"\x1b3\x16"
    assert commands.DEFAULT_LINE_SPACING == b"\x1b2"


def test_text_styles() -> None:
    assert commands.bold(True) == b"\x1bE\x01"
    assert commands.bold(False) == b"\x1bE\x00"
    assert commands.font_b(True) == b"\x1bM\x01"
    assert commands.text_size(1, 1) == b"\x1d!\x00"
    assert commands.text_size(4, 4) == b"\x1d!\x33"
    assert commands.text_size(1, 2) == b"\x1d!\x01"
    with pytest.raises(LayoutError):
        commands.text_size(9, 1)


def test_text_line_is_ascii_and_refuses_other_letters() -> None:
    assert commands.text_line("A023") == b"A023\n"
    with pytest.raises(LayoutError, match="raster"):
        commands.text_line("تجديد")
    assert not commands.is_printable_ascii("Café")


def test_native_qr_command_bytes() -> None:
    assert commands.qr_code("T-1", module_dots=6, error_correction=QrErrorCorrection.M) == (
        b"\x1d(k\x04\x001A2\x00"  # model 2
        b"\x1d(k\x03\x001C\x06"  # module of 6 dots
        b"\x1d(k\x03\x001E1"  # error correction M
        b"\x1d(k\x06\x001P0T-1"  # store "T-1": pL counts cn, fn, m and the 3 data bytes
        b"\x1d(k\x03\x001Q0"  # print
    )


def test_status_requests() -> None:
    assert commands.status_request(StatusRequest.PRINTER) == b"\x10\x04\x01"
    assert commands.status_request(StatusRequest.PAPER) == b"\x10\x04\x04"


def test_raster_image_header_and_bits() -> None:
    image = Image.new("1", (10, 2), 1)
    image.putpixel((0, 0), 0)  # leftmost dot of the first row
    image.putpixel((9, 1), 0)  # tenth dot of the second row
    assert commands.raster_image(image) == (
        b"\x1dv0\x00\x02\x00\x02\x00"  # 2 bytes a row (padded to 16 dots), 2 rows
        b"\x80\x00"
        b"\x00\x40"
    )


def test_tall_raster_images_go_in_bands() -> None:
    image = Image.new("1", (8, commands.RASTER_BAND_ROWS + 10), 0)
    data = commands.raster_image(image)
    first = b"\x1dv0\x00\x01\x00" + bytes((commands.RASTER_BAND_ROWS, 0))
    assert data.startswith(first)
    second_at = len(first) + commands.RASTER_BAND_ROWS
    assert data[second_at : second_at + 8] == b"\x1dv0\x00\x01\x00\x0a\x00"
