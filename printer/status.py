"""Printer status from DLE EOT real-time replies; silence means unknown, never fine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from printer.commands import StatusRequest, status_request
from printer.errors import CoverOpen, PaperOut, PrinterNotReady, PrinterOffline

#: A real-time status byte always has bits 1 and 4 set and bits 0 and 7 clear.
_FIXED_MASK = 0x93
_FIXED_BITS = 0x12

# Bits of the four replies, as Epson's ESC/POS reference numbers them.
_PRINTER_OFFLINE = 0x08
_OFFLINE_COVER_OPEN = 0x04
_OFFLINE_PAPER_END = 0x20
_OFFLINE_ERROR = 0x40
_ERROR_CUTTER = 0x08
_ERROR_UNRECOVERABLE = 0x20
_ERROR_AUTO_RECOVERABLE = 0x40
_PAPER_NEAR_END = 0x0C
_PAPER_END = 0x60


class PaperLevel(Enum):
    """What the roll-paper sensors say."""

    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself; ``None`` where it said nothing."""

    online: bool | None = None
    paper: PaperLevel = PaperLevel.UNKNOWN
    cover_open: bool | None = None
    error: bool | None = None

    @property
    def known(self) -> bool:
        """Whether the printer answered at all."""
        return self != UNKNOWN_STATUS

    def problem(self, printer: str) -> PrinterNotReady | None:
        """The error that stops ``printer`` from printing, or None when nothing is known to."""
        if self.paper is PaperLevel.OUT:
            return PaperOut(f"printer {printer} is out of paper")
        if self.cover_open:
            return CoverOpen(f"printer {printer} has its cover open")
        if self.error:
            return PrinterOffline(
                f"printer {printer} reports an error (cutter jam or overheated head)"
            )
        if self.online is False:
            return PrinterOffline(f"printer {printer} is offline")
        return None

    def describe(self) -> str:
        """One line for logs and the supervisor's screen."""
        if not self.known:
            return "status unknown (the printer does not report it)"
        parts = [
            {True: "online", False: "offline", None: "online state unknown"}[self.online],
            f"paper {self.paper.value.replace('_', ' ')}",
        ]
        if self.cover_open:
            parts.append("cover open")
        if self.error:
            parts.append("in error")
        return ", ".join(parts)


UNKNOWN_STATUS = PrinterStatus()
READY_STATUS = PrinterStatus(online=True, paper=PaperLevel.OK, cover_open=False, error=False)


def is_status_byte(value: int) -> bool:
    """Whether ``value`` has the fixed bits of a DLE EOT reply (and is not stray data)."""
    return value & _FIXED_MASK == _FIXED_BITS


def decode_status(
    printer: int | None,
    offline_cause: int | None = None,
    error_cause: int | None = None,
    paper: int | None = None,
) -> PrinterStatus:
    """The status that the replies to DLE EOT 1, 2, 3 and 4 describe; None for no reply."""
    if printer is None:
        return UNKNOWN_STATUS
    paper_out = (paper is not None and bool(paper & _PAPER_END)) or (
        offline_cause is not None and bool(offline_cause & _OFFLINE_PAPER_END)
    )
    if paper_out:
        level = PaperLevel.OUT
    elif paper is None:
        level = PaperLevel.UNKNOWN
    elif paper & _PAPER_NEAR_END:
        level = PaperLevel.NEAR_END
    else:
        level = PaperLevel.OK
    error: bool | None = None
    if error_cause is not None:
        error = bool(error_cause & (_ERROR_CUTTER | _ERROR_UNRECOVERABLE | _ERROR_AUTO_RECOVERABLE))
    elif offline_cause is not None:
        error = bool(offline_cause & _OFFLINE_ERROR)
    return PrinterStatus(
        online=not printer & _PRINTER_OFFLINE,
        paper=level,
        cover_open=None if offline_cause is None else bool(offline_cause & _OFFLINE_COVER_OPEN),
        error=error,
    )


def query_status(exchange: Callable[[bytes], int | None]) -> PrinterStatus:
    """Ask the printer through ``exchange``, which sends a request and returns the reply or None.

    Stops at the first silence: a printer that does not answer DLE EOT 1 will
    not answer the others, and each silence costs a time-out.
    """
    printer = exchange(status_request(StatusRequest.PRINTER))
    if printer is None:
        return UNKNOWN_STATUS
    offline_cause = exchange(status_request(StatusRequest.OFFLINE_CAUSE))
    error_cause = None
    if offline_cause is not None and offline_cause & _OFFLINE_ERROR:
        error_cause = exchange(status_request(StatusRequest.ERROR_CAUSE))
    paper = exchange(status_request(StatusRequest.PAPER)) if offline_cause is not None else None
    return decode_status(printer, offline_cause, error_cause, paper)
