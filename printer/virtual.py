"""The virtual printer: interprets the ESC/POS bytes this package sends and draws the paper."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache

from PIL import Image, ImageDraw

from printer.commands import QrErrorCorrection
from printer.errors import LayoutError
from printer.fonts import LATIN_MONO, load_font
from printer.profiles import (
    FONT_A_HEIGHT,
    FONT_A_WIDTH,
    FONT_B_HEIGHT,
    FONT_B_WIDTH,
    PROFILE_80MM,
    PrinterProfile,
)
from printer.qr import qr_image

#: Epson's default line spacing (ESC 2) is about 3.75 mm: 30 dots.
DEFAULT_LINE_SPACING = 30
PAPER = 255
INK = 0
CUT_MARK = 160

_ESC, _GS, _DLE, _LF, _CR = 0x1B, 0x1D, 0x10, 0x0A, 0x0D


@dataclass(frozen=True)
class _Style:
    font_b: bool = False
    bold: bool = False
    width: int = 1
    height: int = 1


@dataclass
class _Cell:
    character: str
    style: _Style


@dataclass
class _Qr:
    module_dots: int = 3
    error_correction: QrErrorCorrection = QrErrorCorrection.L
    data: bytes = b""


@dataclass
class _PaperState:
    style: _Style = field(default_factory=_Style)
    align: int = 0
    line_spacing: int = DEFAULT_LINE_SPACING
    line: list[_Cell] = field(default_factory=list)
    qr: _Qr = field(default_factory=_Qr)


class VirtualPaper:
    """A roll of paper that ESC/POS bytes print on; ``image()`` shows what it would look like.

    It understands what :func:`printer.render_ticket` emits: initialise, text in
    fonts A and B, emphasis, character sizes, justification, line spacing and
    feeds, ``GS v 0`` raster images, ``GS ( k`` QR codes, ``DLE EOT`` status
    requests (ignored), and cuts. Anything else raises :class:`LayoutError`
    naming the command and its offset, because this printer is the tests' oracle.
    """

    def __init__(self, profile: PrinterProfile = PROFILE_80MM) -> None:
        self.profile = profile
        self.cuts = 0
        self._bands: list[Image.Image] = []
        self._state = _PaperState()

    def feed(self, data: bytes) -> None:
        """Print ``data`` onto the paper."""
        position = 0
        while position < len(data):
            byte = data[position]
            if byte == _ESC:
                position = self._escape(data, position)
            elif byte == _GS:
                position = self._group_separator(data, position)
            elif byte == _DLE:
                self._need(data, position, 3)
                position += 3  # DLE EOT n asks for status; paper is unaffected
            elif byte == _LF:
                self._print_line(feed_empty=True)
                position += 1
            elif byte == _CR:
                position += 1
            elif 0x20 <= byte <= 0x7E:
                self._add_character(chr(byte))
                position += 1
            else:
                raise LayoutError(f"virtual printer: unexpected byte {byte:#04x} at {position}")

    def image(self) -> Image.Image:
        """The paper so far, ``profile.width_dots`` wide, greyscale, ending at the last cut."""
        self._print_line(feed_empty=False)
        bands = self._bands
        while bands and bands[-1].info.get("cut"):
            bands = bands[:-1]  # the last cut ends the ticket; no mark after it
        height = sum(band.height for band in bands)
        paper = Image.new("L", (self.profile.width_dots, max(height, 1)), PAPER)
        top = 0
        for band in bands:
            paper.paste(band, (0, top))
            top += band.height
        return paper

    # -- command decoding -------------------------------------------------------------

    def _escape(self, data: bytes, position: int) -> int:
        self._need(data, position, 2)
        command = data[position + 1]
        state = self._state
        if command == ord("@"):
            self._print_line(feed_empty=False)
            self._state = _PaperState()
            return position + 2
        if command == ord("2"):
            state.line_spacing = DEFAULT_LINE_SPACING
            return position + 2
        self._need(data, position, 3)
        argument = data[position + 2]
        if command == ord("a"):
            state.align = argument % 48 if argument >= 48 else argument
            if state.align > 2:
                raise LayoutError(f"virtual printer: ESC a {argument} at {position}")
        elif command == ord("E"):
            state.style = replace(state.style, bold=bool(argument & 1))
        elif command == ord("M"):
            state.style = replace(state.style, font_b=bool(argument & 1))
        elif command == ord("!"):
            state.style = _Style(
                font_b=bool(argument & 0x01),
                bold=bool(argument & 0x08),
                width=2 if argument & 0x20 else 1,
                height=2 if argument & 0x10 else 1,
            )
        elif command == ord("3"):
            state.line_spacing = argument
        elif command == ord("d"):
            self._print_line(feed_empty=False)
            self._blank(argument * state.line_spacing)
        elif command == ord("J"):
            self._print_line(feed_empty=False)
            self._blank(argument)
        elif command in (ord("t"), ord("-"), ord("R")):
            pass  # code page, underline, character set: no bearing on what we print
        else:
            raise LayoutError(f"virtual printer: unknown command ESC {command:#04x} at {position}")
        return position + 3

    def _group_separator(self, data: bytes, position: int) -> int:
        self._need(data, position, 3)
        command = data[position + 1]
        if command == ord("!"):
            size = data[position + 2]
            self._state.style = replace(
                self._state.style, width=(size >> 4) + 1, height=(size & 0x0F) + 1
            )
            return position + 3
        if command == ord("V"):
            mode = data[position + 2]
            self._print_line(feed_empty=False)
            if mode in (65, 66):
                self._need(data, position, 4)
                self._blank(data[position + 3])
                end = position + 4
            else:
                end = position + 3
            self._cut()
            return end
        if command == ord("v"):
            return self._raster(data, position)
        if command == ord("(") and data[position + 2] == ord("k"):
            return self._two_dimensional_code(data, position)
        raise LayoutError(f"virtual printer: unknown command GS {command:#04x} at {position}")

    def _raster(self, data: bytes, position: int) -> int:
        self._need(data, position, 8)
        if data[position + 2] != ord("0"):
            raise LayoutError(f"virtual printer: GS v {data[position + 2]:#04x} at {position}")
        mode = data[position + 3]
        width_bytes = data[position + 4] | data[position + 5] << 8
        rows = data[position + 6] | data[position + 7] << 8
        start = position + 8
        end = start + width_bytes * rows
        self._need(data, position, end - position)
        self._require_empty_line("GS v 0", position)
        # ESC/POS sets a bit for a dot to burn; Pillow's "1" mode reads a set bit as white.
        bits = bytes(255 - byte for byte in data[start:end])
        image = Image.frombytes("1", (width_bytes * 8, rows), bits)
        if mode & 1:
            image = image.resize((image.width * 2, image.height), Image.Resampling.NEAREST)
        if mode & 2:
            image = image.resize((image.width, image.height * 2), Image.Resampling.NEAREST)
        self._place(image.convert("L"))
        return end

    def _two_dimensional_code(self, data: bytes, position: int) -> int:
        self._need(data, position, 7)
        length = data[position + 3] | data[position + 4] << 8
        end = position + 5 + length
        self._need(data, position, end - position)
        symbol, function = data[position + 5], data[position + 6]
        parameters = data[position + 7 : end]
        if symbol != ord("1"):
            raise LayoutError(f"virtual printer: 2D symbol {symbol:#04x} at {position}")
        qr = self._state.qr
        if function == ord("A"):
            if parameters[:1] != b"2":
                raise LayoutError(f"virtual printer: only QR model 2 is drawn (at {position})")
        elif function == ord("C"):
            qr.module_dots = parameters[0]
        elif function == ord("E"):
            qr.error_correction = QrErrorCorrection(parameters[0])
        elif function == ord("P"):
            qr.data = parameters[1:]
        elif function == ord("Q"):
            self._require_empty_line("GS ( k print", position)
            if qr.data:
                self._place(qr_image(qr.data, qr.module_dots, qr.error_correction).convert("L"))
        else:
            raise LayoutError(f"virtual printer: QR function {function:#04x} at {position}")
        return end

    # -- drawing ---------------------------------------------------------------------------

    def _add_character(self, character: str) -> None:
        state = self._state
        cell_width = _cell_size(state.style)[0]
        used = sum(_cell_size(cell.style)[0] for cell in state.line)
        if used + cell_width > self.profile.width_dots:
            self._print_line(feed_empty=False)  # the printer wraps a line wider than the paper
        state.line.append(_Cell(character, state.style))

    def _print_line(self, *, feed_empty: bool) -> None:
        state = self._state
        if not state.line:
            if feed_empty:
                self._blank(state.line_spacing)
            return
        glyphs = [_glyph(cell.character, cell.style) for cell in state.line]
        height = max(glyph.height for glyph in glyphs)
        line = Image.new("L", (sum(glyph.width for glyph in glyphs), height), PAPER)
        left = 0
        for glyph in glyphs:
            line.paste(glyph, (left, height - glyph.height))  # characters sit on one baseline
            left += glyph.width
        state.line = []
        self._place(line, advance=max(height, state.line_spacing))

    def _place(self, image: Image.Image, advance: int | None = None) -> None:
        width = self.profile.width_dots
        band = Image.new("L", (width, max(advance or image.height, image.height)), PAPER)
        offset = {0: 0, 1: (width - image.width) // 2, 2: width - image.width}[self._state.align]
        band.paste(image, (max(offset, 0), 0))  # the printer drops what lies past the paper
        self._bands.append(band)

    def _blank(self, dots: int) -> None:
        if dots > 0:
            self._bands.append(Image.new("L", (self.profile.width_dots, dots), PAPER))

    def _cut(self) -> None:
        self.cuts += 1
        mark = Image.new("L", (self.profile.width_dots, 1), PAPER)
        draw = ImageDraw.Draw(mark)
        for left in range(0, self.profile.width_dots, 12):
            draw.line([(left, 0), (left + 6, 0)], fill=CUT_MARK)
        mark.info["cut"] = True
        self._bands.append(mark)

    def _require_empty_line(self, command: str, position: int) -> None:
        if self._state.line:
            raise LayoutError(
                f"virtual printer: {command} at {position} with text waiting on the line; "
                "printers ignore it there"
            )

    @staticmethod
    def _need(data: bytes, position: int, length: int) -> None:
        if position + length > len(data):
            raise LayoutError(f"virtual printer: command at {position} is cut short")


def render_paper(data: bytes, profile: PrinterProfile = PROFILE_80MM) -> Image.Image:
    """What ``data`` would look like printed on ``profile``'s paper."""
    paper = VirtualPaper(profile)
    paper.feed(data)
    return paper.image()


def _cell_size(style: _Style) -> tuple[int, int]:
    width, height = (FONT_B_WIDTH, FONT_B_HEIGHT) if style.font_b else (FONT_A_WIDTH, FONT_A_HEIGHT)
    return width * style.width, height * style.height


@cache
def _base_glyph(character: str, font_b: bool, bold: bool) -> Image.Image:
    width, height = (FONT_B_WIDTH, FONT_B_HEIGHT) if font_b else (FONT_A_WIDTH, FONT_A_HEIGHT)
    # Noto Mono advances 0.6 em, so these sizes fill the printer's 12- and 9-dot cells.
    font = load_font(LATIN_MONO, 15 if font_b else 20)
    cell = Image.new("L", (width, height), PAPER)
    draw = ImageDraw.Draw(cell)
    draw.fontmode = "1"
    baseline = height - (4 if font_b else 5)
    for shift in (0, 1) if bold else (0,):  # emphasis strikes each dot column twice
        draw.text((shift, baseline), character, font=font, fill=INK, anchor="ls")
    return cell


@cache
def _glyph(character: str, style: _Style) -> Image.Image:
    base = _base_glyph(character, style.font_b, style.bold)
    if style.width == style.height == 1:
        return base
    size = (base.width * style.width, base.height * style.height)
    return base.resize(size, Image.Resampling.NEAREST)
