"""The counter terminal's window: sign-in, then the ticket, its booking, a key per action."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from centre import staff
from centre.config import ServiceConfig
from centre.domain import TicketState
from display.signin import SignInForm
from display.staff_window import StaffWindow
from display.terminal.viewmodel import Action, CounterViewModel
from display.views import AppointmentView, DeskView, ServiceQueue
from ui.fonts import FontBook
from ui.i18n import fill, isolate
from ui.signals import emit
from ui.widgets import load_style, named, set_flag

# Only a slow action shows "please wait": most take a few milliseconds.
BUSY_NOTICE_MS = 300
# What a terminal tells whoever set it up when the centre has no staff accounts yet.
ADD_STAFF_COMMAND = "taboor staff add ID --name-ar … --name-en …"

# Keys, fixed so clerks learn them once; F7 is the one pressed hundreds of times a day.
SHORTCUTS: dict[Action, str] = {
    Action.CALL_NEXT: "F1",
    Action.RECALL: "F2",
    Action.START: "F3",
    Action.FINISH: "F4",
    Action.NO_SHOW: "F5",
    Action.TRANSFER: "F6",
    Action.FINISH_AND_CALL_NEXT: "F7",
    Action.BREAK: "F9",
    Action.SIGN_OUT: "F10",
}
# Opens a closed counter, closes an open one.
OPEN_CLOSE_SHORTCUT = "F8"
# Switches the terminal between Arabic and English, signed in or not.
LANGUAGE_SHORTCUT = "F11"


# -- the window ----------------------------------------------------------------


def format_elapsed(seconds: int) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# Rules for the sign-in form and the break panel, on top of assets/styles/counter.qss.
EXTRA_STYLE = """
QFrame#signInForm {
    background: #ffffff;
    border: 2px solid #c9d3e1;
    border-radius: 16px;
}

QLabel#signInTitle {
    color: #0a1a30;
}

QLabel#signInNote {
    color: #5a6a82;
}

QLabel#signInNote[problem="true"] {
    color: #13233a;
    background: #fff7d6;
    border: 2px solid #f0d36b;
    border-radius: 8px;
    padding: 8px 12px;
}

QLineEdit {
    background: #ffffff;
    border: 2px solid #9fb0c8;
    border-radius: 8px;
    padding: 6px 10px;
    color: #13233a;
}

QLineEdit:focus {
    border-color: #1f5fa8;
}

QPushButton#signInButton {
    background: #1f5fa8;
    border-color: #174a84;
    color: #ffffff;
}

QPushButton#signInButton:disabled {
    background: #9db4d3;
    border-color: #9db4d3;
    color: #eef2f7;
}

QLabel#signInMessage {
    min-height: 36px;
}

QLabel#signInMessage[error="true"] {
    color: #ffffff;
    background: #b00020;
    border-radius: 8px;
    padding: 6px 12px;
}

QLabel#clerkName {
    color: #13233a;
    background: #ffffff;
    border: 2px solid #c9d3e1;
    border-radius: 8px;
    padding: 4px 14px;
}

QLabel#counterState[onBreak="true"] {
    background: #b86e00;
}

QFrame#breakPanel {
    background: #fff3e0;
    border: 3px solid #e0a040;
    border-radius: 16px;
}

QLabel#breakTitle {
    color: #7a4800;
}

QLabel#breakTime {
    color: #7a4800;
}

QLabel#breakSince, QLabel#breakHint {
    color: #5a4a30;
}

QPushButton#action_break {
    border-color: #e0a040;
}

