"""The bundled fonts: where they are, which characters they draw, loaded once per size."""

from __future__ import annotations

import struct
from functools import cache
from pathlib import Path

from PIL import ImageFont, features

from printer.errors import LayoutError

FONTS_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
ARABIC_REGULAR = FONTS_DIR / "NotoSansArabic-Regular.ttf"
ARABIC_BOLD = FONTS_DIR / "NotoSansArabic-Bold.ttf"
#: The Arabic font has digits but no Latin letters; Latin goes to this one.
LATIN_MONO = FONTS_DIR / "NotoMono-Regular.ttf"


def require_raqm() -> None:
    """Fail with a clear message when Pillow lacks libraqm, which shapes Arabic."""
    if not features.check("raqm"):
        raise LayoutError(
            "Pillow was built without libraqm: Arabic cannot be shaped "
            "(install Pillow's wheel, or libraqm0 for a source build)"
        )


@cache
def load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """The font at ``path`` in ``size`` pixels, laid out with libraqm."""
    require_raqm()
    try:
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)
    except OSError as error:
        raise LayoutError(f"cannot load font {path}: {error}") from error


@cache
def covered_characters(path: Path) -> frozenset[int]:
    """Code points the font at ``path`` maps to a glyph, read from its ``cmap`` table."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LayoutError(f"cannot read font {path}: {error}") from error
    try:
        return frozenset(_cmap_code_points(data))
    except (struct.error, ValueError) as error:
        raise LayoutError(f"font {path} has no readable Unicode cmap: {error}") from error


def _cmap_code_points(data: bytes) -> set[int]:
    # Pillow does not say which characters a font has; the cmap table does.
    (table_count,) = struct.unpack_from(">H", data, 4)
    cmap_offset = None
    for index in range(table_count):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        if tag == b"cmap":
            cmap_offset = offset
    if cmap_offset is None:
        raise ValueError("no cmap table")
    (subtable_count,) = struct.unpack_from(">H", data, cmap_offset + 2)
    best: tuple[int, int] | None = None  # (preference, offset)
    for index in range(subtable_count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap_offset + 4 + 8 * index)
        preference = {(3, 10): 2, (0, 4): 2, (3, 1): 1, (0, 3): 1}.get((platform, encoding), 0)
        if preference and (best is None or preference > best[0]):
            best = (preference, cmap_offset + offset)
    if best is None:
        raise ValueError("no Unicode subtable")
    subtable = best[1]
    (table_format,) = struct.unpack_from(">H", data, subtable)
    if table_format == 4:
        return _format_4(data, subtable)
    if table_format == 12:
        return _format_12(data, subtable)
    raise ValueError(f"cmap format {table_format}")


def _format_4(data: bytes, subtable: int) -> set[int]:
    (segment_count_x2,) = struct.unpack_from(">H", data, subtable + 6)
    count = segment_count_x2 // 2
    ends_at = subtable + 14
    starts_at = ends_at + segment_count_x2 + 2
    deltas_at = starts_at + segment_count_x2
    range_offsets_at = deltas_at + segment_count_x2
    code_points: set[int] = set()
    for segment in range(count):
        (end,) = struct.unpack_from(">H", data, ends_at + 2 * segment)
        (start,) = struct.unpack_from(">H", data, starts_at + 2 * segment)
        (delta,) = struct.unpack_from(">h", data, deltas_at + 2 * segment)
        range_offset_position = range_offsets_at + 2 * segment
        (range_offset,) = struct.unpack_from(">H", data, range_offset_position)
        for code_point in range(start, end + 1):
            if code_point == 0xFFFF:
                continue
            if range_offset == 0:
                glyph = (code_point + delta) & 0xFFFF
            else:
                glyph_position = range_offset_position + range_offset + 2 * (code_point - start)
                (glyph,) = struct.unpack_from(">H", data, glyph_position)
                if glyph:
                    glyph = (glyph + delta) & 0xFFFF
            if glyph:
                code_points.add(code_point)
    return code_points


def _format_12(data: bytes, subtable: int) -> set[int]:
    (group_count,) = struct.unpack_from(">I", data, subtable + 12)
    code_points: set[int] = set()
    for group in range(group_count):
        start, end, first_glyph = struct.unpack_from(">III", data, subtable + 16 + 12 * group)
        code_points.update(
            code_point
            for code_point, glyph in zip(
                range(start, end + 1),
                range(first_glyph, first_glyph + end - start + 1),
                strict=True,
            )
            if glyph
        )
    return code_points
