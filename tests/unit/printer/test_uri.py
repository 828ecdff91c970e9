"""Printer URIs: the contract's six forms, their options, one-line errors naming bad ones."""

from __future__ import annotations

import pytest

from printer import PROFILE_58MM, PROFILE_80MM, BadPrinterUri, open_printer, parse_printer_uri


def test_serial() -> None:
    uri = parse_printer_uri("serial:/dev/ttyUSB0?baudrate=38400")
    assert (uri.scheme, uri.target, uri.options["baudrate"]) == ("serial", "/dev/ttyUSB0", "38400")


def test_usb() -> None:
    uri = parse_printer_uri("usb:0x04b8:0x0202")
    assert (uri.scheme, uri.number, uri.second_number) == ("usb", 0x04B8, 0x0202)
    assert parse_printer_uri("usb:04b8:0e15").second_number == 0x0E15


@pytest.mark.parametrize(
    ("text", "host", "port"),
    [
        ("tcp:192.168.1.50", "192.168.1.50", 9100),
        ("tcp:printer.local:9101", "printer.local", 9101),
        ("tcp:[::1]:9100", "::1", 9100),
    ],
)
def test_tcp(text: str, host: str, port: int) -> None:
    uri = parse_printer_uri(text)
    assert (uri.target, uri.number) == (host, port)


def test_file_cups_virtual() -> None:
    assert parse_printer_uri("file:/dev/usb/lp0").target == "/dev/usb/lp0"
    assert parse_printer_uri("cups:TM-T20II").target == "TM-T20II"
    assert parse_printer_uri("virtual:out/tickets").target == "out/tickets"


def test_printer_models_from_python_escpos() -> None:
    tm_t20 = parse_printer_uri("usb:0x04b8:0x0e15?paper=TM-T20II").profile
    assert (tm_t20.width_dots, tm_t20.dpi, tm_t20.native_qr) == (576, 203, True)
    cheap = parse_printer_uri("usb:0x0416:0x5011?paper=pos-5890").profile
    assert (cheap.width_dots, cheap.dpi, cheap.native_qr) == (384, 203, False)


def test_a_model_without_a_known_width_is_refused() -> None:
    with pytest.raises(BadPrinterUri, match="does not know the paper width of RP326"):
        parse_printer_uri("tcp:p?paper=RP326")


def test_profile_options() -> None:
    assert parse_printer_uri("tcp:p").profile == PROFILE_80MM
    assert parse_printer_uri("tcp:p?paper=58mm").profile == PROFILE_58MM
    assert parse_printer_uri("usb:1:2?qr=image").profile.native_qr is False
    assert parse_printer_uri("serial:/dev/ttyS0?timeout=2.5").timeout_s == 2.5


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "must start with"),
        ("lpt:1", "must start with"),
        ("/dev/usb/lp0", "must start with"),
        ("tcp:", "nothing follows tcp:"),
        ("tcp:host:0", "port 0"),
        ("tcp:host:99999", "port 99999"),
        ("tcp:a:b:c", "host or host:port"),
        ("usb:0x04b8", "usb:VENDOR:PRODUCT"),
        ("usb:0x04b8:zz", "hexadecimal"),
        ("serial:/dev/ttyS0?baudrate=fast", "baudrate=fast"),
        ("serial:/dev/ttyS0?baud=9600", "unknown option 'baud'"),
        ("serial:/dev/ttyS0?flow=magic", "flow=magic"),
        ("tcp:p?paper=a4", "unknown paper profile 'a4'"),
        ("tcp:p?timeout=-1", "timeout=-1"),
        ("cups:bad queue", "CUPS queue"),
        ("virtual:out?fault=fire", "fault=fire"),
        ("tcp:p?fault=paper_out", "unknown option 'fault'"),
    ],
)
def test_bad_uris_name_themselves_in_one_line(text: str, reason: str) -> None:
    with pytest.raises(BadPrinterUri) as caught:
        parse_printer_uri(text)
    message = str(caught.value)
    assert message.startswith(f"bad printer URI {text!r}: ")
    assert reason in message
    assert "\n" not in message


def test_open_printer_refuses_a_bad_uri_before_touching_anything() -> None:
    with pytest.raises(BadPrinterUri, match="lpt:1"):
        open_printer("lpt:1")
