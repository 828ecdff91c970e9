"""Connections to printers by URI: each sends bytes, reads status where it can, and closes."""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import re
import select
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

import serial

from centre.process import os_error_reason
from centre.serial_uri import DEFAULT_BAUDRATE
from printer.errors import ConnectionLost, PrinterUnavailable
from printer.profiles import PrinterProfile
from printer.status import (
    READY_STATUS,
    UNKNOWN_STATUS,
    PaperLevel,
    PrinterStatus,
    is_status_byte,
    query_status,
)
from printer.uri import PrinterUri, parse_printer_uri
from printer.virtual import render_paper

#: How long to wait to open a connection, and for a stalled printer to take data again.
DEFAULT_TIMEOUT_S = 5.0
#: How long to wait for one status reply; a printer that does not answer is "unknown".
STATUS_TIMEOUT_S = 0.3
#: Serial writes go in chunks this big, so a stall is noticed whatever the ticket's size.
SERIAL_CHUNK = 1024


class Transport(Protocol):
    """An open connection to one printer, named by its URI in every error it raises."""

    name: str

    def send(self, data: bytes, job_name: str = "ticket") -> None:
        """Send ``data`` whole; :class:`PrinterUnavailable` if the printer does not take it."""

    def status(self) -> PrinterStatus:
        """What the printer says about itself; :data:`UNKNOWN_STATUS` when it cannot say."""

    def close(self) -> None:
        """Let go of the connection; safe to call twice."""


TransportFactory = Callable[[], Transport]


def open_printer(uri: str | PrinterUri) -> Transport:
    """Connect to the printer a URI names.

    Raises :class:`BadPrinterUri` for a URI that makes no sense and
    :class:`PrinterUnavailable` for a printer that cannot be reached.
    """
    parsed = parse_printer_uri(uri) if isinstance(uri, str) else uri
    timeout_s = parsed.timeout_s or DEFAULT_TIMEOUT_S
    if parsed.scheme == "serial":
        return SerialTransport(parsed, timeout_s=timeout_s)
    if parsed.scheme == "tcp":
        return TcpTransport(parsed, timeout_s=timeout_s)
    if parsed.scheme == "file":
        return FileTransport(parsed, timeout_s=timeout_s)
    if parsed.scheme == "usb":
        return UsbTransport(parsed, timeout_s=timeout_s)
    if parsed.scheme == "cups":
        return CupsTransport(parsed, timeout_s=timeout_s)
    return VirtualTransport(parsed)


class SerialTransport:
    """An RS-232 or USB-serial printer through pyserial; reads DLE EOT replies itself."""

    def __init__(
        self,
        uri: PrinterUri,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        status_timeout_s: float = STATUS_TIMEOUT_S,
    ) -> None:
        self.name = str(uri)
        self._timeout_s = timeout_s
        self._status_timeout_s = status_timeout_s
        self._baudrate = uri.number or DEFAULT_BAUDRATE
        flow = uri.options.get("flow", "none")
        try:
            self._port = serial.Serial(
                port=uri.target,
                baudrate=self._baudrate,
                timeout=status_timeout_s,
                write_timeout=timeout_s,
                rtscts=flow == "rtscts",
                dsrdtr=flow == "dsrdtr",
                xonxoff=flow == "xonxoff",
                exclusive=True,  # two processes interleaving two tickets would garble both
            )
        except (serial.SerialException, ValueError, OSError) as error:
            raise PrinterUnavailable(
                f"printer {self.name}: cannot open {uri.target}: {os_error_reason(error)}"
            ) from error

    def send(self, data: bytes, job_name: str = "ticket") -> None:
        # A stall is no progress for the time-out, whatever the ticket's size: each chunk
        # gets the time-out plus half again the ten bit times a byte takes on the line.
        chunk_s = SERIAL_CHUNK * 10 / self._baudrate * 1.5
        try:
            self._port.write_timeout = self._timeout_s + chunk_s
            for offset in range(0, len(data), SERIAL_CHUNK):
                self._port.write(data[offset : offset + SERIAL_CHUNK])
            self._wait_until_sent()
        except serial.SerialTimeoutException as error:
            with contextlib.suppress(serial.SerialException, OSError):
                self._port.reset_output_buffer()  # a ticket printed minutes later would confuse
            raise PrinterUnavailable(
                f"printer {self.name} stopped taking data: is it out of paper or offline?"
            ) from error
        except (serial.SerialException, OSError) as error:
            reason = os_error_reason(error)
            raise ConnectionLost(
                f"printer {self.name}: the serial line dropped mid-ticket ({reason})"
            ) from error

    def _wait_until_sent(self) -> None:
        # Not tcdrain (pyserial's flush), which waits forever on a printer holding flow control.
        waiting = self._port.out_waiting
        progress_at = time.monotonic()
        while waiting:
            time.sleep(0.005)
            now_waiting = self._port.out_waiting
            if now_waiting < waiting:
                progress_at = time.monotonic()
            elif time.monotonic() - progress_at > self._timeout_s:
                raise serial.SerialTimeoutException("the line stopped draining")
            waiting = now_waiting

    def status(self) -> PrinterStatus:
        try:
            self._port.reset_input_buffer()  # drop stray bytes so a reply is not mistaken
            return query_status(self._exchange)
        except (serial.SerialException, OSError) as error:
            raise ConnectionLost(
                f"printer {self.name}: the serial line dropped ({os_error_reason(error)})"
            ) from error

    def _exchange(self, request: bytes) -> int | None:
        self._port.write(request)
        deadline = time.monotonic() + self._status_timeout_s
        while (remaining := deadline - time.monotonic()) > 0:
            self._port.timeout = remaining
            reply: bytes = self._port.read(1)
            if not reply:
                return None
            if is_status_byte(reply[0]):
                return reply[0]
        return None

    def close(self) -> None:
        with contextlib.suppress(serial.SerialException, OSError):
            self._port.close()


