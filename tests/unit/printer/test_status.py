"""Printer status from DLE EOT replies: each bit read, silence taken as unknown."""

from __future__ import annotations

import pytest

from printer import CoverOpen, PaperLevel, PaperOut, PrinterOffline, PrinterStatus
from printer.status import READY_STATUS, UNKNOWN_STATUS, decode_status, is_status_byte, query_status

ONLINE = 0x16
OFFLINE = 0x1E
NO_CAUSE = 0x12
PAPER_FINE = 0x12
PAPER_NEAR_END = 0x1E
PAPER_OUT = 0x72


def test_a_ready_printer() -> None:
    assert decode_status(ONLINE, NO_CAUSE, None, PAPER_FINE) == READY_STATUS
    assert READY_STATUS.problem("tcp:p") is None
    assert READY_STATUS.describe() == "online, paper ok"


def test_paper_near_end_still_prints() -> None:
    status = decode_status(ONLINE, NO_CAUSE, None, PAPER_NEAR_END)
    assert status.paper is PaperLevel.NEAR_END
    assert status.problem("tcp:p") is None
    assert status.describe() == "online, paper near end"


def test_paper_out() -> None:
    status = decode_status(OFFLINE, 0x32, None, PAPER_OUT)
    assert status.paper is PaperLevel.OUT
    assert status.online is False
    problem = status.problem("serial:/dev/ttyS0")
    assert isinstance(problem, PaperOut)
    assert str(problem) == "printer serial:/dev/ttyS0 is out of paper"


def test_paper_end_told_by_the_offline_cause_alone() -> None:
    assert decode_status(OFFLINE, 0x32, None, None).paper is PaperLevel.OUT


def test_cover_open() -> None:
    status = decode_status(OFFLINE, 0x16, None, PAPER_FINE)
    assert status.cover_open is True
    assert isinstance(status.problem("usb:1:2"), CoverOpen)


def test_cutter_error() -> None:
    status = decode_status(OFFLINE, 0x52, 0x1A, PAPER_FINE)
    assert status.error is True
    assert isinstance(status.problem("usb:1:2"), PrinterOffline)


def test_silence_is_unknown_not_fine() -> None:
    # python-escpos says "paper adequate" when the printer says nothing; we do not.
    assert decode_status(None) == UNKNOWN_STATUS
    assert UNKNOWN_STATUS.paper is PaperLevel.UNKNOWN
    assert UNKNOWN_STATUS.problem("cups:Q") is None
    assert not UNKNOWN_STATUS.known
    assert "unknown" in UNKNOWN_STATUS.describe()


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (0x12, True),
        (0x16, True),
        (0x72, True),
        (0x11, False),
        (0x13, False),
        (0x00, False),
        (0xFF, False),
    ],
)
def test_status_bytes_have_fixed_bits(value: int, valid: bool) -> None:
    assert is_status_byte(value) is valid


def test_query_asks_printer_offline_cause_and_paper() -> None:
    asked: list[bytes] = []
    replies = {b"\x10\x04\x01": ONLINE, b"\x10\x04\x02": NO_CAUSE, b"\x10\x04\x04": PAPER_FINE}

    def exchange(request: bytes) -> int | None:
        asked.append(request)
        return replies[request]

    assert query_status(exchange) == READY_STATUS
    assert asked == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04"]


def test_query_asks_the_error_cause_only_when_there_is_an_error() -> None:
    asked: list[bytes] = []
    replies = {
        b"\x10\x04\x01": OFFLINE,
        b"\x10\x04\x02": 0x52,
        b"\x10\x04\x03": 0x1A,
        b"\x10\x04\x04": PAPER_FINE,
    }

    def exchange(request: bytes) -> int | None:
        asked.append(request)
        return replies[request]

    assert query_status(exchange).error is True
    assert asked == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x03", b"\x10\x04\x04"]


def test_query_stops_at_the_first_silence() -> None:
    asked: list[bytes] = []

    def exchange(request: bytes) -> int | None:
        asked.append(request)
        return None

    assert query_status(exchange) == UNKNOWN_STATUS
    assert asked == [b"\x10\x04\x01"]


def test_a_partial_answer_keeps_what_is_known() -> None:
    status = query_status(lambda request: ONLINE if request == b"\x10\x04\x01" else None)
    assert status == PrinterStatus(online=True)
    assert status.known
