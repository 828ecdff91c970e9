"""Ticket layout: a slip becomes ESC/POS; Arabic as raster strips, Latin and digits as text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PIL import Image, ImageOps

from printer import commands
from printer.commands import Align
from printer.errors import LayoutError
from printer.profiles import FONT_A_WIDTH, PROFILE_80MM, PrinterProfile
from printer.qr import qr_image
from printer.slip import TicketSlip
from printer.strips import fit_paragraph, render_line
from printer.virtual import render_paper

#: Dots kept clear at each side of an Arabic strip, so wide lines do not touch the edge.
SIDE_MARGIN = 8
#: Dots fed between raster lines and between the parts of a ticket.
LINE_GAP = 6
SECTION_GAP = 14
#: Lines fed after the footer so it clears the cutter, which sits above the head.
CUTTER_FEED_LINES = 4
#: A QR module of about 0.75 mm reads well from a phone or a counter scanner.
QR_MODULE_MM = 0.75
BIG_NUMBER_MAX_SCALE = 4
FONT_B_LINE_SPACING = 22


@dataclass(frozen=True)
class ArabicStyle:
    """How big an Arabic paragraph is drawn, how far it may shrink, and on how many lines."""

    points: float
    min_points: float
    max_lines: int
    bold: bool = False


CENTRE_STYLE = ArabicStyle(points=9, min_points=7, max_lines=2)
SERVICE_STYLE = ArabicStyle(points=12, min_points=8, max_lines=2, bold=True)
COPY_STYLE = ArabicStyle(points=10, min_points=8, max_lines=1, bold=True)
LABEL_STYLE = ArabicStyle(points=8.5, min_points=6.5, max_lines=2)
FOOTER_STYLE = ArabicStyle(points=7.5, min_points=6, max_lines=3)

COPY_LABEL = ("نسخة مكررة", "COPY - REPRINTED")
ISSUED_LABEL = ("وقت الإصدار", "Issued")
AHEAD_LABEL = ("المنتظرون قبلك", "People ahead of you")
WAIT_LABEL = ("الانتظار المتوقع", "Estimated wait")
SLOT_LABEL = ("موعدك", "Appointment")


def render_ticket(slip: TicketSlip, profile: PrinterProfile = PROFILE_80MM) -> bytes:
    """The ESC/POS bytes of ``slip`` on ``profile``'s paper, from initialise to cut.

    Arabic goes as raster strips shaped by libraqm (printer code pages cannot
    join Arabic letters); English, digits and times go as printer text, which
    costs a byte a character; the QR code of the ticket id uses the printer's
    ``GS ( k`` command unless ``profile.native_qr`` is off.
    """
    ticket = _TicketBuilder(profile)
    ticket.raw(commands.INITIALIZE)
    arabic_first = slip.lang == "ar"

    ticket.pair(
        arabic_first,
        partial(ticket.arabic, slip.centre_name[0], CENTRE_STYLE, Align.CENTER),
        partial(ticket.english, slip.centre_name[1], Align.CENTER, max_lines=2),
    )
    ticket.gap(SECTION_GAP)
    ticket.big_number(slip.number)
    if slip.copy:
        ticket.pair(
            arabic_first,
            partial(ticket.arabic, COPY_LABEL[0], COPY_STYLE, Align.CENTER),
            partial(ticket.english, COPY_LABEL[1], Align.CENTER, bold=True),
        )
    ticket.gap(LINE_GAP)
    ticket.pair(
        arabic_first,
        partial(ticket.arabic, slip.service_name[0], SERVICE_STYLE, Align.CENTER),
        partial(
            ticket.english,
            slip.service_name[1],
            Align.CENTER,
            max_lines=2,
            bold=True,
            double_height=True,
        ),
    )
    ticket.rule()

    rows = [(ISSUED_LABEL, slip.issued_at.strftime("%d/%m/%Y %H:%M"))]
    if slip.slot is not None:
        rows.append((SLOT_LABEL, slip.slot))
    rows.append((AHEAD_LABEL, str(slip.ahead)))
    if slip.eta_minutes is not None:
        rows.append((WAIT_LABEL, f"{slip.eta_minutes} min"))
    for (arabic_label, english_label), value in rows:
        ticket.pair(
            arabic_first,
            partial(ticket.arabic, arabic_label, LABEL_STYLE, Align.RIGHT),
            partial(ticket.row, english_label, value),
        )
        ticket.gap(LINE_GAP)
    ticket.rule()

    ticket.qr(slip.link or slip.ticket_id)
    ticket.gap(SECTION_GAP)
    if slip.footer is not None:
        ticket.pair(
            arabic_first,
            partial(ticket.arabic, slip.footer[0], FOOTER_STYLE, Align.CENTER),
            partial(ticket.english, slip.footer[1], Align.CENTER, small=True),
        )
    ticket.raw(commands.feed_lines(CUTTER_FEED_LINES) + commands.FULL_CUT)
    return ticket.build()


def render_ticket_raster(slip: TicketSlip, profile: PrinterProfile = PROFILE_80MM) -> bytes:
    """The same ticket sent as one full-width raster image: for printers whose text is unusable.

    Several times the bytes of :func:`render_ticket`, so slow on a serial line.
    """
    paper = render_paper(render_ticket(slip, profile), profile)
    ink = ImageOps.invert(paper).getbbox()
    if ink is not None:
        # The feed to the cutter goes as a command, not as blank rows of dots.
        paper = paper.crop((0, 0, paper.width, ink[3]))
    return (
        commands.INITIALIZE
        + commands.raster_image(paper.convert("1", dither=Image.Dither.NONE))
        + commands.feed_lines(CUTTER_FEED_LINES)
        + commands.FULL_CUT
    )


class _TicketBuilder:
    """Accumulates commands, sending alignment and style changes only when they change."""

    def __init__(self, profile: PrinterProfile) -> None:
        self.profile = profile
        self._chunks: list[bytes] = []
        self._align: Align | None = None

    def build(self) -> bytes:
        return b"".join(self._chunks)

    def raw(self, data: bytes) -> None:
        if data.startswith(commands.INITIALIZE):
            self._align = Align.LEFT
        self._chunks.append(data)

    def pair(
        self, arabic_first: bool, arabic: Callable[[], None], english: Callable[[], None]
    ) -> None:
        first, second = (arabic, english) if arabic_first else (english, arabic)
        first()
        second()

    def set_align(self, alignment: Align) -> None:
        if alignment != self._align:
            self._chunks.append(commands.align(alignment))
            self._align = alignment

    def gap(self, dots: int) -> None:
        self._chunks.append(commands.feed_dots(dots))

    def arabic(self, text: str, style: ArabicStyle, alignment: Align) -> None:
        """A paragraph as raster strips, one per wrapped line, each only as wide as its ink."""
        profile = self.profile
        usable = profile.width_dots - 2 * SIDE_MARGIN
        paragraph = fit_paragraph(
            text,
            usable,
            profile.dots(style.points),
            profile.dots(style.min_points),
            style.max_lines,
            bold=style.bold,
        )
        for line in paragraph.lines:
            strip = render_line(line, paragraph.size_px, bold=style.bold)
            if strip is None:
                continue
            if not profile.raster_alignment:
                strip = _pad_to_width(strip, profile.width_dots, alignment)
            self.set_align(alignment)
            self._chunks.append(commands.raster_image(strip))
            self.gap(LINE_GAP)

    def english(
        self,
        text: str,
        alignment: Align,
        *,
        max_lines: int = 2,
        bold: bool = False,
        small: bool = False,
        double_height: bool = False,
    ) -> None:
        """Printer text, wrapped; long text falls back to the small font B rather than run on."""
        if not commands.is_printable_ascii(text):
            # Letters outside ASCII print differently per code page; draw them instead.
            self.arabic(
                text, ArabicStyle(points=8.5, min_points=6.5, max_lines=3, bold=bold), alignment
            )
            return
        font_b, lines = self._fit_text(text, max_lines, prefer_small=small)
        self.set_align(alignment)
        height = 2 if double_height and not font_b else 1
        prefix = b""
        suffix = b""
        if font_b:
            prefix += commands.font_b(True)
            suffix += commands.font_b(False)
            if len(lines) > 1:
                # The default spacing suits font A; font B lines would stand far apart.
                prefix += commands.line_spacing(FONT_B_LINE_SPACING)
                suffix += commands.DEFAULT_LINE_SPACING
        if bold:
            prefix += commands.bold(True)
            suffix += commands.bold(False)
        if height > 1:
            prefix += commands.text_size(1, height)
            suffix += commands.text_size(1, 1)
        self._chunks.append(prefix + b"".join(commands.text_line(line) for line in lines) + suffix)

    def big_number(self, number: str) -> None:
        if not commands.is_printable_ascii(number):
            raise LayoutError(f"ticket number {number!r} must be printable ASCII")
        scale = max(
            1, min(BIG_NUMBER_MAX_SCALE, self.profile.width_dots // (len(number) * FONT_A_WIDTH))
        )
        self.set_align(Align.CENTER)
        lines = textwrap.wrap(number, self.profile.columns // scale) or [number]
        self._chunks.append(
            commands.text_size(scale, scale)
            + commands.bold(True)
            + b"".join(commands.text_line(line) for line in lines)
            + commands.bold(False)
            + commands.text_size(1, 1)
        )

    def row(self, label: str, value: str) -> None:
        """An English label at the left and its value at the right edge, on one line if they fit."""
        columns = self.profile.columns
        self.set_align(Align.LEFT)
        if len(label) + 1 + len(value) <= columns:
            line = label + " " * (columns - len(label) - len(value)) + value
            self._chunks.append(commands.text_line(line))
            return
        for part in textwrap.wrap(label, columns):
            self._chunks.append(commands.text_line(part))
        self._chunks.append(commands.text_line(value.rjust(columns)[-columns:]))

    def rule(self) -> None:
        self.gap(LINE_GAP)
        self.set_align(Align.LEFT)
        self._chunks.append(commands.text_line("-" * self.profile.columns))
        self.gap(LINE_GAP)

    def qr(self, payload: str) -> None:
        profile = self.profile
        module = max(2, round(QR_MODULE_MM * profile.dpi / 25.4))
        self.set_align(Align.CENTER)
        if profile.native_qr:
            self._chunks.append(commands.qr_code(payload, module))
            return
        symbol = qr_image(payload, module)
        while symbol.width > profile.width_dots and module > 1:
            module -= 1
            symbol = qr_image(payload, module)
        if not profile.raster_alignment:
            symbol = _pad_to_width(symbol, profile.width_dots, Align.CENTER)
        self._chunks.append(commands.raster_image(symbol))

    def _fit_text(self, text: str, max_lines: int, *, prefer_small: bool) -> tuple[bool, list[str]]:
        """Font B or not, and the lines: one line if either font allows, else wrapped."""
        wide, narrow = self.profile.columns, self.profile.columns_font_b
        if prefer_small:
            return True, textwrap.wrap(text, narrow) or [text]
        if len(text) <= wide:
            return False, [text]
        if len(text) <= narrow:
            return True, [text]
        lines = textwrap.wrap(text, wide)
        if len(lines) <= max_lines:
            return False, lines
        return True, textwrap.wrap(text, narrow)


def _pad_to_width(strip: Image.Image, width: int, alignment: Align) -> Image.Image:
    """The strip placed on a full-width white band, for printers that ignore ESC a for images."""
    padded = Image.new("1", (width, strip.height), 1)
    left = {
        Align.LEFT: 0,
        Align.CENTER: (width - strip.width) // 2,
        Align.RIGHT: width - strip.width,
    }
    padded.paste(strip, (max(0, left[alignment]), 0))
    return padded
