"""ESC/POS command bytes: the small subset a ticket needs, each a pure function."""

from __future__ import annotations

from enum import IntEnum

from PIL import Image

from printer.errors import LayoutError

ESC = b"\x1b"
GS = b"\x1d"
DLE = b"\x10"
EOT = b"\x04"
LF = b"\n"

INITIALIZE = ESC + b"@"
FULL_CUT = GS + b"V\x00"
DEFAULT_LINE_SPACING = ESC + b"2"
#: Raster images go in bands no taller than this: some printers drop taller ones.
RASTER_BAND_ROWS = 240

_INVERT = bytes(255 - value for value in range(256))


class Align(IntEnum):
    """``ESC a`` justification."""

    LEFT = 0
    CENTER = 1
    RIGHT = 2


class QrErrorCorrection(IntEnum):
    """``GS ( k`` QR error correction levels (L 7 %, M 15 %, Q 25 %, H 30 %)."""

    L = 48
    M = 49
    Q = 50
    H = 51


class StatusRequest(IntEnum):
    """``DLE EOT n``: which real-time status byte to send back."""

    PRINTER = 1
    OFFLINE_CAUSE = 2
    ERROR_CAUSE = 3
    PAPER = 4


def align(alignment: Align) -> bytes:
    """Justify the following lines and raster images."""
    return ESC + b"a" + bytes((alignment,))


def bold(on: bool) -> bytes:
    """Emphasised text on or off."""
    return ESC + b"E" + bytes((1 if on else 0,))


def font_b(on: bool) -> bytes:
    """Select the small font B (9 x 17 dots) or back to font A (12 x 24)."""
    return ESC + b"M" + bytes((1 if on else 0,))


def text_size(width: int, height: int) -> bytes:
    """``GS !``: character width and height as multiples of 1 to 8."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise LayoutError(f"text size {width}x{height} is outside 1..8")
    return GS + b"!" + bytes(((width - 1) << 4 | (height - 1),))


def text_line(text: str) -> bytes:
    """One line of printable ASCII followed by a line feed."""
    if not is_printable_ascii(text):
        raise LayoutError(f"{text!r} is not printable ASCII: lay it out as a raster strip")
    return text.encode("ascii") + LF


def is_printable_ascii(text: str) -> bool:
    """Whether every character of ``text`` prints the same in any ESC/POS code page."""
    return all(" " <= character <= "~" for character in text)


def feed_lines(count: int) -> bytes:
    """``ESC d n``: print the buffer and feed ``count`` lines."""
    return ESC + b"d" + bytes((count,))


def feed_dots(dots: int) -> bytes:
    """``ESC J n``: print the buffer and feed ``dots`` dot rows."""
    return ESC + b"J" + bytes((dots,))


def line_spacing(dots: int) -> bytes:
    """``ESC 3 n``: lines advance ``dots`` dot rows (at least the characters' height)."""
    return ESC + b"3" + bytes((dots,))


def status_request(request: StatusRequest) -> bytes:
    """``DLE EOT n``: ask for one real-time status byte."""
    return DLE + EOT + bytes((request,))


def raster_image(image: Image.Image) -> bytes:
    """``GS v 0`` bands of a one-bit image, black as ink; its width is padded to whole bytes."""
    image = image.convert("1")
    width_bytes = (image.width + 7) // 8
    if image.width % 8:
        padded = Image.new("1", (width_bytes * 8, image.height), 1)
        padded.paste(image, (0, 0))
        image = padded
    # Pillow packs mode "1" as 1 = white; ESC/POS wants 1 = dot to burn.
    pixels = image.tobytes().translate(_INVERT)
    chunks: list[bytes] = []
    for top in range(0, image.height, RASTER_BAND_ROWS):
        rows = min(RASTER_BAND_ROWS, image.height - top)
        header = GS + b"v0\x00" + _low_high(width_bytes) + _low_high(rows)
        chunks.append(header + pixels[top * width_bytes : (top + rows) * width_bytes])
    return b"".join(chunks)


def qr_code(
    data: str,
    module_dots: int,
    error_correction: QrErrorCorrection = QrErrorCorrection.M,
) -> bytes:
    """``GS ( k``: have the printer draw a model 2 QR code of ``data``."""
    if not 1 <= module_dots <= 16:
        raise LayoutError(f"QR module size {module_dots} is outside 1..16")
    payload = data.encode("utf-8")
    return b"".join(
        (
            _qr_function(b"A", b"\x32\x00"),  # model 2
            _qr_function(b"C", bytes((module_dots,))),
            _qr_function(b"E", bytes((error_correction,))),
            _qr_function(b"P", b"0" + payload),  # store the data
            _qr_function(b"Q", b"0"),  # print the stored symbol
        )
    )


def _qr_function(function: bytes, parameters: bytes) -> bytes:
    # cn 49 ("1") selects the QR symbol; pL pH count cn, fn and the parameters.
    return GS + b"(k" + _low_high(len(parameters) + 2) + b"1" + function + parameters


def _low_high(number: int) -> bytes:
    if not 0 <= number <= 0xFFFF:
        raise LayoutError(f"{number} does not fit in two bytes")
    return bytes((number & 0xFF, number >> 8))
