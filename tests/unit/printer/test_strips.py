"""Arabic strips: letters joined, words right to left, Latin from its own font, lines that fit."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from printer.fonts import ARABIC_REGULAR, LATIN_MONO, covered_characters
from printer.strips import fit_paragraph, line_width, paragraph_direction, render_line

SIZE = 40


def unshaped(text: str) -> Image.Image:
    """``text`` drawn glyph by glyph, left to right, with no shaping at all."""
    font = ImageFont.truetype(str(ARABIC_REGULAR), SIZE, layout_engine=ImageFont.Layout.BASIC)
    canvas = Image.new("L", (40 * len(text) + 40, 3 * SIZE), 0)
    draw = ImageDraw.Draw(canvas)
    draw.fontmode = "1"
    draw.text((20, SIZE // 2), text, font=font, fill=255)
    box = canvas.getbbox()
    assert box is not None
    return ImageChops.invert(canvas.crop(box)).convert("1")


def drawn(text: str) -> Image.Image:
    """``text`` as the ticket draws it."""
    strip = render_line(text, SIZE)
    assert strip is not None
    return strip


def trim(image: Image.Image) -> Image.Image:
    """The part of ``image`` that holds ink."""
    box = ImageChops.invert(image.convert("L")).getbbox()
    assert box is not None
    return image.crop(box)


def ink(image: Image.Image) -> int:
    return image.convert("L").histogram()[0]


def difference(first: Image.Image, second: Image.Image) -> int:
    """Dots that differ between two strips, at the best shift of up to two dots."""
    width = max(first.width, second.width) + 4
    height = max(first.height, second.height) + 4
    best = width * height
    for dx in range(-2, 3):
        for dy in range(-2, 3):
            one = Image.new("L", (width, height), 255)
            one.paste(first.convert("L"), (2, 2))
            other = Image.new("L", (width, height), 255)
            other.paste(second.convert("L"), (2 + dx, 2 + dy))
            best = min(best, ImageChops.difference(one, other).histogram()[255])
    return best


def test_pillow_has_libraqm() -> None:
    assert features.check("raqm")


@pytest.mark.parametrize(
    ("word", "joined_forms_in_visual_order"),
    [
        # ت initial, ج medial, د final, ي initial (د does not join to its left), د final.
        ("تجديد", "\ufeaa\ufef3\ufeaa\ufea0\ufe97"),
        # ر isolated, خ initial, ص medial, ة final.
        ("رخصة", "\ufe94\ufebc\ufea8\ufead"),
        ("السياقة", "\ufe94\ufed8\ufe8e\ufef4\ufeb4\ufedf\ufe8d"),
    ],
)
def test_letters_take_their_joined_forms(word: str, joined_forms_in_visual_order: str) -> None:
    shaped = render_line(word, SIZE)
    assert shaped is not None
    # The shaped word looks like its joined presentation forms laid out right to left...
    to_joined = difference(shaped, unshaped(joined_forms_in_visual_order))
    # ...and nothing like the isolated letters a printer code page prints, either way round.
    to_isolated = difference(shaped, unshaped(word))
    to_isolated_reversed = difference(shaped, unshaped(word[::-1]))
    assert to_joined < 0.5 * ink(shaped)
    assert to_isolated > 1.5 * ink(shaped)
    assert to_isolated_reversed > 1.5 * ink(shaped)
    assert shaped.width < unshaped(word).width  # joined letters sit closer together


def test_words_run_right_to_left() -> None:
    first, second = "تجديد", "رخصة"
    line = drawn(f"{first} {second}")
    first_alone = drawn(first)
    second_alone = drawn(second)
    # The first word in reading order is the rightmost on paper.
    right_part = trim(line.crop((line.width - first_alone.width, 0, line.width, line.height)))
    left_part = trim(line.crop((0, 0, second_alone.width, line.height)))
    assert difference(right_part, first_alone) < 0.2 * ink(first_alone)
    assert difference(left_part, second_alone) < 0.2 * ink(second_alone)
    assert difference(right_part, second_alone) > difference(right_part, first_alone)


def test_latin_inside_arabic_comes_from_the_latin_font_in_bidi_order() -> None:
    # The Arabic font has no Latin letters: those come from the Latin font, to the
    # left of the Arabic word that precedes them in reading order.
    assert ord("C") not in covered_characters(ARABIC_REGULAR)
    assert ord("C") in covered_characters(LATIN_MONO)
    line = drawn("رقم CPR")
    arabic = drawn("رقم")
    latin = drawn("CPR")
    right_part = trim(line.crop((line.width - arabic.width, 0, line.width, line.height)))
    left_part = trim(line.crop((0, 0, latin.width, line.height)))
    assert difference(right_part, arabic) < 0.2 * ink(arabic)
    assert difference(left_part, latin) < 0.2 * ink(latin)


def test_direction_follows_the_first_strong_letter() -> None:
    assert paragraph_direction("تجديد رخصة") == "rtl"
    assert paragraph_direction("10:30 تجديد") == "rtl"
    assert paragraph_direction("Dana فرع") == "ltr"


def test_blank_text_draws_nothing() -> None:
    assert render_line("   ", SIZE) is None


def test_strips_are_one_bit_and_cropped_to_their_ink() -> None:
    strip = render_line("تجديد", SIZE)
    assert strip is not None
    assert strip.mode == "1"
    inverted = ImageChops.invert(strip.convert("L"))
    assert inverted.getbbox() == (0, 0, strip.width, strip.height)


def test_a_paragraph_wraps_before_it_shrinks() -> None:
    text = "الإدارة العامة للمرور - فرع مجمع الدانة " * 2
    paragraph = fit_paragraph(text, 360, 25, 19, max_lines=3)
    assert paragraph.size_px == 25
    assert 2 <= len(paragraph.lines) <= 3
    assert " ".join(paragraph.lines) == " ".join(text.split())
    assert all(line_width(line, 25) <= 360 for line in paragraph.lines)


def test_a_paragraph_shrinks_to_keep_its_line_count() -> None:
    text = "يرجى الانتظار حتى يظهر رقمك على الشاشة"
    wide = line_width(text, 30)
    paragraph = fit_paragraph(text, wide - 20, 30, 20, max_lines=1)
    assert paragraph.size_px < 30
    assert paragraph.lines == (text,)


def test_at_the_smallest_size_a_word_too_wide_is_broken() -> None:
    word = "تجديد" * 20
    paragraph = fit_paragraph(word, 200, 30, 20, max_lines=1)
    assert paragraph.size_px == 20
    assert len(paragraph.lines) > 1
    assert "".join(paragraph.lines) == word
    assert all(line_width(line, 20) <= 200 for line in paragraph.lines)
