"""The supervisor's screen: live queues and counters, the day so far, the centre's health."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from centre import staff
from centre import usecases as uc
from centre.clock import Clock
from centre.config import CentreConfig
from centre.domain import Event, EventType
from centre.errors import BadInput, Refused, TaboorError
from centre.store.unit_of_work import Store
from centre.supervision import DayReport, day_report
from display.follower import EventFollower
from display.following import LogFollowingViewModel, Refresher, single_shot
from display.supervisor_widgets import (
    ActionsPanel,
    CountersTable,
    HealthPanel,
    QueuesTable,
    SignInPanel,
    TodayPanel,
    attention_count,
    link_text,
    size_table,
)
from ui.fonts import FontBook
from ui.i18n import check_language, direction, fill
from ui.signals import emit
from ui.tasks import TaskRunner
from ui.widgets import load_style, named, set_flag

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Signed out after this long without a key or a click (a supervisor walks away).
IDLE_SIGN_OUT_MINUTES = 10
# The report is read again this long after the first of a burst of events: at
# most a few reads a second, however busy the centre.
REFRESH_DELAY_MS = 300
# And this often anyway, so waits grow on screen while nothing happens.
PERIODIC_REFRESH_MS = 15_000
# Only a slow action shows "please wait".
BUSY_NOTICE_MS = 300
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


class SupervisorViewModel(LogFollowingViewModel[DayReport]):
    """The supervisor's day report as the store has it, kept current, and their actions.

    The report is read off the GUI thread, again shortly after events that
    change it and every ``periodic_ms`` anyway. Actions run one at a time on
    a worker thread and only while a supervisor is signed in; their outcome is
    one line in the supervisor's language (:attr:`message_shown`).
    """

    # DayReport: the whole centre, just read
    report_changed = Signal(object)
    # tuple[str, str] | None: the hall's message (Arabic, English), None when none is set
    hall_message_changed = Signal(object)
    # datetime: now, every second (the counters' times tick with it)
    time_changed = Signal(object)
    # StaffMember | None: who is signed in; None once signed out
    signed_in_changed = Signal(object)
    # bool: whether an action (or a sign-in) is running
    busy_changed = Signal(bool)
    # str, bool: one line in the supervisor's language (empty clears it); whether it is an error
    message_shown = Signal(str, bool)
    # str (a SupervisorAction value): the action's outcome is shown
    action_done = Signal(str)
    # str: the supervisor's language, "ar" or "en"
    language_changed = Signal(str)
    # connection_changed and loaded: see LogFollowingViewModel

    def __init__(
        self,
        config: CentreConfig,
        store: Store,
        clock: Clock,
        follower: EventFollower,
        *,
        lang: str = "ar",
        reprint: Callable[[str], str] | None = None,
        idle_minutes: float = IDLE_SIGN_OUT_MINUTES,
        refresh_delay_ms: int = REFRESH_DELAY_MS,
        periodic_ms: int = PERIODIC_REFRESH_MS,
        loads: TaskRunner | None = None,
        actions: TaskRunner | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(
            config,
            store,
            clock,
            follower,
            name="supervisor",
            loads=loads,
            loads_name="supervisor-reads",
            parent=parent,
        )
        self._lang = check_language(lang)
        self._reprint = reprint
        self._actions = actions or TaskRunner("supervisor-actions", parent=self)
        self._report: DayReport | None = None
        self._hall_message: tuple[str, str] | None = None
        self._member: staff.StaffMember | None = None
        self._busy = False

        self._refresher: Refresher[DayReport] = Refresher(
            self,
            self._loads,
            refresh_delay_ms,
            lambda: day_report(store, clock, config),
            self._set_report,
            what="supervisor cannot read the day report",
            active=lambda: self._running,
        )
        self._periodic_timer = QTimer(self)
        self._periodic_timer.setInterval(periodic_ms)
        self._periodic_timer.timeout.connect(self._schedule_refresh)
        self._idle_timer = single_shot(self, int(idle_minutes * 60_000), self._sign_out_idle)
        self._idle_minutes = idle_minutes
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._tick)

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
    def member(self) -> staff.StaffMember | None:
        """The supervisor signed in, if any."""
        return self._member

    @property
    def signed_in(self) -> bool:
        """Whether a supervisor is signed in."""
        return self._member is not None

    @property
    def language(self) -> str:
        """The supervisor's language."""
        return self._lang

    @property
    def busy(self) -> bool:
        """Whether an action is running."""
        return self._busy

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
        """Read the report from the store, then follow the log and refresh it."""
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

    def set_language(self, lang: str) -> None:
        """Speak ``lang`` to the supervisor from now on."""
        if check_language(lang) != self._lang:
            self._lang = lang
            emit(self.language_changed, lang)

    def refresh(self) -> None:
        """Read the report again soon."""
        self._schedule_refresh()

    # -- signing in and out ------------------------------------------------

    def sign_in(self, staff_id: str, pin: str) -> None:
        """Check a supervisor's staff id and PIN; they are signed in when right."""
        if self._busy or not self._running:
            return
        store, clock = self._store, self._clock

        def job() -> staff.StaffMember:
            return staff.check_pin(store, clock, staff_id, pin, role=staff.SUPERVISOR)

        self._submit(SupervisorAction.SIGN_IN, job, self._signed_in)

    def sign_out(self) -> None:
        """Sign the supervisor out (the screen asks for a PIN again)."""
        self._idle_timer.stop()
        if self._member is not None:
            self._member = None
            emit(self.signed_in_changed, None)
        emit(self.message_shown, "", False)

    def touch(self) -> None:
        """The supervisor did something: the inactivity sign-out starts counting again."""
        if self._member is not None:
            self._idle_timer.start()

    def _signed_in(self, member: staff.StaffMember) -> str:
        self._member = member
        self._idle_timer.start()
        emit(self.signed_in_changed, member)
        self._schedule_refresh()
        return ""

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
        store, clock, config = self._store, self._clock, self._config
        reason = " ".join(reason.split())

        def job() -> str:
            uc.pause_service(store, clock, config, service, reason)
            return uc.resolve_service(config, service).code

        def done(code: str) -> str:
            text = QCoreApplication.translate(
                "SupervisorViewModel", "%1 is paused: the kiosk gives no tickets for it."
            )
            return fill(text, self._service_name(code))

        self._act(SupervisorAction.PAUSE, job, done)

    def resume_service(self, service: str) -> None:
        """Issue tickets for a paused ``service`` again."""
        store, clock, config = self._store, self._clock, self._config

        def job() -> str:
            uc.resume_service(store, clock, config, service)
            return uc.resolve_service(config, service).code

        def done(code: str) -> str:
            text = QCoreApplication.translate("SupervisorViewModel", "%1 takes tickets again.")
            return fill(text, self._service_name(code))

        self._act(SupervisorAction.RESUME, job, done)

    def set_hall_message(self, ar: str, en: str) -> None:
        """Show a message on every hall screen (both empty: clear it)."""
        store, clock = self._store, self._clock

        def job() -> bool:
            uc.set_hall_message(store, clock, ar, en)
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
        store, clock, config = self._store, self._clock, self._config

        def job() -> tuple[str, list[str]]:
            changed = uc.set_counter_services(store, clock, config, counter_id, services)
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
                self._service_name(code) for code in codes
            )
            return fill(
                translate("SupervisorViewModel", "Counter %1 now calls: %2."), counter, names
            )

        self._act(SupervisorAction.COUNTER_SERVICES, job, done)

    def cancel_ticket(self, number: str, reason: str = "") -> None:
        """Withdraw a waiting ticket, by its number."""
        if not self._has_number(SupervisorAction.CANCEL, number):
            return
        store, clock, config = self._store, self._clock, self._config
        reason = " ".join(reason.split()) or "cancelled by the supervisor"

        def job() -> str:
            return uc.cancel_ticket(store, clock, config, number, reason).ticket.number

        def done(cancelled: str) -> str:
            text = QCoreApplication.translate("SupervisorViewModel", "Ticket %1 is cancelled.")
            return fill(text, cancelled)

        self._act(SupervisorAction.CANCEL, job, done)

    def reprint_ticket(self, number: str) -> None:
        """Print a ticket again, by its number (only with a printer wired in)."""
        reprint = self._reprint
        if reprint is None or not self._has_number(SupervisorAction.REPRINT, number):
            return
        store, clock, config = self._store, self._clock, self._config

        def job() -> str:
            found = uc.find_ticket(store, clock, config, number)
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
        emit(self.message_shown, self.explain(error, action), True)
        emit(self.action_done, action.value)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            emit(self.busy_changed, busy)

    # -- explaining refusals -----------------------------------------------

    def explain(self, error: Exception, action: SupervisorAction | None = None) -> str:
        """One line in the supervisor's language saying why ``action`` failed."""
        translate = QCoreApplication.translate
        if isinstance(error, _PrintFailed):
            return translate(
                "SupervisorViewModel", "The ticket did not print. Check the printer and try again."
            )
        if isinstance(error, TaboorError):
            return self._explain_refusal(error, action)
        log.error("supervisor: %s failed", action or "an action", exc_info=error)
        return translate(
            "SupervisorViewModel", "The centre's database cannot be reached. Try again in a moment."
        )

    def _explain_refusal(self, error: TaboorError, action: SupervisorAction | None) -> str:
        translate = QCoreApplication.translate
        params = error.params
        seconds = params.get("seconds")
        code = error.code
        # The special cases first: a wrong PIN that starts a wait, a hall message
        # too long in one language, cancelling a ticket that has moved on.
        if code == "wrong_pin" and seconds:
            code = "wrong_pin_wait"
        elif code == "bad_input" and params.get("lang") in ("ar", "en"):
            code = f"too_long_{params['lang']}"
        elif code == "illegal_transition" and action is SupervisorAction.CANCEL:
            code = "not_waiting"
        texts = {
            "wrong_pin": translate("SupervisorViewModel", "Wrong staff id or PIN."),
            "wrong_pin_wait": fill(
                translate(
                    "SupervisorViewModel",
                    "Wrong staff id or PIN. Wait %1 seconds before trying again.",
                ),
                seconds,
            ),
            "sign_in_locked": fill(
                translate("SupervisorViewModel", "Too many wrong PINs. Try again in %1 seconds."),
                seconds or 0,
            ),
            "not_allowed": translate("SupervisorViewModel", "Only a supervisor can sign in here."),
            "invalid_pin": translate("SupervisorViewModel", "A PIN is 4 to 8 digits."),
            "too_long_ar": fill(
                translate(
                    "SupervisorViewModel", "The Arabic message is too long: at most %1 characters."
                ),
                uc.HALL_MESSAGE_MAX,
            ),
            "too_long_en": fill(
                translate(
                    "SupervisorViewModel", "The English message is too long: at most %1 characters."
                ),
                uc.HALL_MESSAGE_MAX,
            ),
            "not_waiting": fill(
                translate(
                    "SupervisorViewModel",
                    "Ticket %1 is not waiting: only a waiting ticket can be cancelled.",
                ),
                params.get("number", ""),
            ),
            "unknown_ticket": fill(
                translate("SupervisorViewModel", "There is no ticket %1 today."),
                str(params.get("ticket", "")).strip().upper(),
            ),
            "unknown_service": translate("SupervisorViewModel", "There is no such service here."),
            "unknown_counter": fill(
                translate("SupervisorViewModel", "There is no counter %1 here."),
                params.get("counter", ""),
            ),
        }
        if code in texts:
            return texts[code]
        if isinstance(error, Refused):
            return translate("SupervisorViewModel", "The centre's rules do not allow this now.")
        if isinstance(error, BadInput):
            return translate("SupervisorViewModel", "That is not valid here.")
        return translate("SupervisorViewModel", "That did not work. Try again.")

    def _service_name(self, code: str) -> str:
        try:
            return self._config.service(code).name.get(self._lang)
        except KeyError:
            return code

    # -- loading and following ---------------------------------------------

    def _load(self) -> None:
        super()._load()
        self._read_hall_message()

    def _read_state(self, head: int) -> DayReport:
        return day_report(self._store, self._clock, self._config)

    def _show_state(self, state: DayReport) -> None:
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
        store = self._store
        self._loads.submit(
            lambda: uc.hall_message(store), self._set_hall_message, self._hall_message_failed
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


class _PrintFailed(Exception):
    """The injected reprint failed in the printer (never leaves this module)."""


# -- the window ----------------------------------------------------------------

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class ConfirmBar(QFrame):
    """Asks once more before an action that cannot be taken back (a panel, never a dialog)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirm")
        self.question = named(QLabel(), "confirmQuestion")
        self.question.setWordWrap(True)
        self.confirm_button = named(QPushButton(), "confirmButton")
        self.back_button = named(QPushButton(), "backButton")
        layout = QHBoxLayout(self)
        layout.addWidget(self.question, 1)
        layout.addWidget(self.confirm_button)
        layout.addWidget(self.back_button)
        self._pending: Callable[[], None] | None = None
        self.confirm_button.clicked.connect(self._confirmed)
        self.back_button.clicked.connect(self.dismiss)
        self.hide()

    @property
    def asking(self) -> bool:
        """Whether a question waits for an answer."""
        return self._pending is not None

    def ask(self, question: str, confirm: str, back: str, action: Callable[[], None]) -> None:
        """Ask ``question``; ``action`` runs only if the supervisor confirms."""
        self._pending = action
        self.question.setText(question)
        self.confirm_button.setText(confirm)
        self.back_button.setText(back)
        self.show()

    def dismiss(self) -> None:
        """Forget the question."""
        self._pending = None
        self.hide()

    def _confirmed(self) -> None:
        action, self._pending = self._pending, None
        self.hide()
        if action is not None:
            action()


class SupervisorWindow(QWidget):
    """The supervisor's screen: sign-in, then the live centre (1920 x 1080; fits 1366 x 768)."""

    def __init__(
        self, view_model: SupervisorViewModel, fonts: FontBook, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._vm = view_model
        self._fonts = fonts
        config = view_model.config
        self.setObjectName("supervisor")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(load_style("supervisor"))
        self._busy_timer = single_shot(self, BUSY_NOTICE_MS, self._show_slow)

        self.sign_in = SignInPanel()
        self.queues = QueuesTable()
        self.counters = CountersTable(config)
        self.today = TodayPanel(config)
        self.health = HealthPanel()
        self.action_panel = ActionsPanel(config, can_reprint=view_model.can_reprint)
        self.confirm_bar = ConfirmBar()
        self._build()
        self.resize(1920, 1080)

        self.sign_in.sign_in_requested.connect(view_model.sign_in)
        self.queues.service_chosen.connect(self.action_panel.select_service)
        self.counters.counter_chosen.connect(self.action_panel.select_counter)
        self.action_panel.pause_requested.connect(self._ask_pause)
        self.action_panel.resume_requested.connect(view_model.resume_service)
        self.action_panel.message_requested.connect(view_model.set_hall_message)
        self.action_panel.message_clear_requested.connect(view_model.clear_hall_message)
        self.action_panel.services_requested.connect(view_model.set_counter_services)
        self.action_panel.cancel_requested.connect(self._ask_cancel)
        self.action_panel.reprint_requested.connect(view_model.reprint_ticket)

        view_model.report_changed.connect(self._show_report)
        view_model.hall_message_changed.connect(self.action_panel.show_hall_message)
        view_model.time_changed.connect(self._show_time)
        view_model.signed_in_changed.connect(self._show_member)
        view_model.busy_changed.connect(self._show_busy)
        view_model.message_shown.connect(self._show_message)
        view_model.action_done.connect(self._action_done)
        view_model.language_changed.connect(self._apply_language)
        view_model.connection_changed.connect(self._show_connection)

        self._apply_language(view_model.language)
        self._show_member(view_model.member)
        self.action_panel.show_hall_message(view_model.hall_message)
        self._show_connection(view_model.connected)
        if view_model.report is not None:
            self._show_report(view_model.report)
        self._show_time(view_model.now())
        app = QApplication.instance()
        if app is not None:
            # Any key or click in this window counts as the supervisor being there.
            app.installEventFilter(self)

    # -- what tests read -----------------------------------------------------

    def shows_dashboard(self) -> bool:
        """Whether the live centre is shown (a supervisor is signed in)."""
        return self._pages.currentWidget() is self._dashboard

    def shows_offline(self) -> bool:
        """Whether the "reconnecting" badge is shown."""
        return self._connection.isVisibleTo(self)

    def shows_error(self) -> bool:
        """Whether the message line of the page shown is an error."""
        label = self._message if self.shows_dashboard() else self.sign_in.message
        return bool(label.property("error") == "true")

    def shown_message(self) -> str:
        """The message line of the page shown."""
        if self.shows_dashboard():
            return self._message.text()
        return self.sign_in.message.text()

    @property
    def tabs(self) -> QTabWidget:
        """The tabs of the right-hand side: today, health, actions."""
        return self._tabs

    # -- building ------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        # Fonts follow the window's size, so the layout must not hold the window to them.
        root.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        root.setContentsMargins(16, 12, 16, 12)
        root.setSpacing(10)
        root.addWidget(self._build_header())
        self._dashboard = self._build_dashboard()
        self._pages = QStackedWidget()
        self._pages.addWidget(self.sign_in)
        self._pages.addWidget(self._dashboard)
        root.addWidget(self._pages, 1)

    def _build_header(self) -> QFrame:
        header = named(QFrame(), "header")
        self._title = named(QLabel(), "title")
        self._clock = named(QLabel(), "clock")
        self._link = named(QLabel(), "linkBadge")
        self._attention = named(QLabel(), "attentionBadge")
        self._connection = named(QLabel(), "connection")
        self._member = named(QLabel(), "member")
        self._language = named(QPushButton(), "language")
        self._sign_out = named(QPushButton(), "signOut")
        for button in (self._language, self._sign_out):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._language.clicked.connect(self._toggle_language)
        self._sign_out.clicked.connect(self._vm.sign_out)
        layout = QHBoxLayout(header)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.addWidget(self._title, 1)
        badges: list[QWidget] = [self._connection, self._link, self._attention, self._clock]
        for badge in badges:
            layout.addWidget(badge)
        layout.addSpacing(12)
        controls: list[QWidget] = [self._member, self._language, self._sign_out]
        for control in controls:
            layout.addWidget(control)
        return header

    def _build_dashboard(self) -> QWidget:
        dashboard = QWidget()
        self._queues_title = named(QLabel(), "sectionTitle")
        self._counters_title = named(QLabel(), "sectionTitle")
        left = QVBoxLayout()
        left.addWidget(self._queues_title)
        left.addWidget(self.queues, len(self._vm.config.services) + 1)
        left.addWidget(self._counters_title)
        left.addWidget(self.counters, len(self._vm.config.counters) + 1)
        self._tabs = named(QTabWidget(), "tabs")
        self._tabs.addTab(self.today, "")
        self._tabs.addTab(self.health, "")
        self._tabs.addTab(self.action_panel, "")
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(left, 3)
        body.addWidget(self._tabs, 2)
        self._message = named(QLabel(), "message")
        self._message.setWordWrap(True)
        layout = QVBoxLayout(dashboard)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(body, 1)
        layout.addWidget(self.confirm_bar)
        layout.addWidget(self._message)
        return dashboard

    # -- acting --------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Count keys and clicks in this window as activity (the idle sign-out waits)."""
        # Inside another window (a tab of the demo), activity is what happens in this screen.
        mine = isinstance(watched, QWidget) and (watched is self or self.isAncestorOf(watched))
        if event.type() in _ACTIVITY and mine:
            self._vm.touch()
        return False

    def _ask_pause(self, code: str, reason: str) -> None:
        name = self._service_name(code)
        self.confirm_bar.ask(
            fill(
                QCoreApplication.translate(
                    "SupervisorWindow",
                    "Pause %1? The kiosk stops giving its tickets; those waiting are still called.",
                ),
                name,
            ),
            QCoreApplication.translate("SupervisorWindow", "Pause it"),
            QCoreApplication.translate("SupervisorWindow", "Go back"),
            partial(self._vm.pause_service, code, reason),
        )

    def _ask_cancel(self, number: str) -> None:
        if not number:
            self._vm.cancel_ticket(number)  # refused at once, with its one line
            return
        shown = number.upper()
        self.confirm_bar.ask(
            fill(
                QCoreApplication.translate(
                    "SupervisorWindow",
                    "Cancel ticket %1? Its visitor loses their place; this cannot be undone.",
                ),
                shown,
            ),
            QCoreApplication.translate("SupervisorWindow", "Cancel the ticket"),
            QCoreApplication.translate("SupervisorWindow", "Keep it"),
            partial(self._vm.cancel_ticket, number),
        )

    def _action_done(self, action: str) -> None:
        if action == SupervisorAction.SIGN_IN and not self._vm.signed_in:
            self.sign_in.refused()
        elif action == SupervisorAction.CANCEL and self._message.property("error") != "true":
            self.action_panel.ticket_number.clear()

    def _toggle_language(self) -> None:
        self._vm.set_language("en" if self._vm.language == "ar" else "ar")

    def _service_name(self, code: str) -> str:
        try:
            return self._vm.config.service(code).name.get(self._vm.language)
        except KeyError:
            return code

    # -- language and size ---------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Size the fonts to the window (designed for 1920 x 1080, fits 1366 x 768)."""
        self._size_fonts()
        super().resizeEvent(event)

    def _apply_language(self, lang: str) -> None:
        self.setLayoutDirection(direction(lang))
        # The other language's name, in itself, so one who cannot read this one finds it.
        self._language.setText("English" if lang == "ar" else "العربية")
        self._size_fonts()
        self._retranslate()

    def _size_fonts(self) -> None:
        lang = self._vm.language
        fonts = self._fonts
        unit = min(max(min(self.width() / 1920, self.height() / 1080), 0.6), 1.5)

        def font(pixels: int, bold: bool = False, language: str = lang) -> QFont:
            return fonts.font(language, max(int(pixels * unit), 8), bold=bold)

        # Every widget gets its font set: under a style sheet, Qt does not pass
        # a parent's font down to its children.
        base = font(20)
        self.setFont(base)
        for child in self.findChildren(QWidget):
            child.setFont(base)
        sizes: list[tuple[QWidget, int, bool]] = [
            (self._title, 28, True),
            (self._clock, 28, True),
            (self._link, 18, True),
            (self._attention, 18, True),
            (self._connection, 18, True),
            (self._member, 20, False),
            (self._sign_out, 18, True),
            (self._message, 20, True),
            (self.confirm_bar.question, 20, True),
            (self.confirm_bar.confirm_button, 20, True),
            (self.confirm_bar.back_button, 20, True),
            (self._tabs, 19, True),
            (self.sign_in.title, 34, True),
            (self.sign_in.sign_in_button, 24, True),
            (self.sign_in.message, 20, True),
            (self.today.overall, 19, True),
        ]
        sizes += [(title, 22, True) for title in self.findChildren(QLabel, "sectionTitle")]
        sizes += [(tile.caption, 17, False) for tile in self.today.tiles.values()]
        sizes += [(box, 19, True) for box in self.findChildren(QGroupBox, "actionGroup")]
        for widget, pixels, bold in sizes:
            widget.setFont(font(pixels, bold))
        for field in (self.sign_in.staff_id, self.sign_in.pin):
            field.setFont(font(30, True, "en"))
        for key in self.sign_in.findChildren(QPushButton):
            if key.objectName().startswith("key_"):
                key.setFont(font(28, True, "en"))
                key.setMinimumHeight(int(64 * unit))
        for tile in self.today.tiles.values():
            tile.value.setFont(font(44, True, "en"))
        self.action_panel.message_ar.setFont(font(20, False, "ar"))
        self.action_panel.message_en.setFont(font(20, False, "en"))
        self.today.chart.set_font(font(15))
        self.today.set_face_size(max(int(40 * unit), 16))
        tables = [self.queues, self.counters, self.today.satisfaction, self.health.devices]
        for table in tables:
            pixels = 21 if table in (self.queues, self.counters) else 18
            table.setFont(font(pixels))
            header = table.horizontalHeader()
            for part in (header, header.viewport()):
                part.setFont(font(16, True))
            size_table(table, max(int(pixels * unit), 8))
        self._language.setFont(font(18, True, "en" if lang == "ar" else "ar"))

    def _retranslate(self) -> None:
        translate = QCoreApplication.translate
        lang = self._vm.language
        centre = self._vm.config.centre.name.get(lang)
        self.setWindowTitle(fill(translate("SupervisorWindow", "Taboor — supervisor — %1"), centre))
        self._title.setText(centre)
        self._queues_title.setText(translate("SupervisorWindow", "Queues"))
        self._counters_title.setText(translate("SupervisorWindow", "Counters"))
        self._connection.setText(translate("SupervisorWindow", "Offline: reconnecting…"))
        self._sign_out.setText(translate("SupervisorWindow", "Sign out"))
        self.sign_in.retranslate()
        self.queues.retranslate()
        self.counters.retranslate()
        self.today.retranslate(lang)
        self.health.retranslate()
        self.action_panel.retranslate(lang)
        self.confirm_bar.dismiss()
        self._show_member(self._vm.member)
        self.action_panel.show_hall_message(self._vm.hall_message)
        report = self._vm.report
        if report is not None:
            self._show_report(report)
        else:
            self._show_tab_titles(0)

    # -- showing -----------------------------------------------------------

    def _show_report(self, report: DayReport) -> None:
        lang = self._vm.language
        now = self._vm.now()
        self.queues.show_lines(report.services, lang)
        self.counters.show_lines(report.counters, report.by_counter, lang, now)
        self.today.show_report(report, lang)
        self.health.show_report(report, now)
        self.action_panel.show_report(report)
        link = report.status.sync.link
        self._link.setText(link_text(link))
        set_flag(self._link, "bad", link in ("offline", "auth_failed"))
        set_flag(self._link, "off", link not in ("online", "offline", "auth_failed"))
        attention = attention_count(report)
        self._attention.setText(
            fill(QCoreApplication.translate("SupervisorWindow", "%1 to look at"), attention)
        )
        self._attention.setVisible(attention > 0)
        self._show_tab_titles(attention)

    def _show_tab_titles(self, attention: int) -> None:
        translate = QCoreApplication.translate
        health = translate("SupervisorWindow", "Health")
        if attention:
            health = f"{health} ({attention})"
        titles = [
            translate("SupervisorWindow", "Today"),
            health,
            translate("SupervisorWindow", "Actions"),
        ]
        for index, title in enumerate(titles):
            self._tabs.setTabText(index, title)

    def _show_time(self, now: datetime) -> None:
        self._clock.setText(f"{now:%H:%M}")
        self.counters.tick(now)

    def _show_member(self, member: staff.StaffMember | None) -> None:
        signed_in = member is not None
        for widget in (self._member, self._sign_out, self._link, self._clock):
            widget.setVisible(signed_in)
        self._attention.setVisible(signed_in and attention_count(self._vm.report) > 0)
        if member is not None:
            name = member.name_ar if self._vm.language == "ar" else member.name_en
            self._member.setText(name)
            if not self.shows_dashboard():
                self._pages.setCurrentWidget(self._dashboard)
                self.sign_in.reset()
                self.sign_in.show_message("", False)
        elif self.shows_dashboard() or self._pages.currentWidget() is None:
            self._pages.setCurrentWidget(self.sign_in)
            self.confirm_bar.dismiss()
            self._show_message("", False)
            self.action_panel.ticket_number.clear()
            self.action_panel.reason.clear()
            self.sign_in.reset()

    def _show_busy(self, busy: bool) -> None:
        self.action_panel.set_busy(busy)
        self.sign_in.set_busy(busy)
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            set_flag(self._message, "busy", False)

    def _show_slow(self) -> None:
        text = QCoreApplication.translate("SupervisorWindow", "Please wait…")
        if self.shows_dashboard():
            self._message.setText(text)
            set_flag(self._message, "busy", True)
        else:
            self.sign_in.show_message(text, False)

    def _show_message(self, text: str, is_error: bool) -> None:
        if self.shows_dashboard():
            self._message.setText(text)
            set_flag(self._message, "error", is_error and bool(text))
        else:
            self.sign_in.show_message(text, is_error)

    def _show_connection(self, connected: bool) -> None:
        self._connection.setVisible(not connected)


__all__ = [
    "IDLE_SIGN_OUT_MINUTES",
    "PERIODIC_REFRESH_MS",
    "REFRESH_DELAY_MS",
    "ConfirmBar",
    "SupervisorAction",
    "SupervisorViewModel",
    "SupervisorWindow",
]
