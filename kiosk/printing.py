"""Printing the kiosk's tickets through a spooler, and noticing when the paper does not come out."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from centre import usecases as uc
from centre.errors import CentreUnreachable, DeviceRefused
from centre.port import CentrePort
from printer import PaperLevel, PrinterStatus, PrintJob, PrintSpooler, TicketSlip
from ui.signals import emit
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

# What the supervisor is told of the printer, by the error code a job failed with.
_DEVICE_STATE_OF_ERROR = {
    "printer_paper_out": "paper_out",
    "printer_cover_open": "cover_open",
    "printer_offline": "offline",
    "printer_unavailable": "offline",
    "printer_connection_lost": "offline",
    "printer_not_ready": "error",
}


def device_state(status: PrinterStatus) -> str | None:
    """The supervisor's word for a printer's reported status (``None``: it said nothing)."""
    if not status.known:
        return None
    checks = (
        (status.paper is PaperLevel.OUT, "paper_out"),
        (bool(status.cover_open), "cover_open"),
        (bool(status.error), "error"),
        (status.online is False, "offline"),
        (status.paper is PaperLevel.NEAR_END, "paper_low"),
    )
    return next((state for failing, state in checks if failing), "ok")


class TicketPrinter(QObject):
    """Sends tickets to a :class:`PrintSpooler` and reports, on the GUI thread, what came of them.

    A ticket that fails (or whose first attempt fails: the visitor should not
    wait for retries) is reported once, and logged for the supervisor through
    the centre port's ``record_print_failure``; the ticket stays valid. The
    printer's state (ok, paper low or out, cover open, offline) is reported to
    the supervisor with ``report_device`` (the port knows this kiosk's device
    name) whenever it changes.
    """

    # printed(view): the TicketView whose paper came out
    printed = Signal(object)
    # failed(view, reason): the TicketView that did not print, and the printer's error code
    failed = Signal(object, str)
    # _job_finished(job, ok, reason): from the spooler's thread, handled on ours
    _job_finished = Signal(object, bool, str)
    # _status_seen(status): from the spooler's thread, handled on ours
    _status_seen = Signal(object)

    def __init__(
        self,
        centre: CentrePort,
        make_slip: Callable[[uc.TicketView], TicketSlip] | None,
        spooler: PrintSpooler | None,
        printer_name: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._centre = centre
        self._make_slip = make_slip
        self._spooler = spooler
        self._printer_name = printer_name or "none"
        self._runner = TaskRunner("kiosk-print", parent=self)
        self._waiting: dict[str, uc.TicketView] = {}
        self._failed_ids: set[str] = set()
        self._job_finished.connect(self._on_job_finished)
        if spooler is not None:
            spooler.job_done.connect(lambda job: emit(self._job_finished, job, True, ""))
            spooler.job_failed.connect(
                lambda job, error: emit(self._job_finished, job, False, error.code)
            )
            spooler.job_retrying.connect(
                lambda job, error, _delay: emit(self._job_finished, job, False, error.code)
            )
            spooler.status_changed.connect(lambda status: emit(self._status_seen, status))
        self._status_seen.connect(self._on_status)
        self._reported: tuple[str, str] | None = None

    def report(self, state: str, detail: str = "") -> None:
        """Tell the supervisor the printer's state when it changed (off the GUI thread)."""
        centre = self._centre
        detail = detail or self._printer_name
        if self._reported == (state, detail):
            return
        self._reported = (state, detail)
        self._runner.submit(
            lambda: centre.report_device("printer", state, detail),
            lambda _changed: None,
            lambda error: log.error("could not report the printer: %s", describe_failure(error)),
        )

    def _on_status(self, status: PrinterStatus) -> None:
        state = device_state(status)
        if state is not None:
            self.report(state, f"{self._printer_name}: {status.describe()}")

    def print_ticket(self, view: uc.TicketView) -> None:
        """Lay out (off the GUI thread) and queue a ticket; having no printer counts as failing."""
        if self._spooler is None or self._make_slip is None:
            self._fail(view, "no_printer")
            return
        make_slip, spooler = self._make_slip, self._spooler
        # Known before submitting: the spooler may answer before the runner does.
        self._waiting[view.ticket.id] = view
        self._runner.submit(
            lambda: spooler.submit(make_slip(view)),
            lambda _job: None,
            lambda error: self._fail(view, getattr(error, "code", "slip")),
        )

    def stop(self) -> None:
        """Deliver nothing more (the spooler is stopped by whoever made it)."""
        self._runner.shutdown()

    def _on_job_finished(self, job: PrintJob, ok: bool, reason: str) -> None:
        ticket_id = job.slip.ticket_id if job.slip is not None else ""
        view = self._waiting.get(ticket_id)
        if view is None:
            return
        if ok or job.finished:
            self._waiting.pop(ticket_id, None)
        if ok:
            emit(self.printed, view)
            # Printed: the printer works, though it may say its paper runs low.
            status = self._spooler.status if self._spooler is not None else None
            if status is None or device_state(status) in (None, "ok"):
                self.report("ok")
            else:
                self._on_status(status)
        else:
            self._fail(view, reason)
            self.report(
                _DEVICE_STATE_OF_ERROR.get(reason, "error"), f"{self._printer_name}: {reason}"
            )

    def _fail(self, view: uc.TicketView, reason: str) -> None:
        if view.ticket.id in self._failed_ids:
            return
        self._failed_ids.add(view.ticket.id)
        emit(self.failed, view, reason)
        centre, printer = self._centre, self._printer_name
        self._runner.submit(
            lambda: centre.record_print_failure(view.ticket, printer, reason),
            lambda _none: None,
            lambda error: log.error("could not log a print failure: %s", describe_failure(error)),
        )


def describe_failure(error: Exception) -> str:
    """An error for the staff's log: its class, and the centre's one line when it is one of ours.

    Never more: a failing use case may carry a visitor's data in its arguments.
    """
    if isinstance(error, CentreUnreachable | DeviceRefused):
        return f"{type(error).__name__}: {error}"
    return type(error).__name__


__all__ = ["TicketPrinter", "describe_failure", "device_state"]