class TcpTransport:
    """An Ethernet printer on its raw port (9100 by default)."""

    def __init__(
        self,
        uri: PrinterUri,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        status_timeout_s: float = STATUS_TIMEOUT_S,
    ) -> None:
        self.name = str(uri)
        self._timeout_s = timeout_s
        self._status_timeout_s = status_timeout_s
        address = (uri.target, uri.number)
        try:
            self._socket = socket.create_connection(address, timeout=timeout_s)
        except ConnectionRefusedError as error:
            raise PrinterUnavailable(
                f"printer {self.name} refused the connection: is it on, and is the port right?"
            ) from error
        except TimeoutError as error:
            raise PrinterUnavailable(
                f"printer {self.name} did not answer within {timeout_s:g} s"
            ) from error
        except socket.gaierror as error:
            raise PrinterUnavailable(f"printer {self.name}: unknown host {uri.target}") from error
        except OSError as error:
            raise PrinterUnavailable(f"printer {self.name}: {os_error_reason(error)}") from error

    def send(self, data: bytes, job_name: str = "ticket") -> None:
        try:
            self._socket.settimeout(self._timeout_s)
            self._socket.sendall(data)
        except TimeoutError as error:
            raise PrinterUnavailable(
                f"printer {self.name} stopped taking data: is it out of paper or offline?"
            ) from error
        except OSError as error:
            raise ConnectionLost(
                f"printer {self.name} dropped the connection mid-ticket ({os_error_reason(error)})"
            ) from error

    def status(self) -> PrinterStatus:
        try:
            self._discard_pending()
            return query_status(self._exchange)
        except TimeoutError:
            return UNKNOWN_STATUS
        except OSError as error:
            raise ConnectionLost(
                f"printer {self.name} dropped the connection ({os_error_reason(error)})"
            ) from error

    def _discard_pending(self) -> None:
        self._socket.setblocking(False)
        try:
            while True:
                pending = self._socket.recv(256)
                if not pending:
                    raise ConnectionLost(f"printer {self.name} closed the connection")
        except BlockingIOError:
            pass
        finally:
            self._socket.settimeout(self._status_timeout_s)

    def _exchange(self, request: bytes) -> int | None:
        self._socket.sendall(request)
        deadline = time.monotonic() + self._status_timeout_s
        while (remaining := deadline - time.monotonic()) > 0:
            self._socket.settimeout(remaining)
            try:
                reply = self._socket.recv(1)
            except TimeoutError:
                return None
            if not reply:
                raise ConnectionLost(f"printer {self.name} closed the connection")
            if is_status_byte(reply[0]):
                return reply[0]
        return None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)
        self._socket.close()


