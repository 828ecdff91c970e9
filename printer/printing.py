"""Printing one ticket now: check the printer, send the bytes, check again; and previews."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image

from printer.errors import PaperOut
from printer.layout import render_ticket
from printer.profiles import PROFILE_80MM, PrinterProfile
from printer.slip import TicketSlip
from printer.status import PaperLevel, PrinterStatus
from printer.transports import Transport, TransportFactory, open_printer
from printer.uri import PrinterUri, parse_printer_uri
from printer.virtual import render_paper

Printer = str | PrinterUri | TransportFactory


def job_name(slip: TicketSlip) -> str:
    """The name a ticket's print job goes by (the virtual printer's file names)."""
    return f"{slip.ticket_id}-copy" if slip.copy else slip.ticket_id


def deliver(
    transport: Transport,
    data: bytes,
    name: str = "ticket",
    on_status: Callable[[PrinterStatus], None] | None = None,
) -> PrinterStatus:
    """Send ``data`` to an open printer and return its status afterwards.

    Refuses before sending when the printer says it cannot print (paper out,
    cover open, offline), so no half ticket comes out; after sending, a printer
    that now reports no paper ran out during the ticket. A printer that does
    not answer is given the ticket anyway: silence is "unknown", not "broken".
    """
    before = transport.status()
    if on_status is not None:
        on_status(before)
    problem = before.problem(transport.name)
    if problem is not None:
        raise problem
    transport.send(data, name)
    after = transport.status()
    if on_status is not None:
        on_status(after)
    if after.paper is PaperLevel.OUT:
        raise PaperOut(f"printer {transport.name} ran out of paper during ticket {name}")
    return after if after.known else before


def print_now(
    slip: TicketSlip,
    printer: Printer,
    profile: PrinterProfile | None = None,
) -> PrinterStatus:
    """Lay out and print ``slip`` at once, in this thread; raise :class:`PrinterError` if it fails.

    ``printer`` is a URI (whose ``paper=`` and ``qr=`` options choose the
    profile unless ``profile`` is given) or a function that opens a transport.
    """
    chosen = profile or _profile_of(printer)
    data = render_ticket(slip, chosen)
    transport = _open(printer)
    try:
        return deliver(transport, data, job_name(slip))
    finally:
        transport.close()


def read_status(printer: Printer) -> PrinterStatus:
    """Ask the printer how it is, opening and closing the connection."""
    transport = _open(printer)
    try:
        return transport.status()
    finally:
        transport.close()


def preview_image(slip: TicketSlip, profile: PrinterProfile = PROFILE_80MM) -> Image.Image:
    """What the printed ticket looks like, drawn by the virtual printer from the real bytes."""
    return render_paper(render_ticket(slip, profile), profile)


def save_preview(slip: TicketSlip, path: Path, profile: PrinterProfile = PROFILE_80MM) -> Path:
    """Write the ticket's picture as a PNG at the paper's real width in dots."""
    preview_image(slip, profile).save(path, format="PNG")
    return path


def _profile_of(printer: Printer) -> PrinterProfile:
    if isinstance(printer, str):
        return parse_printer_uri(printer).profile
    if isinstance(printer, PrinterUri):
        return printer.profile
    return PROFILE_80MM


def _open(printer: Printer) -> Transport:
    if isinstance(printer, str | PrinterUri):
        return open_printer(printer)
    return printer()
