"""The supervisor's view-model: the day report kept current, and the supervisor's actions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from centre import usecases as uc
from centre.config import CentreConfig
from centre.domain import Event, EventType
from centre.errors import CentreUnreachable, TaboorError
from centre.port import CentrePort
from centre.staff import StaffMember
from centre.supervision import DayReport
from display.follower import EventFollower
from display.following import Refresher, StaffViewModel, single_shot
from display.reports.viewmodel import ReportsViewModel
from display.views import service_label
from ui.i18n import fill, isolate
from ui.signals import emit
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Signed out after this long without a key or a click (a supervisor walks away).
IDLE_SIGN_OUT_MINUTES = 10
# The report is read again this long after the first of a burst of events: at
# most a few reads a second, however busy the centre.
REFRESH_DELAY_MS = 300
# And this often anyway, so waits grow on screen while nothing happens.
PERIODIC_REFRESH_MS = 15_000
# Events that change nothing in the report (the hall message is applied as it comes).
_QUIET = frozenset({EventType.HALL_MESSAGE_SET, EventType.PERSONAL_DATA_PURGED})


class SupervisorAction(StrEnum):
    """What a supervisor can do from the screen."""

    SIGN_IN = "sign_in"
    PAUSE = "pause"
    RESUME = "resume"
    HALL_MESSAGE = "hall_message"
    COUNTER_SERVICES = "counter_services"
    CANCEL = "cancel"
    REPRINT = "reprint"
    REVOKE = "revoke"


class SupervisorViewModel(StaffViewModel[DayReport | None]):
    """The supervisor's day report as the centre has it, kept current, and their actions.

    The report is read off the GUI thread once a supervisor is signed in (the
    centre gives it to supervisors only), again shortly after events that
    change it and every ``periodic_ms`` anyway. Actions run one at a time on
    a worker thread and only while a supervisor is signed in; their outcome is
    one line in the supervisor's language (:attr:`message_shown`).
    :attr:`reports` is the Reports tab's view-model (reports over any period),
    speaking the supervisor's language and forgetting its report at sign-out.
    """

    # DayReport: the whole centre, just read
    report_changed = Signal(object)
    # tuple[str, str] | None: the hall's message (Arabic, English), None when none is set
    hall_message_changed = Signal(object)
    # datetime: now, every second (the counters' times tick with it)
    time_changed = Signal(object)
    # StaffMember | None: who is signed in; None once signed out
    signed_in_changed = Signal(object)
    # busy_changed (a sign-in too), message_shown, action_done (a SupervisorAction value),
    # language_changed: see StaffViewModel; connection_changed and loaded: see LogFollowingViewModel

    def __init__(
        self,
        centre: CentrePort,
        follower: EventFollower,
        *,
        lang: str = "ar",
        reprint: Callable[[str], str] | None = None,
        idle_minutes: float = IDLE_SIGN_OUT_MINUTES,
        refresh_delay_ms: int = REFRESH_DELAY_MS,
        periodic_ms: int = PERIODIC_REFRESH_MS,
        loads: TaskRunner | None = None,
        actions: TaskRunner | None = None,
        reports_runner: TaskRunner | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(
            centre,
            follower,
            lang=lang,
            name="supervisor",
            loads=loads,
            loads_name="supervisor-reads",
            parent=parent,
        )
        self._reprint = reprint
        self._actions = actions or TaskRunner("supervisor-actions", parent=self)
        self._report: DayReport | None = None
        self._hall_message: tuple[str, str] | None = None
        self._member: StaffMember | None = None

        self._refresher: Refresher[DayReport] = Refresher(
            self,
            self._loads,
            refresh_delay_ms,
            centre.day_report,
            self._set_report,
            what="supervisor cannot read the day report",
            active=lambda: self._running and self._member is not None,
        )
        self._periodic_timer = QTimer(self)
        self._periodic_timer.setInterval(periodic_ms)
        self._periodic_timer.timeout.connect(self._schedule_refresh)
        self._idle_timer = single_shot(self, int(idle_minutes * 60_000), self._sign_out_idle)
        self._idle_minutes = idle_minutes
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._tick)
        # The Reports tab: its reads and exports run on a worker of their own, so a long
        # report never holds up the day's figures or an action.
        self.reports = ReportsViewModel(centre, lang=lang, runner=reports_runner, parent=self)
        self.language_changed.connect(self.reports.set_language)

    # -- state ---------------------------------------------------------------

    @property
    def config(self) -> CentreConfig:
        """The centre's configuration."""
        return self._config

    @property
    def report(self) -> DayReport | None:
        """The day report as last read (``None`` until the first read)."""
        return self._report

    @property
    def hall_message(self) -> tuple[str, str] | None:
        """The hall's message (Arabic, English), if the supervisor set one."""
        return self._hall_message

    @property
    def member(self) -> StaffMember | None:
        """The supervisor signed in, if any."""
        return self._member

    @property
    def signed_in(self) -> bool:
        """Whether a supervisor is signed in."""
        return self._member is not None

    @property
    def can_reprint(self) -> bool:
        """Whether this screen can print a ticket again (a printer was wired in)."""
        return self._reprint is not None

    @property
    def idle_minutes(self) -> float:
        """Minutes without activity before the supervisor is signed out."""
        return self._idle_minutes

    def idle_remaining_ms(self) -> int:
        """Milliseconds before the inactivity sign-out (-1 when nobody is signed in)."""
        return self._idle_timer.remainingTime() if self._member is not None else -1

    def now(self) -> datetime:
        """The centre's local time now."""
        return self._clock.now().astimezone(self._config.centre.zone)

    # -- control ---------------------------------------------------------------

    def start(self) -> None:
        """Read the report from the centre, then follow the log and refresh it."""
        self._clock_timer.start()
        self._periodic_timer.start()
        super().start()

    def stop(self) -> None:
        """Stop following; actions not started are dropped."""
        for timer in (
            self._refresher.timer,
            self._periodic_timer,
            self._idle_timer,
            self._clock_timer,
        ):
            timer.stop()
        super().stop()
        self._actions.shutdown()
        self.reports.stop()

    def refresh(self) -> None:
        """Read the report again soon."""
        self._schedule_refresh()

    # -- signing in and out ------------------------------------------------

    def sign_in(self, staff_id: str, pin: str) -> None:
        """Check a supervisor's staff id and PIN; they are signed in when right."""
        if self._busy or not self._running:
            return
        centre = self._centre

        def job() -> tuple[StaffMember, DayReport | None]:
            member = centre.supervisor_sign_in(staff_id, pin)
            # The report comes with the sign-in: the dashboard never opens empty.
            try:
                return member, centre.day_report()
            except Exception as error:  # signed in all the same; the report follows
                log.warning("supervisor cannot read the day report: %s", error)
                return member, None

        self._submit(SupervisorAction.SIGN_IN, job, self._signed_in)

    def sign_out(self) -> None:
        """Sign the supervisor out (the screen asks for a PIN again), here and at the centre."""
        self._idle_timer.stop()
        if self._member is not None:
            self._member = None
            # The next supervisor chooses their own report.
            self.reports.clear()
            emit(self.signed_in_changed, None)
            # The screen asks for a PIN at once, whatever the centre answers (or not).
            self._actions.submit(self._centre.supervisor_sign_out, _ignore, self._sign_out_failed)
        emit(self.message_shown, "", False)

    def touch(self) -> None:
        """The supervisor did something: the inactivity sign-out starts counting again."""
        if self._member is not None:
            self._idle_timer.start()

    def _signed_in(self, signed_in: tuple[StaffMember, DayReport | None]) -> str:
        member, report = signed_in
        self._member = member
        self._idle_timer.start()
        if report is not None:
            self._set_report(report)
        emit(self.signed_in_changed, member)
        if report is None:
            self._schedule_refresh()
        return ""

    def _sign_out_failed(self, error: Exception) -> None:
        log.warning("supervisor: the centre did not take the sign-out: %s", error)

    def _sign_out_idle(self) -> None:
        if self._member is None:
            return
        self.sign_out()
        text = QCoreApplication.translate(
            "SupervisorViewModel", "Signed out after %1 minutes without activity."
        )
        emit(self.message_shown, fill(text, f"{self._idle_minutes:g}"), False)

    # -- the supervisor's actions ------------------------------------------

    def pause_service(self, service: str, reason: str = "") -> None:
        """Stop issuing tickets for ``service`` (those waiting are still called)."""
        centre = self._centre
        reason = " ".join(reason.split())

        def job() -> str:
            centre.pause_service(service, reason)
            return uc.resolve_service(centre.config, service).code

        def done(code: str) -> str:
            text = QCoreApplication.translate(
                "SupervisorViewModel", "%1 is paused: the kiosk gives no tickets for it."
            )
            return fill(text, self.service_label(code))

        self._act(SupervisorAction.PAUSE, job, done)

    def resume_service(self, service: str) -> None:
        """Issue tickets for a paused ``service`` again."""
        centre = self._centre

        def job() -> str:
            centre.resume_service(service)
            return uc.resolve_service(centre.config, service).code

        def done(code: str) -> str:
            text = QCoreApplication.translate("SupervisorViewModel", "%1 takes tickets again.")
            return fill(text, self.service_label(code))

        self._act(SupervisorAction.RESUME, job, done)

    def set_hall_message(self, ar: str, en: str) -> None:
        """Show a message on every hall screen (both empty: clear it)."""
        centre = self._centre

        def job() -> bool:
            centre.set_hall_message(ar, en)
            return bool(ar.strip() or en.strip())

        def done(shown: bool) -> str:
            translate = QCoreApplication.translate
            if shown:
                return translate("SupervisorViewModel", "The hall screens show the message.")
            return translate("SupervisorViewModel", "The hall message is cleared.")

        self._act(SupervisorAction.HALL_MESSAGE, job, done)

    def clear_hall_message(self) -> None:
        """Take the message off the hall screens (they show the usual footer)."""
        self.set_hall_message("", "")

    def set_counter_services(self, counter_id: str, services: list[str] | None) -> None:
        """Make ``counter_id`` call ``services`` today (``None``: its configured ones)."""
        if services is not None and not services:
            self._refuse(
                SupervisorAction.COUNTER_SERVICES,
                QCoreApplication.translate(
                    "SupervisorViewModel", "A counter must call at least one service."
                ),
            )
            return
        centre = self._centre

        def job() -> tuple[str, list[str]]:
            changed = centre.set_counter_services(counter_id, services)
            return changed.id, list(changed.services)

        def done(changed: tuple[str, list[str]]) -> str:
            translate = QCoreApplication.translate
            counter, codes = changed
            if services is None:
                text = translate(
                    "SupervisorViewModel", "Counter %1 calls its configured services again."
                )
                return fill(text, counter)
            names = translate("SupervisorViewModel", ", ").join(
                self.service_label(code) for code in codes
            )
            return fill(
                translate("SupervisorViewModel", "Counter %1 now calls: %2."), counter, names
            )

        self._act(SupervisorAction.COUNTER_SERVICES, job, done)

    def cancel_ticket(self, number: str, reason: str = "") -> None:
        """Withdraw a waiting ticket, by its number."""
        if not self._has_number(SupervisorAction.CANCEL, number):
            return
        centre = self._centre
        reason = " ".join(reason.split()) or "cancelled by the supervisor"

        def job() -> str:
            return centre.cancel_ticket(number, reason).ticket.number

        def done(cancelled: str) -> str:
            text = QCoreApplication.translate("SupervisorViewModel", "Ticket %1 is cancelled.")
            return fill(text, cancelled)

        self._act(SupervisorAction.CANCEL, job, done)

    def reprint_ticket(self, number: str) -> None:
        """Print a ticket again, by its number (only with a printer wired in)."""
        reprint = self._reprint
        if reprint is None or not self._has_number(SupervisorAction.REPRINT, number):
            return
        centre = self._centre

        def job() -> str:
            found = centre.find_ticket(number)
            try:
                return reprint(found.number) or found.number
            except TaboorError:
                raise
            except Exception as error:  # a printer's own failure: said as such, never a crash
                raise _PrintFailed(str(error)) from error

        def done(printed: str) -> str:
            text = QCoreApplication.translate("SupervisorViewModel", "Ticket %1 was printed again.")
            return fill(text, printed)

        self._act(SupervisorAction.REPRINT, job, done)

    def revoke_device(self, name: str) -> None:
        """Stop a device of the centre at once: its token no longer works, its streams close."""
        centre = self._centre
        name = name.strip()

        def job() -> str:
            centre.revoke_device(name)
            return name

        def done(revoked: str) -> str:
            text = QCoreApplication.translate(
                "SupervisorViewModel", "%1 is revoked: it can no longer reach the centre."
            )
            return fill(text, isolate(revoked))

        self._act(SupervisorAction.REVOKE, job, done)

    def in_use(self, report: DayReport) -> frozenset[str]:
        """The devices of ``report`` this supervisor is signed in on today: this screen's
        own among them, which is never offered for revoking (it would lock them out)."""
        member = self._member
        if member is None:
            return frozenset()
        now = self._clock.now()
        return frozenset(
            device.name
            for device in report.enrolled
            if device.supervisor_signed_in(self._config, now) == member.id
        )

    def _has_number(self, action: SupervisorAction, number: str) -> bool:
        if number.strip() or self._member is None:
            return self._member is not None
        self._refuse(
            action, QCoreApplication.translate("SupervisorViewModel", "Type a ticket number first.")
        )
        return False

    def _refuse(self, action: SupervisorAction, text: str) -> None:
        if self._member is None:
            return
        emit(self.message_shown, text, True)
        emit(self.action_done, action.value)

    def _act(
        self, action: SupervisorAction, job: Callable[[], T], done: Callable[[T], str]
    ) -> None:
        if self._member is None:
            return
        self.touch()
        self._submit(action, job, done)

    def _submit(
        self, action: SupervisorAction, job: Callable[[], T], done: Callable[[T], str]
    ) -> None:
        if self._busy or not self._running:
            # One at a time: the next acts on what the previous one left.
            return
        self._set_busy(True)
        self._actions.submit(
            job, partial(self._performed, action, done), partial(self._failed, action)
        )

    def _performed(self, action: SupervisorAction, done: Callable[[T], str], result: T) -> None:
        self._set_busy(False)
        emit(self.message_shown, done(result), False)
        self._schedule_refresh()
        emit(self.action_done, action.value)

    def _failed(self, action: SupervisorAction, error: Exception) -> None:
        self._set_busy(False)
        emit(self.message_shown, self.explain(error), True)
        if isinstance(error, CentreUnreachable):
            # What is shown stays; the screen says whether it is still cut off.
            self._check_connection()
        emit(self.action_done, action.value)

    # -- explaining refusals -----------------------------------------------

    def explain(self, error: Exception) -> str:
        """One line in the supervisor's language saying why an action failed."""
        if isinstance(error, _PrintFailed):
            return QCoreApplication.translate(
                "SupervisorViewModel", "The ticket did not print. Check the printer and try again."
            )
        return super().explain(error)

    def service_label(self, code: str) -> str:
        """A service's name in the supervisor's language (its code if the centre has none)."""
        return service_label(self._config, code, self._lang)

    # -- loading and following ---------------------------------------------

    def _load(self) -> None:
        super()._load()
        self._read_hall_message()

    def _read_state(self, head: int) -> DayReport | None:
        # Before anyone signs in there is no report to read: following starts all the same.
        return self._centre.day_report() if self._member is not None else None

    def _show_state(self, state: DayReport | None) -> None:
        if state is not None:
            self._set_report(state)

    def _apply(self, events: list[Event]) -> None:
        changed = False
        for event in events:
            if event.type is EventType.HALL_MESSAGE_SET:
                ar, en = str(event.data.get("ar", "")), str(event.data.get("en", ""))
                self._set_hall_message((ar, en) if ar or en else None)
            if event.type not in _QUIET:
                changed = True
        if changed:
            self._schedule_refresh()

    def _schedule_refresh(self) -> None:
        self._refresher.schedule()

    def _read_hall_message(self) -> None:
        self._loads.submit(
            self._centre.hall_message, self._set_hall_message, self._hall_message_failed
        )

    def _hall_message_failed(self, error: Exception) -> None:
        log.warning("supervisor cannot read the hall message: %s", error)

    def _on_restored(self) -> None:
        super()._on_restored()
        self._schedule_refresh()
        self._read_hall_message()

    def _set_report(self, report: DayReport) -> None:
        self._report = report
        emit(self.report_changed, report)

    def _set_hall_message(self, message: tuple[str, str] | None) -> None:
        self._hall_message = message
        emit(self.hall_message_changed, message)

    def _tick(self) -> None:
        emit(self.time_changed, self.now())


def _ignore(_result: object) -> None:
    """Nothing to show: the outcome of a job that only has to happen."""


class _PrintFailed(Exception):
    """The injected reprint failed in the printer (never leaves this module)."""


__all__ = [
    "IDLE_SIGN_OUT_MINUTES",
    "PERIODIC_REFRESH_MS",
    "REFRESH_DELAY_MS",
    "SupervisorAction",
    "SupervisorViewModel",
]