QPushButton#action_break:disabled {
    border-color: #d3dae4;
}
"""


class TransferChooser(QFrame):
    """Asks, in place of the action buttons, which service the ticket goes to.

    Up and down choose, Enter (or a double click) sends it, Escape does not.
    A panel rather than a dialog: a counter PC runs the terminal full screen,
    with no window manager to bring a second window to the front.
    """

    # str: the code of the service chosen
    service_chosen = Signal(str)
    # (no arguments) the clerk changed their mind
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transferChooser")
        self._question = named(QLabel(), "chooserQuestion")
        self._question.setWordWrap(True)
        self.services = named(QListWidget(), "chooserServices")
        self.services.itemActivated.connect(lambda _item: self._choose())
        self._send = named(QPushButton(), "chooserSend")
        self._cancel = named(QPushButton(), "chooserCancel")
        for button in (self._send, self._cancel):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._send.clicked.connect(self._choose)
        self._cancel.clicked.connect(lambda: emit(self.cancelled))
        buttons = QHBoxLayout()
        buttons.addWidget(self._send)
        buttons.addWidget(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self._question)
        layout.addWidget(self.services, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def offer(self, services: list[ServiceConfig], lang: str) -> None:
        """List ``services`` (names in ``lang``) and take the keyboard."""
        self.services.clear()
        for service in services:
            item = QListWidgetItem(service.name.get(lang))
            item.setData(Qt.ItemDataRole.UserRole, service.code)
            self.services.addItem(item)
        self.services.setCurrentRow(0)
        self.services.setFocus()

    def retranslate(self) -> None:
        """Show the texts in the application's language."""
        translate = QCoreApplication.translate
        self._question.setText(translate("TransferChooser", "Send the ticket to which service?"))
        send = translate("TransferChooser", "Transfer")
        cancel = translate("TransferChooser", "Cancel")
        # Key names stay as the keyboard prints them, in any language.
        self._send.setText(f"{send}  (Enter)")
        self._cancel.setText(f"{cancel}  (Esc)")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Escape cancels."""
        if event.key() == Qt.Key.Key_Escape:
            emit(self.cancelled)
            return
        super().keyPressEvent(event)

    def _choose(self) -> None:
        item = self.services.currentItem()
        if item is not None:
            emit(self.service_chosen, str(item.data(Qt.ItemDataRole.UserRole)))


class CounterWindow(StaffWindow[CounterViewModel]):
    """The clerk's screen: sign-in, then the ticket, its booking, a timer and a key per action."""

    def __init__(
        self, view_model: CounterViewModel, fonts: FontBook, parent: QWidget | None = None
    ) -> None:
        super().__init__(view_model, fonts, parent)
        self.setObjectName("counterTerminal")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(load_style("counter") + EXTRA_STYLE)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_NOTICE_MS)
        self._busy_timer.timeout.connect(self._show_slow)
        self._sign_in_text = ("", False)

        self._build()
        self.resize(1280, 800)
        self._actions = self._make_actions()
        self._retranslate()
        self._apply_language(view_model.language)

        view_model.desk_changed.connect(self._show_desk)
        view_model.queues_changed.connect(self._show_queues)
        view_model.elapsed_changed.connect(self._show_elapsed)
        view_model.break_elapsed_changed.connect(self._show_break_elapsed)
        view_model.busy_changed.connect(self._show_busy)
        view_model.message_shown.connect(self._show_message)
        view_model.language_changed.connect(self._apply_language)
        view_model.connection_changed.connect(self._show_connection)
        view_model.clerk_changed.connect(self._show_clerk)
        view_model.sign_in_message.connect(self._show_sign_in_message)
        view_model.lock_changed.connect(lambda _seconds: self._show_sign_in_state())
        view_model.accounts_missing_changed.connect(lambda _missing: self._show_sign_in_state())
        self._show_desk(view_model.desk)
        self._show_queues(view_model.queues)
        self._show_connection(view_model.connected)
        self._show_clerk(view_model.clerk)

    # -- what tests read -----------------------------------------------------

    def button(self, action: Action) -> QPushButton:
        """The button of ``action`` (open and close share one)."""
        if action in (Action.OPEN, Action.CLOSE):
            return self._open_close_button
        if action is Action.SIGN_IN:
            return self._sign_in.sign_in_button
        return self._buttons[action]

    def shown_number(self) -> str:
        """The ticket number shown."""
        return self._number.text()

    def shown_message(self) -> str:
        """The message line."""
        return self._message.text()

    @property
    def sign_in_form(self) -> SignInForm | None:
        """The sign-in form, while the terminal asks for one."""
        return self._sign_in if self._pages.currentWidget() is self._sign_in_page else None

    def shown_sign_in_message(self) -> str:
        """The sign-in form's message line."""
        return self._sign_in.message.text()

    def shown_sign_in_note(self) -> str:
        """The line above the sign-in form's fields."""
        return self._sign_in.note.text()

    def shown_clerk(self) -> str:
        """The clerk's name as shown (empty when nobody is signed in)."""
        return self._clerk.text() if self._clerk.isVisibleTo(self) else ""

    def shown_break(self) -> tuple[str, str] | None:
        """The break panel's time since the break started and its start, while it shows."""
        if self._ticket_side.currentWidget() is not self._break_panel:
            return None
        return self._break_time.text(), self._break_since.text()

    @property
    def transfer_chooser(self) -> TransferChooser | None:
        """The transfer chooser, while it is open."""
        return self._chooser if self._side.currentWidget() is self._chooser else None

    # -- building ------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        # Fonts follow the window's size (resizeEvent), so the layout must not
        # hold the window to the size of the fonts it had.
        root.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        root.setContentsMargins(20, 16, 20, 16)
        root.setSpacing(10)
        self._pages = QStackedWidget()
        self._sign_in_page = self._build_sign_in_page()
        self._desk_page = self._build_desk_page()
        self._pages.addWidget(self._sign_in_page)
        self._pages.addWidget(self._desk_page)
        root.addLayout(self._build_top())
        root.addWidget(self._pages, 1)

    def _build_sign_in_page(self) -> QWidget:
        page = QWidget()
        self._sign_in = SignInForm()
        self._sign_in.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._sign_in.submitted.connect(self._vm.sign_in)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self._sign_in, 3)
        row.addStretch(1)
        column = QVBoxLayout(page)
        column.addStretch(1)
        column.addLayout(row)
        column.addStretch(2)
        return page

    def _build_desk_page(self) -> QWidget:
        page = QWidget()
        middle = QHBoxLayout()
        self._ticket_side = QStackedWidget()
        self._ticket_panel = self._build_ticket_panel()
        self._ticket_side.addWidget(self._ticket_panel)
        self._break_panel = self._build_break_panel()
        self._ticket_side.addWidget(self._break_panel)
        middle.addWidget(self._ticket_side, 5)
        buttons = QWidget()
        buttons.setLayout(self._build_buttons())
        self._chooser = TransferChooser()
        self._chooser.service_chosen.connect(self._transfer_chosen)
        self._chooser.cancelled.connect(self._close_chooser)
        self._side = QStackedWidget()
        self._side.addWidget(buttons)
        self._side.addWidget(self._chooser)
        middle.addWidget(self._side, 4)
        self._queues_title = named(QLabel(), "queuesTitle")
        self._queues = named(QLabel(), "queues")
        queues = QHBoxLayout()
        queues.addWidget(self._queues_title, 0, Qt.AlignmentFlag.AlignTop)
        queues.addWidget(self._queues, 1)
        self._queues.setWordWrap(True)
        self._message = named(QLabel(), "message")
        self._message.setWordWrap(True)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addLayout(middle, 1)
        column.addLayout(queues)
        column.addWidget(self._message)
        return page

    def _build_top(self) -> QHBoxLayout:
        self._title = named(QLabel(), "title")
        self._state = named(QLabel(), "counterState")
        self._clerk = named(QLabel(), "clerkName")
        self._connection = named(QLabel(), "connection")
        top = QHBoxLayout()
        top.addWidget(self._title)
        top.addWidget(self._state)
        top.addSpacing(8)
        top.addWidget(self._clerk)
        top.addStretch(1)
        top.addWidget(self._connection)
        top.addWidget(self._language)
        return top

    def _build_ticket_panel(self) -> QFrame:
        ticket = named(QFrame(), "ticketPanel")
        self._ticket_title = named(QLabel(), "panelTitle")
        self._number = named(QLabel(), "number")
        self._service = named(QLabel(), "service")
        self._service.setWordWrap(True)
        self._ticket_state = named(QLabel(), "ticketState")
        self._elapsed = named(QLabel(), "elapsed")
        for label in (self._number, self._service, self._ticket_state, self._elapsed):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._booking = named(QFrame(), "booking")
        self._booking_title = named(QLabel(), "bookingTitle")
        self._booking_name = named(QLabel(), "bookingName")
        self._booking_slot = named(QLabel(), "bookingDetail")
        self._booking_cpr = named(QLabel(), "bookingDetail")
        booking = QVBoxLayout(self._booking)
        for label in (self._booking_title, self._booking_name, self._booking_slot):
            booking.addWidget(label)
        booking.addWidget(self._booking_cpr)
        panel = QVBoxLayout(ticket)
        panel.addWidget(self._ticket_title)
        panel.addWidget(self._number, 1)
        panel.addWidget(self._service)
        state = QHBoxLayout()
        state.addStretch(1)
        state.addWidget(self._ticket_state)
        state.addSpacing(16)
        state.addWidget(self._elapsed)
        state.addStretch(1)
        panel.addLayout(state)
        panel.addWidget(self._booking)
        return ticket

    def _build_break_panel(self) -> QFrame:
        panel = named(QFrame(), "breakPanel")
        self._break_title = named(QLabel(), "breakTitle")
        self._break_time = named(QLabel(), "breakTime")
        self._break_since = named(QLabel(), "breakSince")
        self._break_hint = named(QLabel(), "breakHint")
        self._break_hint.setWordWrap(True)
        layout = QVBoxLayout(panel)
        layout.addStretch(1)
        for label in (self._break_title, self._break_time, self._break_since, self._break_hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch(1)
        return panel

    def _build_buttons(self) -> QGridLayout:
        self._buttons: dict[Action, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(12)
        places = [
            (Action.CALL_NEXT, 0, 0, 1, 2),
            (Action.RECALL, 1, 0, 1, 1),
            (Action.START, 1, 1, 1, 1),
            (Action.FINISH, 2, 0, 1, 1),
            (Action.NO_SHOW, 2, 1, 1, 1),
            (Action.FINISH_AND_CALL_NEXT, 3, 0, 1, 2),
            (Action.TRANSFER, 4, 0, 1, 1),
            (Action.BREAK, 5, 0, 1, 1),
            (Action.SIGN_OUT, 5, 1, 1, 1),
        ]
        for action, row, column, rows, columns in places:
            button = named(QPushButton(), f"action_{action.value}")
            grid.addWidget(button, row, column, rows, columns)
            self._buttons[action] = button
        self._open_close_button = named(QPushButton(), "action_open_close")
        grid.addWidget(self._open_close_button, 4, 1)
        for button in [*self._buttons.values(), self._open_close_button]:
            # Keys go to the window's shortcuts, never to a focused button.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return grid

    def _make_actions(self) -> dict[Action, QAction]:
        triggers: dict[Action, Callable[[], None]] = {
            Action.CALL_NEXT: self._vm.call_next,
            Action.RECALL: self._vm.recall,
            Action.START: self._vm.start_serving,
            Action.FINISH: self._vm.finish,
            Action.FINISH_AND_CALL_NEXT: self._vm.finish_and_call_next,
            Action.NO_SHOW: self._vm.no_show,
            Action.TRANSFER: self.choose_transfer,
            Action.BREAK: self._vm.take_break,
            Action.SIGN_OUT: self._vm.sign_out,
        }
        actions: dict[Action, QAction] = {}
        for action, trigger in triggers.items():
            qaction = self._shortcut(SHORTCUTS[action], trigger)
            self._buttons[action].clicked.connect(qaction.trigger)
            actions[action] = qaction
        self._toggle = self._shortcut(OPEN_CLOSE_SHORTCUT, self._open_or_close)
        self._open_close_button.clicked.connect(self._toggle.trigger)
        switch = self._shortcut(LANGUAGE_SHORTCUT, self._toggle_language)
        self._language.clicked.connect(switch.trigger)
        return actions

    def _shortcut(self, key: str, trigger: Callable[[], None]) -> QAction:
        qaction = QAction(self)
        qaction.setShortcut(QKeySequence(key))
        qaction.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        qaction.triggered.connect(trigger)
        self.addAction(qaction)
        return qaction

    # -- acting --------------------------------------------------------------

    def choose_transfer(self) -> None:
        """Ask which service to send the current ticket to (F6)."""
        if not self._vm.can(Action.TRANSFER):
            return
        self._chooser.offer(self._vm.transfer_targets(), self._vm.language)
        self._side.setCurrentWidget(self._chooser)
        # While choosing, keys belong to the list: F1 must not call someone meanwhile.
        for qaction in [*self._actions.values(), self._toggle]:
            qaction.setEnabled(False)

    def _transfer_chosen(self, service: str) -> None:
        self._close_chooser()
        self._vm.transfer(service)

    def _close_chooser(self) -> None:
        self._side.setCurrentIndex(0)
        self._show_desk(self._vm.desk)

    def _open_or_close(self) -> None:
        if self._vm.can(Action.OPEN):
            self._vm.open_counter()
        elif self._vm.can(Action.CLOSE):
            self._vm.close_counter()

    # -- language --------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Put the cursor in the sign-in form when the window opens on it."""
        super().showEvent(event)
        if self.sign_in_form is not None:
            self._sign_in.take_keyboard()

    def _language_button_text(self, other: str) -> str:
        return f"{other}  ({LANGUAGE_SHORTCUT})"

    def _size_fonts(self) -> None:
        # Designed for 1280 x 800; fits 1024 x 768.
        lang = self._vm.language
        fonts = self._fonts
        unit = min(self.width() / 1280, self.height() / 800, 1.5)

        def font(language: str, pixels: int, bold: bool) -> QFont:
            return fonts.font(language, max(int(pixels * unit), 8), bold=bold)

        self.setFont(font(lang, 22, False))
        form = self._sign_in
        sizes: list[tuple[QWidget, int, bool]] = [
            (self._title, 32, True),
            (self._state, 22, True),
            (self._clerk, 20, True),
            (self._connection, 20, True),
            (self._ticket_title, 20, False),
            (self._service, 24, True),
            (self._ticket_state, 22, False),
            (self._booking_title, 17, False),
            (self._booking_name, 24, True),
            (self._booking_slot, 19, False),
            (self._booking_cpr, 19, False),
            (self._break_title, 44, True),
            (self._break_since, 24, False),
            (self._break_hint, 20, False),
            (self._queues_title, 22, True),
            (self._queues, 22, False),
            (self._message, 22, True),
            (self._open_close_button, 22, True),
            (self._chooser, 22, False),
            (form.title, 32, True),
            (form.note, 20, False),
            (form.id_label, 22, True),
            (form.pin_label, 22, True),
            (form.sign_in_button, 24, True),
            (form.message, 20, True),
        ]
        sizes += [(button, 22, True) for button in self._buttons.values()]
        for widget, pixels, bold in sizes:
            widget.setFont(font(lang, pixels, bold))
        # Ticket numbers, timers, ids and PINs are Latin whatever the language.
        self._number.setFont(font("en", 110, True))
        self._elapsed.setFont(font("en", 30, True))
        self._break_time.setFont(font("en", 96, True))
        for field in (form.staff_id, form.pin):
            field.setFont(font("en", 28, False))
        self._language.setFont(font("en" if lang == "ar" else "ar", 18, True))

    def _retranslate(self) -> None:
        translate = QCoreApplication.translate
        counter = self._vm.counter_id
        self.setWindowTitle(fill(translate("CounterWindow", "Taboor — counter %1"), counter))
        self._title.setText(fill(translate("CounterWindow", "Counter %1"), counter))
        self._ticket_title.setText(translate("CounterWindow", "Current ticket"))
        self._booking_title.setText(translate("CounterWindow", "Appointment"))
        self._queues_title.setText(translate("CounterWindow", "Waiting for this counter:"))
        self._break_title.setText(translate("CounterWindow", "On break"))
        self._break_hint.setText(
            translate("CounterWindow", "F1 calls the next visitor and ends the break; F9 ends it.")
        )
        labels = {
            Action.CALL_NEXT: translate("CounterWindow", "Call next"),
            Action.RECALL: translate("CounterWindow", "Recall"),
            Action.START: translate("CounterWindow", "Start serving"),
            Action.FINISH: translate("CounterWindow", "Done"),
            Action.NO_SHOW: translate("CounterWindow", "No-show"),
            Action.FINISH_AND_CALL_NEXT: translate("CounterWindow", "Done and call next"),
            Action.TRANSFER: translate("CounterWindow", "Transfer…"),
            Action.SIGN_OUT: translate("CounterWindow", "Sign out"),
        }
        for action, label in labels.items():
            self._buttons[action].setText(f"{label}  ({SHORTCUTS[action]})")
        self._connection.setText(translate("CounterWindow", "Offline: reconnecting…"))
        form = self._sign_in
        form.retranslate()
        form.title.setText(fill(translate("CounterWindow", "Sign in to counter %1"), counter))
        self._chooser.retranslate()
        self._show_desk(self._vm.desk)
        self._show_queues(self._vm.queues)
        self._show_clerk(self._vm.clerk)

    # -- showing -----------------------------------------------------------

    def _show_clerk(self, clerk: staff.StaffMember | None) -> None:
        self._clerk.setVisible(clerk is not None)
        if clerk is not None:
            self._clerk.setText(clerk.name_ar if self._vm.language == "ar" else clerk.name_en)
        page = self._desk_page if clerk is not None else self._sign_in_page
        if page is not self._pages.currentWidget():
            self._pages.setCurrentWidget(page)
            if clerk is None:
                self._side.setCurrentIndex(0)  # a transfer half chosen is dropped
                self._sign_in.staff_id.clear()
                self._prefill_staff_id(self._vm.desk)
                self._sign_in.take_keyboard()
            else:
                self.setFocus()
        self._show_sign_in_state()
        self._show_actions()

    def _prefill_staff_id(self, desk: DeskView) -> None:
        # A terminal restarted with its clerk signed in asks that clerk's PIN only.
        field = self._sign_in.staff_id
        if self._vm.clerk is None and desk.staff_id and not field.text():
            field.setText(desk.staff_id)
            if self._sign_in.isVisible():
                self._sign_in.take_keyboard()

    def _show_sign_in_message(self, text: str, is_error: bool) -> None:
        self._sign_in_text = (text, is_error)
        self._show_sign_in_state()

    def _show_sign_in_state(self) -> None:
        translate = QCoreApplication.translate
        lang = self._vm.language
        desk = self._vm.desk
        form = self._sign_in
        missing = self._vm.accounts_missing
        if missing:
            note = fill(
                translate("CounterWindow", "No staff accounts yet: add one with %1"),
                isolate(ADD_STAFF_COMMAND),
            )
        elif desk.staff_id is not None and self._vm.clerk is None:
            name = desk.staff_name.get(lang) if desk.staff_name else desk.staff_id
            note = fill(
                translate(
                    "CounterWindow", "%1 is signed in at this counter: type the PIN to go on."
                ),
                name,
            )
        else:
            note = translate("SignInForm", "Type your staff id and PIN.")
        form.note.setText(note)
        set_flag(form.note, "problem", missing)
        seconds = self._vm.lock_seconds()
        if seconds:
            text, is_error = (
                fill(translate("CounterWindow", "Too many wrong PINs: wait %1 s."), seconds),
                True,
            )
        else:
            text, is_error = self._sign_in_text
        form.show_message(text, is_error)
        form.sign_in_button.setEnabled(self._vm.can(Action.SIGN_IN) and not self._vm.busy)

    def _show_desk(self, desk: DeskView) -> None:
        translate = QCoreApplication.translate
        lang = self._vm.language
        ticket = desk.ticket
        if ticket is None and desk.on_break:
            state = translate("CounterWindow", "On break")
        elif ticket is None:
            state = (
                translate("CounterWindow", "Open")
                if desk.is_open
                else translate("CounterWindow", "Closed")
            )
        elif ticket.state is TicketState.SERVING:
            state = translate("CounterWindow", "Serving")
        else:
            state = translate("CounterWindow", "Calling")
        self._state.setText(state)
        set_flag(self._state, "open", desk.is_open)
        set_flag(self._state, "onBreak", desk.on_break)
        self._number.setText(ticket.number if ticket is not None else "—")
        self._service.setText(desk.service_name.get(lang) if desk.service_name else "")
        if ticket is None and desk.is_open:
            self._ticket_state.setText(
                translate("CounterWindow", "No ticket. Press F1 to call the next visitor.")
            )
        elif ticket is None:
            self._ticket_state.setText(
                translate(
                    "CounterWindow", "The counter is closed. F8 opens it; F1 opens it and calls."
                )
            )
        elif ticket.state is TicketState.SERVING:
            self._ticket_state.setText(translate("CounterWindow", "Being served"))
        else:
            recalls = ticket.recalls
            text = translate("CounterWindow", "Called, waiting for the visitor")
            if recalls:
                text = fill(
                    translate("CounterWindow", "Called again (%1), waiting for the visitor"),
                    recalls,
                )
            self._ticket_state.setText(text)
        self._show_booking(desk.appointment, verify=desk.verify)
        self._show_break(desk)
        self._prefill_staff_id(desk)
        self._show_sign_in_state()
        self._show_actions()

    def _show_break(self, desk: DeskView) -> None:
        on_break = desk.on_break and desk.ticket is None
        self._ticket_side.setCurrentWidget(self._break_panel if on_break else self._ticket_panel)
        since = desk.break_since
        self._break_since.setText(
            fill(QCoreApplication.translate("CounterWindow", "Since %1"), f"{since:%H:%M}")
            if since is not None
            else ""
        )
        seconds = self._vm.break_seconds()
        self._break_time.setText(format_elapsed(seconds) if seconds is not None else "")

    def _show_booking(self, appointment: AppointmentView | None, *, verify: bool = False) -> None:
        translate = QCoreApplication.translate
        lang = self._vm.language
        self._booking.setVisible(appointment is not None or verify)
        if appointment is None and verify:
            self._booking_name.setText(
                translate("CounterWindow", "Check the visitor's booking before serving")
            )
            self._booking_slot.setText(
                translate(
                    "CounterWindow",
                    "Checked in while the central system was unreachable; no booking was found.",
                )
            )
            self._booking_cpr.setVisible(False)
        if appointment is not None:
            self._booking_name.setText(appointment.name.get(lang) if appointment.name else "")
            self._booking_slot.setText(
                fill(
                    translate("CounterWindow", "Booking %1, from %2 to %3"),
                    isolate(appointment.reference),
                    f"{appointment.slot_start:%H:%M}",
                    f"{appointment.slot_end:%H:%M}",
                )
            )
            self._booking_cpr.setText(
                fill(translate("CounterWindow", "CPR %1"), isolate(appointment.cpr_masked))
                if appointment.cpr_masked
                else ""
            )
            self._booking_cpr.setVisible(appointment.cpr_masked is not None)

    def _show_actions(self) -> None:
        translate = QCoreApplication.translate
        choosing = self.transfer_chooser is not None
        if choosing and not self._vm.can(Action.TRANSFER):
            # The ticket went away (another terminal) while the clerk was choosing.
            self._side.setCurrentIndex(0)
            choosing = False
        for action, qaction in self._actions.items():
            enabled = self._vm.can(action)
            qaction.setEnabled(enabled and not choosing)
            self._buttons[action].setEnabled(enabled)
        opening = self._vm.can(Action.OPEN)
        if opening:
            toggle = translate("CounterWindow", "Open counter")
        else:
            toggle = translate("CounterWindow", "Close counter")
        self._open_close_button.setText(f"{toggle}  ({OPEN_CLOSE_SHORTCUT})")
        self._open_close_button.setEnabled(opening or self._vm.can(Action.CLOSE))
        self._toggle.setEnabled(self._open_close_button.isEnabled() and not choosing)
        if self._vm.desk.on_break:
            pause = translate("CounterWindow", "End break")
        else:
            pause = translate("CounterWindow", "Break")
        self._buttons[Action.BREAK].setText(f"{pause}  ({SHORTCUTS[Action.BREAK]})")

    def _show_elapsed(self, seconds: int) -> None:
        self._elapsed.setText(format_elapsed(seconds) if seconds >= 0 else "")

    def _show_break_elapsed(self, seconds: int) -> None:
        self._break_time.setText(format_elapsed(seconds) if seconds >= 0 else "")

    def _show_queues(self, queues: list[ServiceQueue]) -> None:
        translate = QCoreApplication.translate
        lang = self._vm.language
        parts = []
        for queue in queues:
            if queue.eta_minutes is not None and queue.waiting:
                text = translate("CounterWindow", "%1: %2 waiting, about %3 min")
                parts.append(fill(text, queue.name.get(lang), queue.waiting, queue.eta_minutes))
            else:
                text = translate("CounterWindow", "%1: %2 waiting")
                parts.append(fill(text, queue.name.get(lang), queue.waiting))
        self._queues.setText("   ·   ".join(parts))

    def _show_busy(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            set_flag(self._message, "busy", False)
        self._sign_in.sign_in_button.setEnabled(self._vm.can(Action.SIGN_IN) and not busy)

    def _show_slow(self) -> None:
        self._message.setText(QCoreApplication.translate("CounterWindow", "Please wait…"))
        set_flag(self._message, "busy", True)

    def _show_message(self, text: str, is_error: bool) -> None:
        self._message.setText(text)
        set_flag(self._message, "error", is_error)

    def _show_connection(self, connected: bool) -> None:
        self._connection.setVisible(not connected)


__all__ = [
    "ADD_STAFF_COMMAND",
    "LANGUAGE_SHORTCUT",
    "OPEN_CLOSE_SHORTCUT",
    "SHORTCUTS",
    "CounterWindow",
    "TransferChooser",
    "format_elapsed",
]
