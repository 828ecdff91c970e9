"""Barcode scanners: a serial scanner read off the GUI thread, and what counts as a clean scan.

A keyboard-wedge scanner types into the kiosk window like a keyboard and
needs nothing here but :func:`clean_scan`. A serial scanner
(``serial:/dev/ttyACM0?baudrate=9600``, CONTRACTS.md section 5) ends each
payload with CR or LF; :class:`SerialScanner` reads it in a thread, drops
noise and over-long lines, and reconnects when the scanner is unplugged.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Callable
from typing import Any, Protocol

from centre.retry import RetrySchedule
from centre.serial_uri import BadSerialUri, SerialUri, parse_serial_uri

log = logging.getLogger(__name__)

# A booking QR is at most a few hundred characters; anything longer is not one.
MAX_SCAN = 2048
READ_TIMEOUT_S = 0.1
#: Waits between attempts to open the scanner's port.
RETRY = RetrySchedule(base=0.2, cap=5.0)


class KioskError(Exception):
    """Base of the kiosk's own errors."""


class BadScannerUri(KioskError):
    """A scanner setting that is not ``serial:DEVICE[?baudrate=N]``."""


def parse_scanner_uri(text: str) -> SerialUri:
    """``serial:/dev/ttyACM0?baudrate=9600`` taken apart; :class:`BadScannerUri` names a bad one."""
    try:
        return parse_serial_uri(text)
    except BadSerialUri as error:
        raise BadScannerUri(f"bad scanner {text!r}: {error}") from None


def clean_scan(raw: bytes | str) -> str | None:
    """The payload of one scan, or ``None`` when it is noise (binary, control codes, too long).

    What comes back is printable text with the line ending and surrounding
    spaces removed; the check-in rules then decide what it means.
    """
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    else:
        text = raw
    text = text.strip(" \t\r\n")
    if not text or len(text) > MAX_SCAN:
        return None
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in text):
        return None
    return text


class SerialPort(Protocol):
    """What the reader needs of a pyserial port."""

    def read(self, size: int = 1) -> bytes: ...
    def close(self) -> None: ...


PortOpener = Callable[[SerialUri], SerialPort]


def open_serial_port(uri: SerialUri) -> SerialPort:
    """Open the scanner's serial port with pyserial."""
    import serial  # noqa: PLC0415 - pyserial loads only on kiosks with a serial scanner

    port: Any = serial.Serial(uri.device, uri.baudrate, timeout=READ_TIMEOUT_S)
    return port  # type: ignore[no-any-return]


class SerialScanner:
    """Reads scans from a serial scanner in a background thread.

    ``on_scan(text)`` hears each clean scan; ``on_noise()`` each unreadable
    one; ``on_connected(bool)`` when the scanner comes or goes. They are
    called from the reader's thread: a Qt view-model re-emits them as signals.
    """

    def __init__(
        self,
        uri: SerialUri,
        on_scan: Callable[[str], None],
        *,
        on_noise: Callable[[], None] | None = None,
        on_connected: Callable[[bool], None] | None = None,
        opener: PortOpener = open_serial_port,
        retry: RetrySchedule = RETRY,
    ) -> None:
        self.uri = uri
        self._on_scan = on_scan
        self._on_noise = on_noise or (lambda: None)
        self._on_connected = on_connected or (lambda _up: None)
        self._opener = opener
        self._retry = retry
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = False

    def start(self) -> None:
        """Start reading (returns at once)."""
        if self._thread is not None:
            raise RuntimeError("the scanner reader is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="serial-scanner", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 2.0) -> None:
        """Stop reading and close the port."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def __enter__(self) -> SerialScanner:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                port = self._opener(self.uri)
            except Exception as error:  # unplugged, no permission, wrong device
                self._set_connected(False)
                delay = self._retry.delay(failures)
                failures += 1
                log.debug("scanner %s not available: %s", self.uri.device, error)
                self._stop.wait(delay)
                continue
            failures = 0
            self._set_connected(True)
            try:
                self._read_lines(port)
            except Exception as error:  # unplugged while reading
                log.info("scanner %s went away: %s", self.uri.device, error)
            finally:
                try:
                    port.close()
                except Exception:  # it is gone already
                    log.debug("closing scanner %s failed", self.uri.device)
            self._set_connected(False)

    def _read_lines(self, port: SerialPort) -> None:
        pending = bytearray()
        overflowing = False
        while not self._stop.is_set():
            chunk = port.read(256)
            if not chunk:
                continue
            pending += chunk
            while True:
                ends = [i for i in (pending.find(b"\r"), pending.find(b"\n")) if i != -1]
                if not ends:
                    break
                end = min(ends)
                line, pending = bytes(pending[:end]), pending[end + 1 :]
                if overflowing:
                    overflowing = False  # the tail of a line already reported as noise
                    continue
                if line.strip(b" \t"):
                    self._deliver(line)
            if len(pending) > MAX_SCAN:
                # A line this long is not a booking: report it once, skip to its end.
                pending.clear()
                if not overflowing:
                    self._on_noise()
                overflowing = True

    def _deliver(self, line: bytes) -> None:
        text = clean_scan(line)
        if text is None:
            self._on_noise()
        else:
            self._on_scan(text)

    def _set_connected(self, up: bool) -> None:
        if up != self.connected:
            self.connected = up
            self._on_connected(up)
