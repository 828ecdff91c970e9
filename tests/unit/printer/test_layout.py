"""Ticket layout: exact text and framing bytes, wrapping, widths, languages, copies."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from printer import (
    PROFILE_58MM,
    PROFILE_80MM,
    PROFILE_TM_T88,
    LayoutError,
    PrinterProfile,
    TicketSlip,
    commands,
    render_ticket,
    render_ticket_raster,
    sample_slip,
)
from tests.unit.printer.fakes import Command, raster_widths, read_commands, text_lines

PROFILES = [PROFILE_80MM, PROFILE_TM_T88, PROFILE_58MM]
LONG_SERVICE = (
    "إصدار شهادة بدل فاقد لرخصة السياقة الدولية مع تحديث بيانات المركبة والعنوان وتجديد التأمين",
    "Replacement of a lost international driving permit with update of vehicle "
    "and address records and insurance renewal",
)


def test_ticket_is_framed_by_initialise_and_cut() -> None:
    data = render_ticket(sample_slip())
    assert data.startswith(b"\x1b@")
    assert data.endswith(b"\x1bd\x04\x1dV\x00")


def test_english_text_lines_in_order_on_80mm() -> None:
    lines = text_lines(render_ticket(sample_slip(), PROFILE_80MM))
    assert lines == [
        "General Directorate of Traffic - Dana Mall branch",
        "A023",
        "Driving licence renewal",
        "-" * 48,
        "Issued                          11/05/2025 09:42",
        "Appointment                                10:30",
        "People ahead of you                            7",
        "Estimated wait                            18 min",
        "-" * 48,
        "Please wait until your number is shown on the screen",
    ]


def test_big_number_bytes() -> None:
    data = render_ticket(sample_slip())
    assert b"\x1d!\x33\x1bE\x01A023\n\x1bE\x00\x1d!\x00" in data


def test_centre_name_fits_one_line_in_font_b_when_font_a_is_too_narrow() -> None:
    data = render_ticket(sample_slip())
    assert b"\x1bM\x01General Directorate of Traffic - Dana Mall branch\n\x1bM\x00" in data


def test_service_name_is_bold_and_double_height() -> None:
    data = render_ticket(sample_slip())
    assert b"\x1bE\x01\x1d!\x01Driving licence renewal\n\x1bE\x00\x1d!\x00" in data


def test_rows_are_left_aligned_under_right_aligned_arabic_labels() -> None:
    found = read_commands(render_ticket(sample_slip()))
    issued = found.index(Command("text", b"Issued" + b" " * 26 + b"11/05/2025 09:42"))
    # Before the English row: right alignment, the Arabic label strip, a gap, left alignment.
    assert [command.name for command in found[issued - 4 : issued]] == [
        "align",
        "raster",
        "feed_dots",
        "align",
    ]
    assert found[issued - 4].argument == b"\x02"
    assert found[issued - 1].argument == b"\x00"


def test_native_qr_carries_the_ticket_id() -> None:
    data = render_ticket(sample_slip())
    expected = commands.qr_code("traffic-dana-20250511-A023", module_dots=6)
    assert b"\x1ba\x01" + expected in data


def test_image_qr_when_the_printer_has_no_qr_command() -> None:
    profile = dataclasses.replace(PROFILE_80MM, native_qr=False)
    data = render_ticket(sample_slip(), profile)
    assert b"\x1d(k" not in data
    # 25 modules of 6 dots, 150 dots, padded to whole bytes; the virtual printer's
    # tests read the code back.
    assert 152 in raster_widths(data)


def test_the_sample_ticket_stays_under_six_kilobytes() -> None:
    # A regression guard on size (bytes, not time): a serial line at 115200 baud
    # sends 6 KB in about half a second.
    assert len(render_ticket(sample_slip(), PROFILE_80MM)) < 6 * 1024


@pytest.mark.parametrize("profile", PROFILES, ids=lambda profile: profile.name)
def test_nothing_is_wider_than_the_paper(profile: PrinterProfile) -> None:
    slip = dataclasses.replace(sample_slip(), service_name=LONG_SERVICE)
    data = render_ticket(slip, profile)
    assert max(raster_widths(data)) <= profile.width_dots
    scale = 1
    for command in read_commands(data):
        if command.name == "size":
            scale = (command.argument[0] >> 4) + 1
        elif command.name == "text":
            assert len(command.argument) * scale <= profile.columns_font_b


@pytest.mark.parametrize("profile", PROFILES, ids=lambda profile: profile.name)
def test_a_long_service_name_wraps(profile: PrinterProfile) -> None:
    slip = dataclasses.replace(sample_slip(), service_name=LONG_SERVICE)
    lines = text_lines(render_ticket(slip, profile))
    service_lines = lines[lines.index("A023") + 1 : lines.index("-" * profile.columns)]
    assert len(service_lines) >= 2
    assert " ".join(service_lines) == LONG_SERVICE[1]
    assert all(len(line) <= profile.columns_font_b for line in service_lines)


def test_a_word_wider_than_the_paper_is_broken_not_cut_off() -> None:
    slip = dataclasses.replace(sample_slip(), service_name=("تجديد" * 30, "X" * 100), footer=None)
    data = render_ticket(slip, PROFILE_58MM)
    assert max(raster_widths(data)) <= PROFILE_58MM.width_dots
    assert "".join(line for line in text_lines(data) if set(line) == {"X"}) == "X" * 100


def test_english_first_for_an_english_speaking_visitor() -> None:
    arabic_first = read_commands(render_ticket(sample_slip(lang="ar")))
    english_first = read_commands(render_ticket(sample_slip(lang="en")))
    assert next(c.name for c in arabic_first if c.name in ("raster", "text")) == "raster"
    assert next(c.name for c in english_first if c.name in ("raster", "text")) == "text"
    assert text_lines(render_ticket(sample_slip(lang="en"))) == text_lines(
        render_ticket(sample_slip(lang="ar"))
    )


def test_a_reprint_says_copy_and_the_original_does_not() -> None:
    assert "COPY - REPRINTED" in text_lines(render_ticket(sample_slip(copy=True)))
    assert "COPY - REPRINTED" not in text_lines(render_ticket(sample_slip()))
    copy_strips = len(raster_widths(render_ticket(sample_slip(copy=True))))
    assert copy_strips == len(raster_widths(render_ticket(sample_slip()))) + 1


def test_optional_rows_are_left_out() -> None:
    slip = dataclasses.replace(sample_slip(), slot=None, eta_minutes=None, footer=None)
    lines = text_lines(render_ticket(slip))
    assert not any(line.startswith(("Appointment", "Estimated wait", "Please")) for line in lines)
    assert any(line.startswith("People ahead of you") for line in lines)


def test_non_ascii_english_is_drawn_not_sent_as_text() -> None:
    slip = dataclasses.replace(
        sample_slip(), service_name=("تجديد", "Renouvellement du permis: café")
    )
    lines = text_lines(render_ticket(slip))
    assert not any("café" in line or "caf" in line for line in lines)


def test_printers_that_ignore_alignment_for_images_get_full_width_strips() -> None:
    profile = dataclasses.replace(PROFILE_80MM, raster_alignment=False)
    assert set(raster_widths(render_ticket(sample_slip(), profile))) == {576}


def test_whole_raster_ticket_is_one_image_the_paper_wide() -> None:
    data = render_ticket_raster(sample_slip())
    found = read_commands(data)
    assert [command.name for command in found if command.name != "raster"] == [
        "init",
        "feed_lines",
        "cut",
    ]
    assert set(raster_widths(data)) == {576}
    assert len(data) > 5 * len(render_ticket(sample_slip()))


def test_the_slip_has_no_place_for_a_cpr() -> None:
    names = {field.name for field in dataclasses.fields(TicketSlip)}
    assert not any("cpr" in name.lower() for name in names)


def test_a_slip_without_a_time_zone_is_refused() -> None:
    with pytest.raises(LayoutError, match="time zone"):
        dataclasses.replace(sample_slip(), issued_at=datetime.fromisoformat("2025-05-11T09:42"))


def test_layout_is_deterministic() -> None:
    assert render_ticket(sample_slip()) == render_ticket(sample_slip())