class FileTransport:
    """A printer the kernel shows as a file (``/dev/usb/lp0``), or a file collecting the bytes."""

    def __init__(self, uri: PrinterUri, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.name = str(uri)
        self._timeout_s = timeout_s
        path = Path(uri.target)
        # Under /dev a missing file means an unplugged printer; creating one there would
        # swallow tickets. Elsewhere the file collects the bytes.
        flags = os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK
        if not path.is_absolute() or path.parts[1:2] != ("dev",):
            flags |= os.O_CREAT
        try:
            self._fd: int | None = os.open(path, flags, 0o644)
        except FileNotFoundError as error:
            raise PrinterUnavailable(
                f"printer {self.name}: {path} does not exist: is the printer plugged in?"
            ) from error
        except PermissionError as error:
            raise PrinterUnavailable(
                f"printer {self.name}: no permission to write {path} "
                "(is this user in the lp group?)"
            ) from error
        except OSError as error:
            raise PrinterUnavailable(
                f"printer {self.name}: cannot open {path}: {os_error_reason(error)}"
            ) from error

    def send(self, data: bytes, job_name: str = "ticket") -> None:
        if self._fd is None:
            raise ConnectionLost(f"printer {self.name} is closed")
        deadline = time.monotonic() + self._timeout_s
        view = memoryview(data)
        try:
            while view:
                # A printer device that stops taking data (paper out) must not hang the caller.
                remaining = deadline - time.monotonic()
                _, writable, _ = select.select([], [self._fd], [], max(0.0, remaining))
                if not writable:
                    raise PrinterUnavailable(
                        f"printer {self.name} stopped taking data: is it out of paper or offline?"
                    )
                try:
                    written = os.write(self._fd, view)
                except BlockingIOError:
                    continue
                view = view[written:]
        except OSError as error:
            if error.errno in (errno.ENODEV, errno.EIO, errno.ENXIO):
                raise ConnectionLost(f"printer {self.name} was unplugged mid-ticket") from error
            raise ConnectionLost(f"printer {self.name}: {os_error_reason(error)}") from error

    def status(self) -> PrinterStatus:
        return UNKNOWN_STATUS  # the kernel's lp device does not pass real-time status through

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


class UsbTransport:
    """A USB printer class device through pyusb and libusb, claimed from the kernel's lp driver."""

    def __init__(
        self,
        uri: PrinterUri,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        status_timeout_s: float = STATUS_TIMEOUT_S,
    ) -> None:
        self.name = str(uri)
        self._timeout_ms = int(timeout_s * 1000)
        self._status_timeout_ms = int(status_timeout_s * 1000)
        core, util = self._pyusb()
        self._core, self._util = core, util
        ids = f"{uri.number:04x}:{uri.second_number:04x}"
        try:
            device = core.find(idVendor=uri.number, idProduct=uri.second_number)
        except core.NoBackendError as error:
            raise PrinterUnavailable(
                f"printer {self.name}: no USB library found (install libusb-1.0)"
            ) from error
        if device is None:
            raise PrinterUnavailable(f"printer {self.name} is not connected: no USB device {ids}")
        self._device: Any = device
        try:
            with contextlib.suppress(NotImplementedError, core.USBError):
                if device.is_kernel_driver_active(0):
                    device.detach_kernel_driver(0)
            try:
                configuration = device.get_active_configuration()
            except core.USBError:
                device.set_configuration()
                configuration = device.get_active_configuration()
            interface = configuration[(0, 0)]
            self._out = self._endpoint(interface, util.ENDPOINT_OUT, uri.options.get("out_ep"))
            self._in = self._endpoint(interface, util.ENDPOINT_IN, uri.options.get("in_ep"))
        except core.USBError as error:
            reason = os_error_reason(error)
            raise PrinterUnavailable(
                f"printer {self.name}: {reason} (does a udev rule let this user use it?)"
            ) from error
        if self._out is None:
            raise PrinterUnavailable(
                f"printer {self.name}: USB device {ids} has no output endpoint"
            )

    @staticmethod
    def _pyusb() -> tuple[ModuleType, ModuleType]:
        try:
            return importlib.import_module("usb.core"), importlib.import_module("usb.util")
        except ImportError as error:
            raise PrinterUnavailable(
                "USB printers need the pyusb package (pip install pyusb)"
            ) from error

    def _endpoint(self, interface: Any, direction: int, override: str | None) -> int | None:
        if override is not None:
            return int(override, 0)
        util = self._util
        endpoint = util.find_descriptor(
            interface,
            custom_match=lambda found: util.endpoint_direction(found.bEndpointAddress) == direction,
        )
        return None if endpoint is None else int(endpoint.bEndpointAddress)

    def send(self, data: bytes, job_name: str = "ticket") -> None:
        try:
            self._device.write(self._out, data, self._timeout_ms)
        except self._core.USBTimeoutError as error:
            raise PrinterUnavailable(
                f"printer {self.name} stopped taking data: is it out of paper or offline?"
            ) from error
        except self._core.USBError as error:
            raise ConnectionLost(
                f"printer {self.name} was unplugged mid-ticket ({os_error_reason(error)})"
            ) from error

    def status(self) -> PrinterStatus:
        if self._in is None:
            return UNKNOWN_STATUS  # a one-way printer cannot answer
        try:
            return query_status(self._exchange)
        except self._core.USBError as error:
            raise ConnectionLost(f"printer {self.name}: {os_error_reason(error)}") from error

    def _exchange(self, request: bytes) -> int | None:
        self._device.write(self._out, request, self._timeout_ms)
        try:
            reply = bytes(self._device.read(self._in, 16, self._status_timeout_ms))
        except self._core.USBTimeoutError:
            return None
        replies = [value for value in reply if is_status_byte(value)]
        return replies[-1] if replies else None

    def close(self) -> None:
        with contextlib.suppress(self._core.USBError):
            self._util.dispose_resources(self._device)


class CupsTransport:
    """A CUPS queue, sent raw through ``lp``; CUPS passes no paper status back."""

    def __init__(self, uri: PrinterUri, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.name = str(uri)
        self._queue = uri.target
        self._timeout_s = timeout_s
        lp = shutil.which("lp")
        if lp is None:
            raise PrinterUnavailable(
                f"printer {self.name}: the lp command is missing (install the CUPS client)"
            )
        self._lp = lp

    def send(self, data: bytes, job_name: str = "ticket") -> None:
        command = [self._lp, "-d", self._queue, "-o", "raw", "-t", job_name]
        try:
            done = subprocess.run(  # noqa: S603  (fixed program, queue name checked by the URI parser)
                command, input=data, capture_output=True, timeout=self._timeout_s, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise PrinterUnavailable(
                f"printer {self.name}: lp did not finish within {self._timeout_s:g} s"
            ) from error
        except OSError as error:
            raise PrinterUnavailable(
                f"printer {self.name}: cannot run lp: {os_error_reason(error)}"
            ) from error
        if done.returncode != 0:
            said = done.stderr.decode(errors="replace").strip().splitlines()
            raise PrinterUnavailable(
                f"printer {self.name}: lp refused the job: {said[-1] if said else done.returncode}"
            )

    def status(self) -> PrinterStatus:
        # python-escpos's CUPS connector reports "no paper" for every queue; CUPS cannot know.
        lpstat = shutil.which("lpstat")
        if lpstat is None:
            return UNKNOWN_STATUS
        try:
            done = subprocess.run(  # noqa: S603
                [lpstat, "-p", self._queue],
                capture_output=True,
                timeout=self._timeout_s,
                check=False,
            )
        except (subprocess.TimeoutExpired, OSError):
            return UNKNOWN_STATUS
        if done.returncode == 0 and b" disabled" in done.stdout:
            return PrinterStatus(online=False)
        return UNKNOWN_STATUS

    def close(self) -> None:
        pass


_VIRTUAL_FAULTS = {
    "paper_out": PrinterStatus(online=False, paper=PaperLevel.OUT, cover_open=False, error=False),
    "paper_near_end": PrinterStatus(
        online=True, paper=PaperLevel.NEAR_END, cover_open=False, error=False
    ),
    "cover_open": PrinterStatus(online=False, paper=PaperLevel.OK, cover_open=True, error=False),
    "offline": PrinterStatus(online=False, paper=PaperLevel.OK, cover_open=False, error=False),
}


class VirtualTransport:
    """A printer writing ``<job>.bin`` (the exact bytes) and ``<job>.png`` (the paper) to a folder.

    The ``fault=`` option makes it report a fault, to rehearse what a kiosk does then.
    """

    def __init__(self, uri: PrinterUri, profile: PrinterProfile | None = None) -> None:
        self.name = str(uri)
        self.directory = Path(uri.target).expanduser()
        self.profile = profile or uri.profile
        self.written: list[Path] = []
        self._status = _VIRTUAL_FAULTS.get(uri.options.get("fault", ""), READY_STATUS)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PrinterUnavailable(
                f"printer {self.name}: cannot use {self.directory}: {os_error_reason(error)}"
            ) from error

    def send(self, data: bytes, job_name: str = "ticket") -> None:
        stem = re.sub(r"[^A-Za-z0-9._-]", "_", job_name).lstrip(".") or "ticket"
        binary = self.directory / f"{stem}.bin"
        picture = self.directory / f"{stem}.png"
        paper = render_paper(data, self.profile)
        try:
            binary.write_bytes(data)
            paper.save(picture)
        except OSError as error:
            raise PrinterUnavailable(
                f"printer {self.name}: cannot write {binary}: {os_error_reason(error)}"
            ) from error
        self.written = [binary, picture]

    def status(self) -> PrinterStatus:
        return self._status

    def close(self) -> None:
        pass
