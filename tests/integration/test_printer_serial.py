"""A real serial line through a socat pair of pseudo-terminals: bytes, status replies, faults."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import serial

from printer import (
    ConnectionLost,
    PaperOut,
    PrinterUnavailable,
    PrintSpooler,
    open_printer,
    print_now,
    read_status,
    render_ticket,
    sample_slip,
)
from printer.status import READY_STATUS, UNKNOWN_STATUS
from tests.helpers import socat_pair

ASK_PRINTER, ASK_OFFLINE_CAUSE, ASK_PAPER = b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04"
READY_REPLIES = {ASK_PRINTER: 0x16, ASK_OFFLINE_CAUSE: 0x12, ASK_PAPER: 0x12}
PAPER_OUT_REPLIES = {ASK_PRINTER: 0x1E, ASK_OFFLINE_CAUSE: 0x32, ASK_PAPER: 0x72}
STATUS_QUERIES = ASK_PRINTER + ASK_OFFLINE_CAUSE + ASK_PAPER


@dataclass
class SerialLine:
    """Two pseudo-terminals linked by socat: the host's end and the printer's end."""

    host_end: Path
    printer_end: Path
    socat: subprocess.Popen[bytes]

    @property
    def uri(self) -> str:
        return f"serial:{self.host_end}?baudrate=115200"


@pytest.fixture
def serial_line(tmp_path: Path) -> Iterator[SerialLine]:
    """A serial line through socat; the link goes when the test ends."""
    host_end, printer_end = tmp_path / "host", tmp_path / "printer"
    with socat_pair(printer_end, host_end) as process:
        yield SerialLine(host_end, printer_end, process)


class FakeSerialPrinter:
    """The printer's end of the line: keeps every byte and answers DLE EOT as told."""

    def __init__(self, device: Path, replies: dict[bytes, int] | None) -> None:
        self.received = bytearray()
        self._replies = replies
        self._port = serial.Serial(str(device), 115200, timeout=0.02)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        scanned = 0
        while not self._stop.is_set():
            chunk = self._port.read(4096)
            if not chunk:
                continue
            self.received += chunk
            # Real-time requests are answered as they arrive, as a printer does.
            while (found := self.received.find(b"\x10\x04", scanned)) != -1:
                if found + 2 >= len(self.received):
                    break
                request = bytes(self.received[found : found + 3])
                if self._replies is not None and request in self._replies:
                    self._port.write(bytes((self._replies[request],)))
                scanned = found + 3
            else:
                scanned = max(scanned, len(self.received) - 2)

    def wait_for(self, length: int, timeout: float = 5) -> bytes:
        deadline = time.monotonic() + timeout
        while len(self.received) < length and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)  # and nothing more comes
        return bytes(self.received)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._port.close()


@pytest.fixture
def printer_replies() -> dict[bytes, int] | None:
    return READY_REPLIES


@pytest.fixture
def fake_printer(
    serial_line: SerialLine, printer_replies: dict[bytes, int] | None
) -> Iterator[FakeSerialPrinter]:
    printer = FakeSerialPrinter(serial_line.printer_end, printer_replies)
    yield printer
    printer.close()


def test_the_printer_receives_exactly_the_ticket(
    serial_line: SerialLine, fake_printer: FakeSerialPrinter
) -> None:
    ticket = render_ticket(sample_slip())
    assert print_now(sample_slip(), serial_line.uri) == READY_STATUS
    expected = STATUS_QUERIES + ticket + STATUS_QUERIES
    assert fake_printer.wait_for(len(expected)) == expected


@pytest.mark.parametrize("printer_replies", [PAPER_OUT_REPLIES])
def test_paper_out_is_reported_and_no_ticket_is_sent(
    serial_line: SerialLine, fake_printer: FakeSerialPrinter
) -> None:
    with pytest.raises(PaperOut, match="is out of paper"):
        print_now(sample_slip(), serial_line.uri)
    assert fake_printer.wait_for(len(STATUS_QUERIES)) == STATUS_QUERIES


@pytest.mark.parametrize("printer_replies", [None])
def test_a_silent_printer_is_unknown_and_still_gets_the_ticket(
    serial_line: SerialLine, fake_printer: FakeSerialPrinter
) -> None:
    ticket = render_ticket(sample_slip())
    started = time.monotonic()
    assert print_now(sample_slip(), serial_line.uri) == UNKNOWN_STATUS
    assert time.monotonic() - started < 5  # two status time-outs, not a hang
    # Silence after the first question: the others are not asked.
    expected = ASK_PRINTER + ticket + ASK_PRINTER
    assert fake_printer.wait_for(len(expected)) == expected


@pytest.mark.parametrize("printer_replies", [PAPER_OUT_REPLIES])
def test_the_spooler_reports_paper_out_at_once(
    serial_line: SerialLine, fake_printer: FakeSerialPrinter
) -> None:
    uri = serial_line.uri
    failures: list[Exception] = []
    spooler = PrintSpooler(lambda: open_printer(uri), retry_delay_s=0.05)
    spooler.job_failed.connect(lambda job, error: failures.append(error))
    with spooler:
        job = spooler.submit(sample_slip())
        assert job.wait(10)
    assert job.attempts == 1
    assert [type(error) for error in failures] == [PaperOut]


def test_status_of_a_ready_printer(
    serial_line: SerialLine, fake_printer: FakeSerialPrinter
) -> None:
    assert read_status(serial_line.uri) == READY_STATUS


def test_a_printer_that_stops_taking_data(serial_line: SerialLine) -> None:
    # Nobody reads the printer's end: the pseudo-terminals fill up and stop taking
    # data, as a printer holding flow control does. The send gives up in time.
    transport = open_printer(f"{serial_line.uri}&timeout=0.5")
    started = time.monotonic()
    with pytest.raises(PrinterUnavailable, match="stopped taking data"):
        transport.send(b"\x00" * 1_000_000)
    transport.close()
    assert time.monotonic() - started < 10


def test_the_line_dropping_mid_ticket(serial_line: SerialLine) -> None:
    transport = open_printer(f"{serial_line.uri}&timeout=5")
    outcome: list[BaseException] = []

    def send_a_lot() -> None:
        try:
            transport.send(b"\x00" * 1_000_000)
        except BaseException as error:
            outcome.append(error)

    sender = threading.Thread(target=send_a_lot)
    sender.start()
    time.sleep(0.2)
    serial_line.socat.kill()  # the USB-serial adapter is pulled out
    sender.join(timeout=10)
    transport.close()
    assert not sender.is_alive()
    assert len(outcome) == 1
    assert isinstance(outcome[0], ConnectionLost)
    assert "dropped mid-ticket" in str(outcome[0])
