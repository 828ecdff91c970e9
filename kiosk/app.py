"""The kiosk's entry point: wires the view-model, window, printer spooler and scanners."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

from centre.port import CentrePort
from centre.usecases import TicketView
from kiosk.scanner import SerialScanner, parse_scanner_uri
from kiosk.viewmodel import IDLE_MS, KioskViewModel
from kiosk.window import KioskWindow
from printer import PrintSpooler, TicketSlip, open_printer, parse_printer_uri
from ui.app import application, check_qt
from ui.fonts import FontBook
from ui.i18n import SOURCE_LANGUAGE, Translations
from ui.signals import emit

log = logging.getLogger(__name__)


class ScannerBridge(QObject):
    """A serial scanner's callbacks, from its reader thread, as Qt signals on the GUI thread."""

    # scanned(text): one clean scan
    scanned = Signal(str)
    # noise(): an unreadable scan
    noise = Signal()
    # connected_changed(up): the scanner came or went
    connected_changed = Signal(bool)

    def on_scan(self, text: str) -> None:
        """For :class:`SerialScanner`'s ``on_scan``."""
        emit(self.scanned, text)

    def on_noise(self) -> None:
        """For :class:`SerialScanner`'s ``on_noise``."""
        emit(self.noise)

    def on_connected(self, up: bool) -> None:
        """For :class:`SerialScanner`'s ``on_connected``."""
        emit(self.connected_changed, up)


class LanguageSwitch(Protocol):
    """What switches the application's catalogue (:class:`ui.i18n.Translations` does)."""

    def use(self, lang: str) -> None:
        """Translate the application into ``lang``."""
        ...


@dataclass
class Kiosk:
    """A built kiosk: its parts, to show and start, then stop."""

    app: QApplication
    translations: LanguageSwitch
    view_model: KioskViewModel
    window: KioskWindow
    spooler: PrintSpooler | None
    scanner: SerialScanner | None
    bridge: ScannerBridge

    def start(self, *, fullscreen: bool = False) -> None:
        """Show the window and start the spooler, scanner and timers."""
        if fullscreen:
            self.window.showFullScreen()
        else:
            self.window.show()
        self.start_parts()

    def start_parts(self) -> None:
        """Start the spooler, scanner and timers; the window is shown by its holder (a tab)."""
        if self.spooler is not None:
            self.spooler.start()
        if self.scanner is not None:
            self.scanner.start()
        self.view_model.start()

    def stop(self) -> None:
        """Stop everything started, leaving the application's language as it was."""
        self.view_model.stop()
        if self.scanner is not None:
            self.scanner.stop()
        if self.spooler is not None:
            self.spooler.stop(timeout=5.0)
        self.app.removeEventFilter(self.window)
        self.window.close()
        self.window.deleteLater()
        self.translations.use(SOURCE_LANGUAGE)


def build_kiosk(
    centre: CentrePort,
    make_slip: Callable[[TicketView], TicketSlip] | None,
    printer_uri: str | None,
    *,
    exit_pin: str | None = None,
    idle_ms: int | None = None,
    print_attempts: int = 2,
    translations: LanguageSwitch | None = None,
) -> Kiosk:
    """Wire a kiosk on ``centre`` (needs a QApplication, made here if none); nothing runs yet.

    ``centre`` names this kiosk as its device (its printer's state is filed
    under it). The application's catalogue follows the visitor's language through
    ``translations`` (default: a :class:`Translations` of the application's own).
    """
    app = application()
    if translations is None:
        translations = Translations(app)
    spooler = None
    if printer_uri:
        uri = parse_printer_uri(printer_uri)
        spooler = PrintSpooler(lambda: open_printer(uri), uri.profile, attempts=print_attempts)
    pin = exit_pin if exit_pin is not None else os.environ.get("TABOOR_KIOSK_PIN")
    view_model = KioskViewModel(
        centre,
        make_slip=make_slip,
        spooler=spooler,
        printer_name=printer_uri or "",
        exit_pin=pin,
        idle_ms=IDLE_MS if idle_ms is None else idle_ms,
    )
    # The catalogue first, so the window retranslates into the new language.
    view_model.language_changed.connect(translations.use)
    translations.use(view_model.language)
    window = KioskWindow(view_model, FontBook.load())
    app.installEventFilter(window)
    view_model.exit_granted.connect(window.close)
    bridge = ScannerBridge(view_model)
    bridge.scanned.connect(view_model.scan)
    bridge.noise.connect(view_model.unreadable_scan)
    scanner = None
    scanner_uri = centre.config.scanner.scanner
    if scanner_uri:
        scanner = SerialScanner(
            parse_scanner_uri(scanner_uri),
            bridge.on_scan,
            on_noise=bridge.on_noise,
            on_connected=bridge.on_connected,
        )
    return Kiosk(app, translations, view_model, window, spooler, scanner, bridge)


def run_kiosk(
    centre: CentrePort,
    make_slip: Callable[[TicketView], TicketSlip] | None,
    printer_uri: str | None,
    fullscreen: bool = False,
) -> int:
    """Run the visitor kiosk on ``centre`` until staff close it; returns the exit code.

    Raises :class:`UnsupportedQt` on a PySide6 that loses references on this Python.
    """
    check_qt()
    kiosk = build_kiosk(centre, make_slip, printer_uri)
    if fullscreen:
        # A locked kiosk: on top, no pointer over a touchscreen; staff leave by the PIN.
        kiosk.window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        kiosk.window.setCursor(Qt.CursorShape.BlankCursor)
    kiosk.start(fullscreen=fullscreen)
    try:
        return kiosk.app.exec()
    finally:
        kiosk.stop()


__all__ = ["Kiosk", "LanguageSwitch", "ScannerBridge", "build_kiosk", "run_kiosk"]
