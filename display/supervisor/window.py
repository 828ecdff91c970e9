"""The supervisor's screen: sign-in, then the live queues and counters, the day, the health."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QFont
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
from centre.devices import LINK_ROLES
from centre.supervision import DayReport
from display.following import single_shot
from display.reports.tab import ReportsTab
from display.signin import SignInForm
from display.staff_window import StaffWindow
from display.supervisor.viewmodel import SupervisorAction, SupervisorViewModel
from display.supervisor.widgets import (
    ActionsPanel,
    CountersTable,
    HealthPanel,
    QueuesTable,
    TodayPanel,
    attention_count,
    link_text,
    size_table,
)
from ui.fonts import FontBook
from ui.i18n import fill, isolate
from ui.widgets import load_style, named, set_flag

# Only a slow action shows "please wait".
BUSY_NOTICE_MS = 300


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


class SupervisorWindow(StaffWindow[SupervisorViewModel]):
    """The supervisor's screen: sign-in, then the live centre (1920 x 1080; fits 1366 x 768)."""

    def __init__(
        self, view_model: SupervisorViewModel, fonts: FontBook, parent: QWidget | None = None
    ) -> None:
        super().__init__(view_model, fonts, parent)
        config = view_model.config
        self.setObjectName("supervisor")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(load_style("supervisor"))
        self._busy_timer = single_shot(self, BUSY_NOTICE_MS, self._show_slow)

        self.sign_in = SignInForm(keypad=True)
        self.queues = QueuesTable()
        self.counters = CountersTable(config)
        self.today = TodayPanel(config)
        self.health = HealthPanel()
        self.action_panel = ActionsPanel(config, can_reprint=view_model.can_reprint)
        self.reports = ReportsTab(view_model.reports, config)
        self.confirm_bar = ConfirmBar()
        self._build()
        self.resize(1920, 1080)

        self.sign_in.submitted.connect(view_model.sign_in)
        self.queues.service_chosen.connect(self.action_panel.select_service)
        self.counters.counter_chosen.connect(self.action_panel.select_counter)
        self.action_panel.pause_requested.connect(self._ask_pause)
        self.action_panel.resume_requested.connect(view_model.resume_service)
        self.action_panel.message_requested.connect(view_model.set_hall_message)
        self.action_panel.message_clear_requested.connect(view_model.clear_hall_message)
        self.action_panel.services_requested.connect(view_model.set_counter_services)
        self.action_panel.cancel_requested.connect(self._ask_cancel)
        self.action_panel.reprint_requested.connect(view_model.reprint_ticket)
        self.health.revoke_requested.connect(self._ask_revoke)

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
        """The tabs of the right-hand side: today, health, actions, reports."""
        return self._tabs

    def shows_live(self) -> bool:
        """Whether the live queues and counters are shown (not while reading reports)."""
        return self._live.isVisibleTo(self)

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
        self._sign_in_page = self._build_sign_in_page()
        self._pages.addWidget(self._sign_in_page)
        self._pages.addWidget(self._dashboard)
        root.addWidget(self._pages, 1)

    def _build_sign_in_page(self) -> QWidget:
        page = QWidget()
        form = self.sign_in
        form.setMaximumWidth(560)
        form.title.setText(QCoreApplication.translate("SupervisorWindow", "Supervisor sign-in"))
        for label in (form.note, form.message):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for field in (form.staff_id, form.pin):
            field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(form)
        column.addStretch(2)
        row = QHBoxLayout(page)
        row.addStretch(1)
        row.addLayout(column, 3)
        row.addStretch(1)
        return page

    def _build_header(self) -> QFrame:
        header = named(QFrame(), "header")
        self._title = named(QLabel(), "title")
        self._clock = named(QLabel(), "clock")
        self._link = named(QLabel(), "linkBadge")
        self._attention = named(QLabel(), "attentionBadge")
        self._connection = named(QLabel(), "connection")
        self._member = named(QLabel(), "member")
        self._sign_out = named(QPushButton(), "signOut")
        self._sign_out.setFocusPolicy(Qt.FocusPolicy.NoFocus)
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
        self._live = QWidget()
        left = QVBoxLayout(self._live)
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(16)
        left.addWidget(self._queues_title)
        left.addWidget(self.queues, len(self._vm.config.services) + 1)
        left.addWidget(self._counters_title)
        left.addWidget(self.counters, len(self._vm.config.counters) + 1)
        self._tabs = named(QTabWidget(), "tabs")
        self._tabs.addTab(self.today, "")
        self._tabs.addTab(self.health, "")
        self._tabs.addTab(self.action_panel, "")
        self._tabs.addTab(self.reports, "")
        self._tabs.currentChanged.connect(self._tab_chosen)
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(self._live, 3)
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
        name = self._vm.service_label(code)
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

    def _ask_revoke(self, name: str, role: str) -> None:
        translate = QCoreApplication.translate
        if role in LINK_ROLES:
            question = translate(
                "SupervisorWindow",
                "Revoke %1? That display stops at once and must be paired again.",
            )
        else:
            question = translate(
                "SupervisorWindow",
                "Revoke %1? That device stops at once and needs a new token to connect again.",
            )
        self.confirm_bar.ask(
            fill(question, isolate(name)),
            translate("SupervisorWindow", "Revoke it"),
            translate("SupervisorWindow", "Keep it connected"),
            partial(self._vm.revoke_device, name),
        )

    def _tab_chosen(self, index: int) -> None:
        # A report wants the whole width: the live queues step aside while it is read.
        reading = self._tabs.widget(index) is self.reports
        self._live.setVisible(not reading)
        reports = self._vm.reports
        if reading and reports.report is None and not reports.busy:
            reports.load()

    def _action_done(self, action: str) -> None:
        if action == SupervisorAction.SIGN_IN and not self._vm.signed_in:
            self.sign_in.refused()
        elif action == SupervisorAction.CANCEL and self._message.property("error") != "true":
            self.action_panel.ticket_number.clear()

    # -- language and size ---------------------------------------------------

    def _size_fonts(self) -> None:
        # Designed for 1920 x 1080; fits 1366 x 768.
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
        tables = [
            self.queues,
            self.counters,
            self.today.satisfaction,
            self.health.devices,
            self.health.enrolled,
        ]
        for table in tables:
            pixels = 21 if table in (self.queues, self.counters) else 18
            table.setFont(font(pixels))
            header = table.horizontalHeader()
            for part in (header, header.viewport()):
                part.setFont(font(16, True))
            size_table(table, max(int(pixels * unit), 8))
        self._language.setFont(font(18, True, "en" if lang == "ar" else "ar"))
        self.reports.size_fonts(font)

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
        self.sign_in.title.setText(translate("SupervisorWindow", "Supervisor sign-in"))
        self.queues.retranslate()
        self.counters.retranslate()
        self.today.retranslate(lang)
        self.health.retranslate()
        self.action_panel.retranslate(lang)
        self.reports.retranslate(lang)
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
        self.health.show_report(report, now, self._vm.in_use(report))
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
            translate("SupervisorWindow", "Reports"),
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
            self._pages.setCurrentWidget(self._sign_in_page)
            # The next supervisor starts on the live centre.
            self._tabs.setCurrentWidget(self.today)
            self.confirm_bar.dismiss()
            self._show_message("", False)
            self.action_panel.ticket_number.clear()
            self.action_panel.reason.clear()
            self.sign_in.reset()

    def _show_busy(self, busy: bool) -> None:
        self.action_panel.set_busy(busy)
        self.health.set_busy(busy)
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


__all__ = ["ConfirmBar", "SupervisorWindow"]
