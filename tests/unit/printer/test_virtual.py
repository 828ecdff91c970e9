"""The virtual printer: what ESC/POS bytes look like on paper, and the QR a phone reads there."""

from __future__ import annotations

import dataclasses

import pytest
from PIL import Image

from printer import (
    PROFILE_58MM,
    PROFILE_80MM,
    PROFILE_TM_T88,
    LayoutError,
    PrinterProfile,
    VirtualPaper,
    commands,
    render_paper,
    render_ticket,
    render_ticket_raster,
    sample_slip,
)
from printer.commands import Align
from tests.unit.printer.fakes import decode_qr_codes, ink_columns


@pytest.mark.parametrize(
    "profile",
    [
        PROFILE_80MM,
        PROFILE_TM_T88,
        PROFILE_58MM,
        dataclasses.replace(PROFILE_80MM, native_qr=False),
    ],
    ids=["80mm", "tm-t88", "58mm", "80mm-image-qr"],
)
def test_the_printed_qr_code_reads_back_as_the_ticket_id(profile: PrinterProfile) -> None:
    paper = render_paper(render_ticket(sample_slip(), profile), profile)
    assert paper.width == profile.width_dots
    assert decode_qr_codes(paper) == ["traffic-dana-20250511-A023"]


def test_the_whole_raster_ticket_looks_like_the_text_ticket() -> None:
    text_ticket = render_paper(render_ticket(sample_slip()))
    raster_ticket = render_paper(render_ticket_raster(sample_slip()))
    assert decode_qr_codes(raster_ticket) == ["traffic-dana-20250511-A023"]
    top = text_ticket.crop((0, 0, 576, 400))
    assert raster_ticket.crop((0, 0, 576, 400)).tobytes() == top.tobytes()


def test_text_is_aligned_as_asked() -> None:
    data = b"".join(
        (
            commands.INITIALIZE,
            commands.align(Align.LEFT),
            commands.text_line("AB"),
            commands.align(Align.CENTER),
            commands.text_line("AB"),
            commands.align(Align.RIGHT),
            commands.text_line("AB"),
        )
    )
    paper = render_paper(data)
    rows = [paper.crop((0, top, 576, top + 24)) for top in (0, 30, 60)]
    left, centre, right = ([*ink_columns(row)] for row in rows)
    assert left[0] < 12
    assert abs((centre[0] + centre[-1]) / 2 - 288) <= 6
    assert right[-1] > 576 - 12


def test_character_size_and_line_feed() -> None:
    paper = render_paper(commands.text_size(4, 4) + commands.text_line("8"))
    assert paper.height == 96  # a line is as tall as its tallest character
    assert max(ink_columns(paper)) < 48


def test_a_line_wider_than_the_paper_wraps() -> None:
    paper = render_paper(commands.text_line("W" * 60))  # 48 fit on 80 mm paper
    assert paper.height == 60


def test_raster_images_are_placed_by_alignment() -> None:
    block = Image.new("1", (16, 8), 0)
    paper = render_paper(commands.align(Align.RIGHT) + commands.raster_image(block))
    assert [*ink_columns(paper)] == list(range(560, 576))
    assert paper.height == 8


def test_cuts_are_counted_and_the_last_one_ends_the_paper() -> None:
    virtual = VirtualPaper(PROFILE_80MM)
    virtual.feed(render_ticket(sample_slip()) * 2)
    assert virtual.cuts == 2
    one = render_paper(render_ticket(sample_slip()))
    assert virtual.image().height == 2 * one.height + 1  # the first cut is marked


def test_unknown_commands_are_refused_with_their_offset() -> None:
    with pytest.raises(LayoutError, match=r"ESC 0x7a at 2"):
        render_paper(b"AB\x1bz\x01")


def test_a_raster_image_after_unfinished_text_is_refused() -> None:
    # Printers ignore GS v 0 while text waits on the line; a layout must not do that.
    with pytest.raises(LayoutError, match="text waiting"):
        render_paper(b"AB" + commands.raster_image(Image.new("1", (8, 1), 0)))


def test_truncated_commands_are_refused() -> None:
    with pytest.raises(LayoutError, match="cut short"):
        render_paper(b"\x1dv0\x00\x02\x00\x05\x00\xff")


def test_status_requests_leave_no_mark() -> None:
    assert render_paper(b"\x10\x04\x01" + commands.text_line("A")).height == 30
