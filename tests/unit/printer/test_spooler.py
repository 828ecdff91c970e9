"""Printing now and through the spooler: checks before and after, retries, callbacks, no hangs."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from printer import (
    ConnectionLost,
    CoverOpen,
    LayoutError,
    PaperLevel,
    PaperOut,
    PrinterError,
    PrinterStatus,
    PrinterUnavailable,
    PrintJob,
    PrintSpooler,
    Transport,
    deliver,
    print_now,
    render_ticket,
    sample_slip,
)
from printer.status import READY_STATUS, UNKNOWN_STATUS
from tests.unit.printer.fakes import FakeTransport

WAIT_S = 10
PAPER_OUT = PrinterStatus(online=False, paper=PaperLevel.OUT, cover_open=False, error=False)
NEAR_END = PrinterStatus(online=True, paper=PaperLevel.NEAR_END, cover_open=False, error=False)


class Recorder:
    """Collects what a spooler reports, for the test thread to look at."""

    def __init__(self, spooler: PrintSpooler) -> None:
        self.done: list[PrintJob] = []
        self.failed: list[tuple[PrintJob, PrinterError]] = []
        self.retrying: list[tuple[PrintJob, PrinterError, float]] = []
        self.statuses: list[PrinterStatus] = []
        spooler.job_done.connect(self.done.append)
        spooler.job_failed.connect(lambda job, error: self.failed.append((job, error)))
        spooler.job_retrying.connect(
            lambda job, error, delay: self.retrying.append((job, error, delay))
        )
        spooler.status_changed.connect(self.statuses.append)


def factory_of(*transports: FakeTransport | PrinterError) -> Callable[[], Transport]:
    """Opens the given transports in turn, raising those that are errors; the last repeats."""
    queue = list(transports)

    def open_next() -> Transport:
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, PrinterError):
            raise item
        return item

    return open_next


def test_deliver_checks_sends_and_checks_again() -> None:
    printer = FakeTransport(statuses=[READY_STATUS, NEAR_END])
    assert deliver(printer, b"ticket", "A023") == NEAR_END
    assert printer.sent == [("A023", b"ticket")]


def test_deliver_sends_nothing_to_a_printer_without_paper() -> None:
    printer = FakeTransport(statuses=[PAPER_OUT])
    with pytest.raises(PaperOut, match="fake:printer is out of paper"):
        deliver(printer, b"ticket")
    assert printer.sent == []


def test_deliver_reports_paper_running_out_during_the_ticket() -> None:
    printer = FakeTransport(statuses=[READY_STATUS, PAPER_OUT])
    with pytest.raises(PaperOut, match="ran out of paper during ticket A023"):
        deliver(printer, b"ticket", "A023")


def test_deliver_prints_when_the_printer_cannot_tell_its_status() -> None:
    printer = FakeTransport(statuses=[UNKNOWN_STATUS])
    assert deliver(printer, b"ticket") == UNKNOWN_STATUS
    assert printer.sent == [("ticket", b"ticket")]


def test_print_now_sends_the_layout_and_closes() -> None:
    printer = FakeTransport()
    print_now(sample_slip(), lambda: printer)
    assert printer.sent == [("traffic-dana-20250511-A023", render_ticket(sample_slip()))]
    assert printer.closed


def test_print_now_raises_and_still_closes() -> None:
    printer = FakeTransport(statuses=[PrinterStatus(online=False, cover_open=True)])
    with pytest.raises(CoverOpen):
        print_now(sample_slip(copy=True), lambda: printer)
    assert printer.closed


def test_a_spooled_ticket_prints_and_reports_done() -> None:
    printer = FakeTransport()
    spooler = PrintSpooler(factory_of(printer))
    seen = Recorder(spooler)
    with spooler:
        job = spooler.submit(sample_slip())
        assert job.wait(WAIT_S)
    assert job.printed
    assert job.attempts == 1
    assert seen.done == [job]
    assert seen.failed == []
    assert printer.sent == [("traffic-dana-20250511-A023", render_ticket(sample_slip()))]
    assert seen.statuses == [READY_STATUS]
    assert spooler.status == READY_STATUS


def test_an_unreachable_printer_is_retried_then_reported() -> None:
    unreachable = PrinterUnavailable("printer tcp:p refused the connection")
    spooler = PrintSpooler(factory_of(unreachable), attempts=3, retry_delay_s=0.01)
    seen = Recorder(spooler)
    with spooler:
        job = spooler.submit(sample_slip())
        assert job.wait(WAIT_S)
    assert not job.printed
    assert job.attempts == 3
    assert [delay for _, _, delay in seen.retrying] == [0.01, 0.02]
    assert seen.failed == [(job, unreachable)]
    assert seen.statuses == [PrinterStatus(online=False)]


def test_a_retry_that_succeeds_prints_once() -> None:
    printer = FakeTransport()
    dropped = ConnectionLost("printer tcp:p dropped the connection mid-ticket")
    spooler = PrintSpooler(factory_of(dropped, printer), retry_delay_s=0.01)
    seen = Recorder(spooler)
    with spooler:
        job = spooler.submit(sample_slip())
        assert job.wait(WAIT_S)
    assert job.printed
    assert job.attempts == 2
    assert len(seen.retrying) == 1
    assert len(printer.sent) == 1


def test_paper_out_fails_at_once_without_retrying() -> None:
    printer = FakeTransport(statuses=[PAPER_OUT])
    spooler = PrintSpooler(factory_of(printer), retry_delay_s=0.01)
    seen = Recorder(spooler)
    with spooler:
        job = spooler.submit(sample_slip())
        assert job.wait(WAIT_S)
    assert job.attempts == 1
    assert seen.retrying == []
    assert isinstance(job.error, PaperOut)
    assert printer.sent == []
    assert seen.statuses == [PAPER_OUT]


def test_an_unexpected_error_fails_the_job_not_the_thread() -> None:
    printer = FakeTransport()
    spooler = PrintSpooler(factory_of(printer))
    with spooler:
        broken = spooler.submit_bytes(b"\x1b@", "raw")
        broken.slip = None
        broken.data = None  # neither bytes nor a slip: the worker must survive it
        good = spooler.submit(sample_slip())
        assert good.wait(WAIT_S)
        assert broken.wait(WAIT_S)
    assert isinstance(broken.error, PrinterError)
    assert good.printed


def test_a_callback_that_raises_does_not_stop_the_spooler(caplog: pytest.LogCaptureFixture) -> None:
    printer = FakeTransport()
    spooler = PrintSpooler(factory_of(printer))

    def broken_callback(job: PrintJob) -> None:
        raise RuntimeError("screen went away")

    spooler.job_done.connect(broken_callback)
    with spooler:
        first = spooler.submit(sample_slip())
        second = spooler.submit(sample_slip(copy=True))
        assert second.wait(WAIT_S)
    assert first.printed
    assert second.printed
    assert "a job_done callback failed" in caplog.text


def test_jobs_print_in_order_off_the_calling_thread() -> None:
    printer = FakeTransport()
    threads: list[str] = []

    def opening() -> Transport:
        threads.append(threading.current_thread().name)
        return printer

    spooler = PrintSpooler(opening)
    with spooler:
        jobs = [spooler.submit_bytes(bytes([n]), f"job{n}") for n in range(5)]
        assert spooler.wait_idle(WAIT_S)
    assert [name for name, _ in printer.sent] == [job.name for job in jobs]
    assert set(threads) == {"print-spooler"}


def test_idle_polling_reports_status_changes() -> None:
    printer = FakeTransport(statuses=[READY_STATUS, NEAR_END])
    spooler = PrintSpooler(factory_of(printer), status_poll_s=0.01)
    paper_low = threading.Event()

    def note(status: PrinterStatus) -> None:
        if status == NEAR_END:
            paper_low.set()

    spooler.status_changed.connect(note)
    with spooler:
        assert paper_low.wait(WAIT_S)
    assert spooler.status == NEAR_END


def test_layout_problems_surface_as_printer_errors() -> None:
    assert issubclass(LayoutError, PrinterError)
