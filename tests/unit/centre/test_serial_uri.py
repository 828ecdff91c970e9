"""The one parser of serial-line URIs that printers, scanners and LED boards share."""

from __future__ import annotations

import pytest

from centre.serial_uri import BadSerialUri, SerialUri, parse_serial_uri


def test_a_device_alone_talks_at_9600() -> None:
    assert parse_serial_uri("serial:/dev/ttyUSB1") == SerialUri("/dev/ttyUSB1", 9600)
    assert str(parse_serial_uri(" serial:/dev/ttyS0 ")) == "serial:/dev/ttyS0"


def test_the_baud_rate_and_the_callers_options() -> None:
    line = parse_serial_uri("serial:/dev/ttyS1?baudrate=19200&ack=1&ack=0", allowed=("ack",))
    assert (line.device, line.baudrate) == ("/dev/ttyS1", 19200)
    assert dict(line.options) == {"ack": "0"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "must start with serial:"),
        ("usb:1", "must start with serial:"),
        ("/dev/ttyUSB0", "must start with serial:"),
        ("serial:", "nothing names the device"),
        ("serial:?baudrate=9600", "nothing names the device"),
        ("serial:/dev/x?baudrate=fast", "baudrate=fast is not a whole number from 50"),
        ("serial:/dev/x?baudrate=0", "baudrate=0"),
        ("serial:/dev/x?baudrate=-9600", "baudrate=-9600"),
        ("serial:/dev/x?baudrate=9000000", "baudrate=9000000"),
        ("serial:/dev/x?parity=E", "unknown option 'parity'"),
        ("serial:/dev/x?ack", "cannot read the options"),
    ],
)
def test_a_bad_uri_gives_its_reason(text: str, reason: str) -> None:
    with pytest.raises(BadSerialUri, match=reason):
        parse_serial_uri(text, allowed=("ack",))
