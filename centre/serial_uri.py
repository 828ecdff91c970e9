"""Serial-line URIs (``serial:DEVICE?baudrate=N&…``) of printers, scanners and LED boards.

One parser for every device on a serial line (CONTRACTS.md sections 4 and 5):
the device path, the baud rate (9600 unless given) and whatever other options
the caller allows, as given. The caller checks the meaning of its own options
and names its own error: :class:`BadSerialUri` carries only the reason.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import parse_qsl

SCHEME = "serial"
DEFAULT_BAUDRATE = 9600
MIN_BAUDRATE = 50
MAX_BAUDRATE = 4_000_000


class BadSerialUri(ValueError):
    """A serial URI that cannot be understood; ``str(error)`` is the reason, without the URI."""


@dataclass(frozen=True)
class SerialUri:
    """A serial line taken apart: its device, baud rate and the other options as given."""

    device: str
    baudrate: int = DEFAULT_BAUDRATE
    options: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __str__(self) -> str:
        return f"{SCHEME}:{self.device}"


def parse_serial_uri(text: str, allowed: Collection[str] = ()) -> SerialUri:
    """``serial:DEVICE[?baudrate=N&…]`` taken apart; ``allowed``: options besides ``baudrate``.

    ``options`` keeps the other options given (the last value of a repeated
    one), stripped of spaces. Raises :class:`BadSerialUri` for another scheme, no
    device, an unknown option or a baud rate that is not a whole number from
    50 to 4,000,000.
    """
    scheme, colon, rest = text.strip().partition(":")
    if not colon or scheme.lower() != SCHEME:
        raise BadSerialUri(f"it must start with {SCHEME}:, e.g. serial:/dev/ttyUSB0?baudrate=9600")
    device, _, query = rest.partition("?")
    if not device:
        raise BadSerialUri(f"nothing names the device after {SCHEME}:")
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise BadSerialUri(f"cannot read the options {query!r}") from None
    known = ("baudrate", *allowed)
    options: dict[str, str] = {}
    for key, value in pairs:
        if key not in known:
            raise BadSerialUri(f"unknown option {key!r} (a serial line takes {', '.join(known)})")
        options[key] = value.strip()
    baudrate = DEFAULT_BAUDRATE
    if "baudrate" in options:
        given = options["baudrate"]
        baudrate = int(given) if given.isdigit() else 0
        if not MIN_BAUDRATE <= baudrate <= MAX_BAUDRATE:
            raise BadSerialUri(
                f"baudrate={given} is not a whole number from {MIN_BAUDRATE} to {MAX_BAUDRATE}"
            )
    options.pop("baudrate", None)
    return SerialUri(device, baudrate, MappingProxyType(options))


__all__ = ["DEFAULT_BAUDRATE", "BadSerialUri", "SerialUri", "parse_serial_uri"]
