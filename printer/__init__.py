"""Ticket printing: layout to ESC/POS bytes, printers by URI, a virtual printer, and a spooler.

Exceptions (all in :mod:`printer.errors`)::

    PrinterError                anything the printer package refuses or fails at on purpose
     ├── BadPrinterUri          a printer URI that cannot be understood; names it
     ├── LayoutError            a slip that cannot be laid out (a font missing, no ticket id)
     ├── PrinterUnavailable     the printer cannot be reached: unplugged, off, refused,
     │    │                     no permission, stopped taking data. Retryable.
     │    └── ConnectionLost    the link dropped mid-ticket (part of it may have printed)
     └── PrinterNotReady        the printer answers but a person must act first
          ├── PaperOut
          ├── CoverOpen
          └── PrinterOffline    offline, or in error (cutter jam, overheated head)
"""

from printer.errors import (
    BadPrinterUri,
    ConnectionLost,
    CoverOpen,
    LayoutError,
    PaperOut,
    PrinterError,
    PrinterNotReady,
    PrinterOffline,
    PrinterUnavailable,
)
from printer.layout import render_ticket, render_ticket_raster
from printer.printing import (
    deliver,
    job_name,
    preview_image,
    print_now,
    read_status,
    save_preview,
)
from printer.profiles import (
    PROFILE_58MM,
    PROFILE_80MM,
    PROFILE_TM_T88,
    PROFILES,
    PrinterProfile,
    profile_named,
)
from printer.slip import TicketSlip, sample_slip
from printer.spooler import Callbacks, PrintJob, PrintSpooler
from printer.status import PaperLevel, PrinterStatus
from printer.transports import Transport, TransportFactory, open_printer
from printer.uri import PrinterUri, parse_printer_uri
from printer.virtual import VirtualPaper, render_paper

__all__ = [
    "PROFILES",
    "PROFILE_58MM",
    "PROFILE_80MM",
    "PROFILE_TM_T88",
    "BadPrinterUri",
    "Callbacks",
    "ConnectionLost",
    "CoverOpen",
    "LayoutError",
    "PaperLevel",
    "PaperOut",
    "PrintJob",
    "PrintSpooler",
    "PrinterError",
    "PrinterNotReady",
    "PrinterOffline",
    "PrinterProfile",
    "PrinterStatus",
    "PrinterUnavailable",
    "PrinterUri",
    "TicketSlip",
    "Transport",
    "TransportFactory",
    "VirtualPaper",
    "deliver",
    "job_name",
    "open_printer",
    "parse_printer_uri",
    "preview_image",
    "print_now",
    "profile_named",
    "read_status",
    "render_paper",
    "render_ticket",
    "render_ticket_raster",
    "sample_slip",
    "save_preview",
]
