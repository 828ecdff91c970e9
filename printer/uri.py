"""Printer URIs (CONTRACTS.md section 4): parsed and checked before any device is touched."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from urllib.parse import parse_qsl

from centre.serial_uri import BadSerialUri, parse_serial_uri
from printer.errors import BadPrinterUri
from printer.profiles import PROFILE_80MM, PrinterProfile, profile_named

SCHEMES = ("serial", "usb", "tcp", "file", "cups", "virtual")
DEFAULT_TCP_PORT = 9100
FLOW_CONTROLS = ("none", "rtscts", "dsrdtr", "xonxoff")
VIRTUAL_FAULTS = ("paper_out", "paper_near_end", "cover_open", "offline")

_COMMON_OPTIONS = ("paper", "qr", "timeout")
_OPTIONS = {
    "serial": (*_COMMON_OPTIONS, "baudrate", "flow"),
    "usb": (*_COMMON_OPTIONS, "in_ep", "out_ep"),
    "tcp": _COMMON_OPTIONS,
    "file": _COMMON_OPTIONS,
    "cups": _COMMON_OPTIONS,
    "virtual": (*_COMMON_OPTIONS, "fault"),
}
_USB_ID = re.compile(r"(?:0x)?([0-9a-f]{1,4})", re.IGNORECASE)
_HOST_PORT = re.compile(
    r"^(?:\[(?P<ipv6>[0-9a-fA-F:.]+)\]|(?P<host>[^:\[\]]+))(?::(?P<port>\d+))?$"
)
_QUEUE = re.compile(r"^[A-Za-z0-9_.@/-]+$")


@dataclass(frozen=True)
class PrinterUri:
    """A printer URI taken apart.

    ``target`` is the device path, host, CUPS queue or directory; ``number``
    and ``second_number`` hold the TCP port, the serial line's baud rate, or
    the USB vendor and product ids.
    Besides the forms of the contract, every URI takes the optional query
    options ``paper=80mm|tm-t88|58mm`` (or a python-escpos model name such as
    ``TM-T20II``), ``qr=native|image`` and ``timeout=SECONDS``.
    """

    text: str
    scheme: str
    target: str
    number: int | None = None
    second_number: int | None = None
    options: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def profile(self) -> PrinterProfile:
        """The paper and abilities the URI's options describe (80 mm, native QR by default)."""
        profile = profile_named(self.options["paper"]) if "paper" in self.options else PROFILE_80MM
        if self.options.get("qr") == "image":
            profile = replace(profile, native_qr=False)
        return profile

    @property
    def timeout_s(self) -> float | None:
        """The ``timeout`` option in seconds, if given."""
        return float(self.options["timeout"]) if "timeout" in self.options else None

    def __str__(self) -> str:
        return self.text


def parse_printer_uri(text: str) -> PrinterUri:
    """``text`` taken apart; :class:`BadPrinterUri` naming it when it is not a printer URI."""
    try:
        return _parse(text.strip())
    except BadPrinterUri as error:
        raise BadPrinterUri(f"bad printer URI {text!r}: {error}") from None


def _parse(text: str) -> PrinterUri:
    scheme, colon, rest = text.partition(":")
    scheme = scheme.lower()
    if not colon or scheme not in SCHEMES:
        raise BadPrinterUri(f"it must start with one of {', '.join(s + ':' for s in SCHEMES)}")
    body, _question, query = rest.partition("?")
    options = _options(scheme, query)
    if not body:
        raise BadPrinterUri(f"nothing follows {scheme}:")
    if scheme == "serial":
        # The line itself is read as every serial device's is; the options above are the printer's.
        try:
            line = parse_serial_uri(text, allowed=_OPTIONS["serial"])
        except BadSerialUri as error:
            raise BadPrinterUri(str(error)) from None
        uri = PrinterUri(text, scheme, line.device, line.baudrate, options=options)
    elif scheme == "tcp":
        host, port = _host_port(body)
        uri = PrinterUri(text, scheme, host, port, options=options)
    elif scheme == "usb":
        vendor, product = _usb_ids(body)
        uri = PrinterUri(text, scheme, body, vendor, product, options=options)
    elif scheme == "cups" and not _QUEUE.match(body):
        raise BadPrinterUri(f"{body!r} is not a CUPS queue name")
    else:
        uri = PrinterUri(text, scheme, body, options=options)
    _ = uri.profile  # an unknown paper name fails here, not at print time
    return uri


def _options(scheme: str, query: str) -> Mapping[str, str]:
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise BadPrinterUri(f"cannot read the options {query!r}") from None
    options: dict[str, str] = {}
    allowed = _OPTIONS[scheme]
    for key, value in pairs:
        if key not in allowed:
            raise BadPrinterUri(
                f"unknown option {key!r} (a {scheme}: printer takes {', '.join(allowed)})"
            )
        options[key] = value
    _check_number(options, "in_ep", 0, 0xFF)
    _check_number(options, "out_ep", 0, 0xFF)
    _check_choice(options, "flow", FLOW_CONTROLS)
    _check_choice(options, "qr", ("native", "image"))
    _check_choice(options, "fault", VIRTUAL_FAULTS)
    if "timeout" in options:
        try:
            timeout = float(options["timeout"])
        except ValueError:
            timeout = -1.0
        if not 0 < timeout <= 600:
            raise BadPrinterUri(
                f"timeout={options['timeout']} is not a number of seconds up to 600"
            )
    return MappingProxyType(options)


def _check_number(options: Mapping[str, str], key: str, low: int, high: int) -> None:
    if key not in options:
        return
    try:
        number = int(options[key], 0)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise BadPrinterUri(f"{key}={options[key]} is not a whole number from {low} to {high}")


def _check_choice(options: Mapping[str, str], key: str, choices: tuple[str, ...]) -> None:
    if key in options and options[key] not in choices:
        raise BadPrinterUri(f"{key}={options[key]} is not one of {', '.join(choices)}")


def _host_port(body: str) -> tuple[str, int]:
    match = _HOST_PORT.match(body)
    if match is None:
        raise BadPrinterUri(f"{body!r} is not host or host:port")
    host = match["ipv6"] or match["host"]
    port = int(match["port"]) if match["port"] else DEFAULT_TCP_PORT
    if not 1 <= port <= 65535:
        raise BadPrinterUri(f"port {port} is outside 1..65535")
    return host, port


def _usb_ids(body: str) -> tuple[int, int]:
    parts = body.split(":")
    if len(parts) != 2:
        raise BadPrinterUri("a USB printer is usb:VENDOR:PRODUCT, e.g. usb:0x04b8:0x0202")
    ids = []
    for part in parts:
        match = _USB_ID.fullmatch(part)
        if match is None:
            raise BadPrinterUri(f"{part!r} is not a hexadecimal USB id like 0x04b8")
        ids.append(int(match[1], 16))
    return ids[0], ids[1]
