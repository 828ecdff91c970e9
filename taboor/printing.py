"""Printing tickets for the command line and the screens: the slip, the printer, failures logged."""

from __future__ import annotations

from pathlib import Path

from centre.config import CentreConfig
from centre.errors import BadInput, Refused
from centre.port import CentrePort
from centre.usecases import TicketView
from printer import PrinterError, PrinterStatus, TicketSlip, print_now
from taboor.bootstrap import data_dir


def kiosk_printer(config: CentreConfig) -> str | None:
    """The kiosk's printer; ``None`` when none is configured (tickets shown to photograph)."""
    return printer_uri(config) if config.printer.uri else None


def printer_uri(config: CentreConfig, given: str | None = None) -> str:
    """The printer to use: ``given``, else the config's (``TABOOR_PRINTER`` overrides it).

    A relative ``virtual:`` folder lives in the data directory; the config's
    ``native_qr`` and ``profile`` become URI options unless the URI sets them.
    """
    settings = config.printer
    uri = given or settings.uri
    if not uri:
        raise BadInput("no printer: set [printer] uri in the config, TABOOR_PRINTER or --printer")
    scheme, _, rest = uri.partition(":")
    if scheme == "virtual":
        folder, query_mark, query = rest.partition("?")
        if not Path(folder).is_absolute():
            folder = str(data_dir() / folder)
        uri = f"virtual:{folder}{query_mark}{query}"
    options = []
    if not settings.native_qr and "qr=" not in uri:
        options.append("qr=image")
    if settings.profile and "paper=" not in uri:
        options.append(f"paper={settings.profile}")
    if options:
        uri += ("&" if "?" in uri else "?") + "&".join(options)
    return uri


def slip_for(config: CentreConfig, view: TicketView, *, copy: bool = False) -> TicketSlip:
    """What the paper shows for a ticket (never a CPR); a checked-in booking's slot too."""
    ticket = view.ticket
    zone = config.centre.zone
    service = config.service(ticket.service)
    slot = f"{view.slot_start.astimezone(zone):%H:%M}" if view.slot_start is not None else None
    footer = config.centre.footer
    return TicketSlip(
        ticket_id=ticket.id,
        number=ticket.number,
        centre_name=(config.centre.name.ar, config.centre.name.en),
        service_name=(service.name.ar, service.name.en),
        issued_at=ticket.issued_at.astimezone(zone),
        ahead=view.ahead,
        eta_minutes=view.eta_minutes,
        slot=slot,
        footer=(footer.ar, footer.en) if footer else None,
        copy=copy,
        lang=ticket.lang,
        link=view.link,
    )


def print_ticket(
    centre: CentrePort, view: TicketView, *, printer: str | None = None, copy: bool = False
) -> PrinterStatus:
    """Print a committed ticket now on ``printer`` (a URI; ``None``: the config's).

    A failure is logged for the supervisor through the port and re-raised.
    """
    uri = printer_uri(centre.config, printer)
    try:
        return print_now(slip_for(centre.config, view, copy=copy), uri)
    except PrinterError as error:
        centre.record_print_failure(view.ticket, uri, error.code)
        raise


def reprint(centre: CentrePort, ref: str, *, printer: str | None = None) -> str:
    """Print a ticket again as a copy (the supervisor's reprint); returns its number.

    ``printer`` as for :func:`print_ticket`. A printer failure is a
    :class:`centre.errors.Refused` with one line saying so, since the
    supervisor's screen shows the centre's errors.
    """
    view = centre.ticket_view(ref)
    number = view.ticket.number
    try:
        print_ticket(centre, view, printer=printer, copy=True)
    except PrinterError as error:
        raise Refused(f"ticket {number} did not print: {error}", number=number) from None
    return number
