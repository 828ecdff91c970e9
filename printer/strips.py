"""Lines of text drawn as one-bit strips: Arabic shaped by libraqm, joined and right to left."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import Image, ImageChops, ImageDraw

from printer.fonts import ARABIC_BOLD, ARABIC_REGULAR, LATIN_MONO, covered_characters, load_font

Direction = Literal["ltr", "rtl"]

#: Sizes shrink in steps of this many pixels when a paragraph does not fit.
SHRINK_STEP_PX = 2


@dataclass(frozen=True)
class Paragraph:
    """A paragraph broken into lines that fit, and the pixel size they fit at."""

    size_px: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class _Run:
    text: str
    font_path: Path
    direction: Direction


def paragraph_direction(text: str) -> Direction:
    """Right to left when the first letter with a direction is Arabic or Hebrew."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def line_width(text: str, size_px: int, bold: bool = False) -> int:
    """Width in dots of ``text`` drawn on one line."""
    return sum(_run_length(run, size_px) for run in _runs(text, bold))


def render_line(text: str, size_px: int, bold: bool = False) -> Image.Image | None:
    """One line shaped and drawn in one-bit black on white, cropped to its ink; None if blank.

    Arabic runs go through libraqm right to left, so letters take their joined
    forms; runs of characters the Arabic font lacks (Latin letters) fall back to
    the Latin font and are placed in bidirectional order around them.
    """
    runs = _runs(text, bold)
    lengths = [_run_length(run, size_px) for run in runs]
    ascent = max((load_font(run.font_path, size_px).getmetrics()[0] for run in runs), default=0)
    descent = max((load_font(run.font_path, size_px).getmetrics()[1] for run in runs), default=0)
    margin = size_px // 2  # marks and swashes may reach past the advance widths
    # Ink is drawn as 255 on 0 so getbbox finds it; thermal dots are on or off, so no antialiasing.
    canvas = Image.new("L", (sum(lengths) + 2 * margin, ascent + descent + 2 * margin), 0)
    draw = ImageDraw.Draw(canvas)
    draw.fontmode = "1"
    baseline = margin + ascent
    # Runs follow each other in logical order; a right-to-left paragraph lays them out
    # from the right edge leftwards, so its first run ends up rightmost.
    right_to_left = paragraph_direction(text) == "rtl"
    x = canvas.width - margin if right_to_left else margin
    for run, length in zip(runs, lengths, strict=True):
        if right_to_left:
            x -= length
        draw.text(
            (x, baseline),
            run.text,
            font=load_font(run.font_path, size_px),
            fill=255,
            anchor="ls",
            direction=run.direction,
            language="ar" if run.direction == "rtl" else "en",
        )
        if not right_to_left:
            x += length
    ink = canvas.getbbox()
    if ink is None:
        return None
    return ImageChops.invert(canvas.crop(ink)).convert("1", dither=Image.Dither.NONE)


def fit_paragraph(
    text: str,
    max_width: int,
    size_px: int,
    min_size_px: int,
    max_lines: int,
    bold: bool = False,
) -> Paragraph:
    """Wrap ``text`` to ``max_width``, shrinking towards ``min_size_px`` to keep to ``max_lines``.

    At the smallest size it takes as many lines as it needs, and a word wider
    than the paper is broken, so nothing ever runs off the paper.
    """
    size = size_px
    while size > min_size_px:
        lines = _wrap(text, max_width, size, bold, break_words=False)
        if lines is not None and len(lines) <= max_lines:
            return Paragraph(size, tuple(lines))
        size -= SHRINK_STEP_PX
    size = min_size_px
    lines = _wrap(text, max_width, size, bold, break_words=True)
    assert lines is not None  # breaking words always fits
    return Paragraph(size, tuple(lines))


def _wrap(
    text: str, max_width: int, size_px: int, bold: bool, break_words: bool
) -> list[str] | None:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if line_width(candidate, size_px, bold) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if line_width(word, size_px, bold) <= max_width:
            current = word
            continue
        if not break_words:
            return None
        pieces = _break_word(word, max_width, size_px, bold)
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        lines.append(current)
    return lines


def _break_word(word: str, max_width: int, size_px: int, bold: bool) -> list[str]:
    pieces: list[str] = []
    current = ""
    for character in word:
        if current and line_width(current + character, size_px, bold) > max_width:
            pieces.append(current)
            current = ""
        current += character
    pieces.append(current)
    return pieces


def _runs(text: str, bold: bool) -> list[_Run]:
    """Split ``text`` into runs, each drawn by one font; neutral characters join a neighbour."""
    arabic_path = ARABIC_BOLD if bold else ARABIC_REGULAR
    arabic = covered_characters(arabic_path)
    latin = covered_characters(LATIN_MONO)
    default = arabic_path if paragraph_direction(text) == "rtl" else LATIN_MONO
    paths: list[Path | None] = []
    for character in text:
        code_point = ord(character)
        in_arabic, in_latin = code_point in arabic, code_point in latin
        if in_arabic and not in_latin:
            paths.append(arabic_path)
        elif in_latin and not in_arabic:
            paths.append(LATIN_MONO)
        elif in_arabic:
            paths.append(None)  # spaces, digits, punctuation: either font draws them
        else:
            paths.append(LATIN_MONO)  # neither has it: the Latin font's box shows it is missing
    # Neutral characters between two runs of one font stay in it; between two fonts, or
    # at either end, they take the paragraph's own font, as the bidi algorithm resolves
    # neutrals to the embedding direction.
    index = 0
    while index < len(paths):
        if paths[index] is not None:
            index += 1
            continue
        end = index
        while end < len(paths) and paths[end] is None:
            end += 1
        before = paths[index - 1] if index > 0 else default
        after = paths[end] if end < len(paths) else default
        for neutral in range(index, end):
            paths[neutral] = before if before == after else default
        index = end
    runs: list[_Run] = []
    for character, path in zip(text, paths, strict=True):
        assert path is not None
        if runs and runs[-1].font_path == path:
            runs[-1] = _Run(runs[-1].text + character, path, runs[-1].direction)
        else:
            direction: Direction = "ltr" if path == LATIN_MONO else "rtl"
            runs.append(_Run(character, path, direction))
    return runs


@lru_cache(maxsize=4096)
def _run_length(run: _Run, size_px: int) -> int:
    font = load_font(run.font_path, size_px)
    language = "ar" if run.direction == "rtl" else "en"
    return round(font.getlength(run.text, direction=run.direction, language=language))
