"""File and virtual printers end to end: bytes on disk, a FIFO that stalls, the QR on the paper."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PIL import Image

from printer import (
    PROFILE_58MM,
    PrinterUnavailable,
    PrintSpooler,
    open_printer,
    print_now,
    render_ticket,
    sample_slip,
)
from tests.unit.printer.fakes import decode_qr_codes


def read_qr_codes(path: Path) -> list[str]:
    with Image.open(path) as paper:
        return decode_qr_codes(paper)


def test_the_virtual_printer_paper_shows_the_ticket_id_as_a_qr_code(tmp_path: Path) -> None:
    print_now(sample_slip(), f"virtual:{tmp_path}")
    assert read_qr_codes(tmp_path / "traffic-dana-20250511-A023.png") == [
        "traffic-dana-20250511-A023"
    ]
    assert (tmp_path / "traffic-dana-20250511-A023.bin").read_bytes() == render_ticket(
        sample_slip()
    )


def test_the_spooler_prints_on_the_virtual_printer(tmp_path: Path) -> None:
    uri = f"virtual:{tmp_path}?paper=58mm&qr=image"
    spooler = PrintSpooler(lambda: open_printer(uri), PROFILE_58MM)
    with spooler:
        job = spooler.submit(sample_slip())
        assert job.wait(10)
    assert job.printed
    assert read_qr_codes(tmp_path / "traffic-dana-20250511-A023.png") == [
        "traffic-dana-20250511-A023"
    ]


def test_a_file_printer_gets_the_exact_bytes(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    print_now(sample_slip(), f"file:{device}")
    assert device.read_bytes() == render_ticket(sample_slip())


def test_a_device_nobody_reads_is_refused_not_hung(tmp_path: Path) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    with pytest.raises(PrinterUnavailable, match="cannot open"):
        open_printer(f"file:{fifo}")  # no reader at all: like a printer switched off


def test_a_device_that_stops_taking_data_times_out(tmp_path: Path) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # opened, never read: a stalled printer
    try:
        printer = open_printer(f"file:{fifo}?timeout=0.3")
        started = time.monotonic()
        with pytest.raises(PrinterUnavailable, match="stopped taking data"):
            printer.send(b"\x00" * 1_000_000)
        assert time.monotonic() - started < 5
        printer.close()
    finally:
        os.close(reader)
