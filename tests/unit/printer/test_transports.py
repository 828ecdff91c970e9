"""Transports that need no device: virtual, file, and the clear errors of missing ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from printer import (
    PROFILE_58MM,
    PaperOut,
    PrinterUnavailable,
    open_printer,
    print_now,
    read_status,
    render_ticket,
    sample_slip,
    save_preview,
)
from printer.status import READY_STATUS, UNKNOWN_STATUS


def test_virtual_printer_writes_the_bytes_and_the_paper(tmp_path: Path) -> None:
    folder = tmp_path / "tickets"
    assert print_now(sample_slip(), f"virtual:{folder}") == READY_STATUS
    binary = folder / "traffic-dana-20250511-A023.bin"
    assert binary.read_bytes() == render_ticket(sample_slip())
    with Image.open(folder / "traffic-dana-20250511-A023.png") as paper:
        assert paper.width == 576


def test_virtual_printer_paper_option_and_copies(tmp_path: Path) -> None:
    print_now(sample_slip(copy=True), f"virtual:{tmp_path}?paper=58mm")
    assert (tmp_path / "traffic-dana-20250511-A023-copy.bin").read_bytes() == render_ticket(
        sample_slip(copy=True), PROFILE_58MM
    )
    with Image.open(tmp_path / "traffic-dana-20250511-A023-copy.png") as paper:
        assert paper.width == 384


def test_virtual_printer_rehearses_paper_out(tmp_path: Path) -> None:
    with pytest.raises(PaperOut, match=r"virtual:.*\?fault=paper_out is out of paper"):
        print_now(sample_slip(), f"virtual:{tmp_path}?fault=paper_out")
    assert list(tmp_path.iterdir()) == []


def test_virtual_printer_job_names_stay_inside_the_folder(tmp_path: Path) -> None:
    printer = open_printer(f"virtual:{tmp_path}")
    printer.send(b"\x1b@", "../../etc/passwd")
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "_.._etc_passwd.bin",
        "_.._etc_passwd.png",
    ]


def test_file_printer_appends_exact_bytes(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    print_now(sample_slip(), f"file:{target}")
    print_now(sample_slip(copy=True), f"file:{target}")
    assert target.read_bytes() == render_ticket(sample_slip()) + render_ticket(
        sample_slip(copy=True)
    )
    assert read_status(f"file:{target}") == UNKNOWN_STATUS


def test_an_unplugged_device_file_is_not_created() -> None:
    with pytest.raises(PrinterUnavailable, match=r"/dev/usb/lp-taboor-missing does not exist"):
        open_printer("file:/dev/usb/lp-taboor-missing")
    assert not Path("/dev/usb/lp-taboor-missing").exists()


def test_a_missing_serial_port() -> None:
    with pytest.raises(PrinterUnavailable) as caught:
        open_printer("serial:/dev/ttyTABOOR-missing?baudrate=38400")
    message = str(caught.value)
    assert message.startswith("printer serial:/dev/ttyTABOOR-missing?baudrate=38400: cannot open")
    assert "\n" not in message


def test_a_usb_printer_that_is_not_plugged_in() -> None:
    # Whether pyusb or libusb is missing or the device is: one clear line.
    with pytest.raises(PrinterUnavailable) as caught:
        open_printer("usb:0x04b8:0x0e99")
    assert "\n" not in str(caught.value)
    assert "usb" in str(caught.value).lower()


def test_cups_without_the_lp_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(PrinterUnavailable, match="the lp command is missing"):
        open_printer("cups:TM-T20")


def test_cups_sends_raw_through_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    received = tmp_path / "received.bin"
    arguments = tmp_path / "arguments.txt"
    fake_lp = tmp_path / "lp"
    fake_lp.write_text(f'#!/bin/sh\necho "$@" > {arguments}\ncat > {received}\n')
    fake_lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}/usr/bin{os.pathsep}/bin")
    print_now(sample_slip(), "cups:TM-T20")
    assert received.read_bytes() == render_ticket(sample_slip())
    assert arguments.read_text().split() == [
        "-d",
        "TM-T20",
        "-o",
        "raw",
        "-t",
        "traffic-dana-20250511-A023",
    ]


def test_cups_refusing_the_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_lp = tmp_path / "lp"
    fake_lp.write_text(
        '#!/bin/sh\ncat > /dev/null\necho "lp: The printer or class does not exist." >&2\nexit 1\n'
    )
    fake_lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}/usr/bin{os.pathsep}/bin")
    with pytest.raises(
        PrinterUnavailable, match=r"lp refused the job: lp: The printer or class does not exist\."
    ):
        print_now(sample_slip(), "cups:Nope")


def test_save_preview(tmp_path: Path) -> None:
    path = save_preview(sample_slip(), tmp_path / "ticket.png", PROFILE_58MM)
    with Image.open(path) as picture:
        assert picture.width == 384
        assert picture.height > 600
