"""The print spooler: tickets print in a worker thread, with retries, reporting by callbacks."""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, ParamSpec

from centre.retry import RetrySchedule
from printer.errors import PrinterError
from printer.layout import render_ticket
from printer.printing import deliver, job_name
from printer.profiles import PROFILE_80MM, PrinterProfile
from printer.slip import TicketSlip
from printer.status import UNKNOWN_STATUS, PrinterStatus
from printer.transports import TransportFactory

logger = logging.getLogger(__name__)

P = ParamSpec("P")

#: What the spooler reports when it cannot reach the printer at all.
UNREACHABLE_STATUS = PrinterStatus(online=False)


class Callbacks(Generic[P]):
    """Functions to call when something happens, in the spooler's thread.

    A GUI adapts them to its own signals (a Qt signal emitted from here is
    queued to the GUI thread). A callback that raises is logged and skipped.
    """

    def __init__(self, event: str) -> None:
        self._event = event
        self._callbacks: list[Callable[P, object]] = []
        self._lock = threading.Lock()

    def connect(self, callback: Callable[P, object]) -> None:
        """Call ``callback`` on every later event."""
        with self._lock:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[P, object]) -> None:
        """Stop calling ``callback``."""
        with self._lock:
            self._callbacks.remove(callback)

    def emit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Call every connected callback with these arguments."""
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(*args, **kwargs)
            except Exception:
                logger.exception("a %s callback failed", self._event)


_job_numbers = itertools.count(1)


@dataclass(eq=False)
class PrintJob:
    """One ticket on its way to the printer; ``wait()`` for its outcome."""

    name: str
    slip: TicketSlip | None = None
    data: bytes | None = None
    number: int = field(default_factory=lambda: next(_job_numbers))
    attempts: int = 0
    error: PrinterError | None = None
    status: PrinterStatus = UNKNOWN_STATUS
    _finished: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def finished(self) -> bool:
        """Whether the job printed or gave up."""
        return self._finished.is_set()

    @property
    def printed(self) -> bool:
        """Whether the printer took the whole ticket."""
        return self.finished and self.error is None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job printed or failed; False if ``timeout`` passed first."""
        return self._finished.wait(timeout)


_STOP = object()


class PrintSpooler:
    """Prints jobs one after another off the caller's thread, retrying what may pass.

    A job whose printer is unreachable or dropped the connection is tried up
    to ``attempts`` times with growing pauses; one the printer refuses because
    a person must act (paper out, cover open) fails at once. The connection is
    opened per job, so a printer switched off and on again just works.
    """

    # job_done(job): the printer took the whole ticket.
    # job_failed(job, error): the ticket did not print; show it on screen instead.
    # job_retrying(job, error, delay_s): an attempt failed; the next comes in delay_s.
    #     Emitted at the first failure, so a kiosk may show the ticket without waiting.
    # status_changed(status): the printer's status differs from the last one seen.

    def __init__(
        self,
        transport_factory: TransportFactory,
        profile: PrinterProfile = PROFILE_80MM,
        *,
        attempts: int = 3,
        retry_delay_s: float = 0.5,
        max_retry_delay_s: float = 4.0,
        status_poll_s: float | None = None,
    ) -> None:
        if attempts < 1:
            raise ValueError("a print job needs at least one attempt")
        self.job_done: Callbacks[[PrintJob]] = Callbacks("job_done")
        self.job_failed: Callbacks[[PrintJob, PrinterError]] = Callbacks("job_failed")
        self.job_retrying: Callbacks[[PrintJob, PrinterError, float]] = Callbacks("job_retrying")
        self.status_changed: Callbacks[[PrinterStatus]] = Callbacks("status_changed")
        self._open = transport_factory
        self._profile = profile
        self._attempts = attempts
        self._retry = RetrySchedule(retry_delay_s, max_retry_delay_s)
        self._status_poll_s = status_poll_s
        self._queue: queue.Queue[PrintJob | object] = queue.Queue()
        self._stopping = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._unfinished = 0
        self._unfinished_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._status_lock = threading.Lock()
        self._status = UNKNOWN_STATUS

    @property
    def status(self) -> PrinterStatus:
        """The printer's status as last seen."""
        with self._status_lock:
            return self._status

    def start(self) -> None:
        """Start the worker thread."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="print-spooler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Print what is queued, then end the worker thread; waits at most ``timeout`` seconds."""
        if self._thread is None:
            return
        self._queue.put(_STOP)
        self._thread.join(timeout)
        self._stopping.set()  # cut short any retry pause still running
        self._thread.join(timeout)
        self._thread = None

    def __enter__(self) -> PrintSpooler:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def submit(self, slip: TicketSlip) -> PrintJob:
        """Queue a ticket; it is laid out and printed in the worker thread."""
        return self._enqueue(PrintJob(name=job_name(slip), slip=slip))

    def submit_bytes(self, data: bytes, name: str = "ticket") -> PrintJob:
        """Queue bytes already laid out."""
        return self._enqueue(PrintJob(name=name, data=data))

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every queued job is finished; False if ``timeout`` passed first."""
        return self._idle.wait(timeout)

    def _enqueue(self, job: PrintJob) -> PrintJob:
        with self._unfinished_lock:
            self._unfinished += 1
            self._idle.clear()
        self._queue.put(job)
        return job

    def _finished_one(self) -> None:
        with self._unfinished_lock:
            self._unfinished -= 1
            if self._unfinished == 0:
                self._idle.set()

    def _run(self) -> None:
        while True:
            try:
                item = self._queue.get(timeout=self._status_poll_s)
            except queue.Empty:
                self._poll_status()
                continue
            if item is _STOP:
                return
            assert isinstance(item, PrintJob)
            try:
                self._print(item)
            finally:
                self._finished_one()

    def _print(self, job: PrintJob) -> None:
        while True:
            job.attempts += 1
            try:
                if job.data is None:
                    assert job.slip is not None
                    job.data = render_ticket(job.slip, self._profile)
                job.status = self._attempt(job)
            except PrinterError as error:
                job.error = error
            except Exception as error:  # a bug must not kill the thread that prints every ticket
                logger.exception("printing %s failed unexpectedly", job.name)
                job.error = PrinterError(f"printing {job.name} failed unexpectedly: {error}")
            else:
                job.error = None
                self.job_done.emit(job)
                job._finished.set()  # after the callbacks, so a waiter sees what they did
                return
            failure = job.error
            if not failure.retryable or job.attempts >= self._attempts or self._stopping.is_set():
                logger.warning("ticket %s did not print: %s", job.name, failure)
                self.job_failed.emit(job, failure)
                job._finished.set()
                return
            delay = self._retry.delay(job.attempts - 1)
            self.job_retrying.emit(job, failure, delay)
            self._stopping.wait(delay)

    def _attempt(self, job: PrintJob) -> PrinterStatus:
        assert job.data is not None
        try:
            transport = self._open()
        except PrinterError:
            self._note_status(UNREACHABLE_STATUS)
            raise
        try:
            return deliver(transport, job.data, job.name, on_status=self._note_status)
        finally:
            transport.close()

    def _poll_status(self) -> None:
        try:
            transport = self._open()
        except PrinterError:
            self._note_status(UNREACHABLE_STATUS)
            return
        try:
            self._note_status(transport.status())
        except PrinterError:
            self._note_status(UNREACHABLE_STATUS)
        finally:
            transport.close()

    def _note_status(self, status: PrinterStatus) -> None:
        with self._status_lock:
            changed = status != self._status
            self._status = status
        if changed:
            self.status_changed.emit(status)
