"""Ethernet printers on a local listener: exact bytes, refused connections, drops mid-ticket."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from printer import (
    ConnectionLost,
    PrinterError,
    PrinterUnavailable,
    PrintSpooler,
    open_printer,
    print_now,
    read_status,
    render_ticket,
    sample_slip,
)
from printer.status import READY_STATUS, UNKNOWN_STATUS

READY_REPLIES = {b"\x10\x04\x01": 0x16, b"\x10\x04\x02": 0x12, b"\x10\x04\x04": 0x12}
STATUS_QUERIES = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"


class FakeNetworkPrinter:
    """A raw-port printer on 127.0.0.1: keeps each connection's bytes, may answer status.

    ``close_after`` makes it reset each connection once it has that many bytes,
    as a printer that reboots or loses its link mid-ticket does.
    """

    def __init__(
        self, replies: dict[bytes, int] | None = None, close_after: int | None = None
    ) -> None:
        self.connections: list[bytes] = []
        self._replies = replies
        self._close_after = close_after
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def uri(self) -> str:
        return f"tcp:127.0.0.1:{self.port}?timeout=2"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            with connection:
                self._talk(connection)

    def _talk(self, connection: socket.socket) -> None:
        connection.settimeout(0.05)
        received = bytearray()
        index = len(self.connections)
        self.connections.append(b"")
        while not self._stop.is_set():
            try:
                chunk = connection.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not chunk:
                break
            received += chunk
            self.connections[index] = bytes(received)
            if self._close_after is not None and len(received) >= self._close_after:
                # Linger 0: close with a reset, as a printer that drops the link does.
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if self._replies and bytes(received[-3:]) in self._replies:
                connection.sendall(bytes((self._replies[bytes(received[-3:])],)))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()


@pytest.fixture
def network_printer() -> Iterator[FakeNetworkPrinter]:
    printer = FakeNetworkPrinter(READY_REPLIES)
    yield printer
    printer.close()


def wait_for(condition: Callable[[], bool], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def closed_port() -> int:
    """A local port with nobody listening: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_printer_receives_exactly_the_ticket(network_printer: FakeNetworkPrinter) -> None:
    ticket = render_ticket(sample_slip())
    assert print_now(sample_slip(), network_printer.uri) == READY_STATUS
    expected = STATUS_QUERIES + ticket + STATUS_QUERIES
    wait_for(lambda: network_printer.connections == [expected])
    assert network_printer.connections == [expected]


def test_a_printer_that_does_not_answer_status_still_prints() -> None:
    printer = FakeNetworkPrinter(replies=None)
    try:
        assert print_now(sample_slip(), printer.uri) == UNKNOWN_STATUS
        expected = b"\x10\x04\x01" + render_ticket(sample_slip()) + b"\x10\x04\x01"
        wait_for(lambda: printer.connections == [expected])
        assert printer.connections == [expected]
    finally:
        printer.close()


def test_status(network_printer: FakeNetworkPrinter) -> None:
    assert read_status(network_printer.uri) == READY_STATUS


def test_a_refused_connection_is_one_clear_line() -> None:
    uri = f"tcp:127.0.0.1:{closed_port()}"
    with pytest.raises(PrinterUnavailable) as caught:
        open_printer(uri)
    assert (
        str(caught.value)
        == f"printer {uri} refused the connection: is it on, and is the port right?"
    )


def test_a_printer_closing_mid_ticket_is_noticed() -> None:
    printer = FakeNetworkPrinter(READY_REPLIES, close_after=len(STATUS_QUERIES) + 1000)
    try:
        with pytest.raises(ConnectionLost, match="dropped the connection"):
            print_now(sample_slip(), printer.uri)
    finally:
        printer.close()


def test_the_spooler_retries_a_refusing_printer_then_reports_failure() -> None:
    uri = f"tcp:127.0.0.1:{closed_port()}?timeout=1"
    failures: list[PrinterError] = []
    retries: list[float] = []
    spooler = PrintSpooler(lambda: open_printer(uri), attempts=3, retry_delay_s=0.05)
    spooler.job_failed.connect(lambda job, error: failures.append(error))
    spooler.job_retrying.connect(lambda job, error, delay: retries.append(delay))
    with spooler:
        job = spooler.submit(sample_slip())
        assert job.wait(10)
    assert job.attempts == 3
    assert retries == [0.05, 0.1]
    assert len(failures) == 1
    assert isinstance(failures[0], PrinterUnavailable)
    assert "refused the connection" in str(failures[0])


def test_the_spooler_retries_a_printer_dropping_mid_ticket() -> None:
    printer = FakeNetworkPrinter(READY_REPLIES, close_after=len(STATUS_QUERIES) + 1000)
    failures: list[PrinterError] = []
    spooler = PrintSpooler(lambda: open_printer(printer.uri), attempts=2, retry_delay_s=0.05)
    spooler.job_failed.connect(lambda job, error: failures.append(error))
    try:
        with spooler:
            job = spooler.submit(sample_slip())
            assert job.wait(10)
    finally:
        printer.close()
    assert job.attempts == 2
    assert len(printer.connections) == 2
    assert [type(error) for error in failures] == [ConnectionLost]
