"""The printer package's exceptions: bad URIs, unreachable printers, printers that cannot print."""

from __future__ import annotations

from typing import ClassVar


class PrinterError(Exception):
    """Base of every error the printer package raises on purpose.

    ``str(error)`` is a one-line English message naming the printer; ``code``
    names the reason for screens that translate it; ``retryable`` tells the
    spooler whether trying again soon may help without a person stepping in.
    """

    code: ClassVar[str] = "printer_error"
    retryable: ClassVar[bool] = False


class BadPrinterUri(PrinterError):
    """A printer URI that cannot be understood."""

    code = "bad_printer_uri"


class LayoutError(PrinterError):
    """A ticket that cannot be laid out: a missing font or a slip that makes no sense."""

    code = "layout_error"


class PrinterUnavailable(PrinterError):
    """The printer cannot be reached: unplugged, switched off, refused, no permission."""

    code = "printer_unavailable"
    retryable = True


class ConnectionLost(PrinterUnavailable):
    """The link to the printer dropped while a ticket was being sent."""

    code = "printer_connection_lost"


class PrinterNotReady(PrinterError):
    """The printer answers but cannot print until a person sees to it."""

    code = "printer_not_ready"


class PaperOut(PrinterNotReady):
    """The printer has no paper."""

    code = "printer_paper_out"


class CoverOpen(PrinterNotReady):
    """The printer's cover is open."""

    code = "printer_cover_open"


class PrinterOffline(PrinterNotReady):
    """The printer says it is offline or in error (cutter jam, overheated head)."""

    code = "printer_offline"
