"""The kiosk's window: thin screens over the view-model, wedge-scanner keys, a hidden staff exit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from centre import usecases as uc
from kiosk.messages import service_name
from kiosk.scanner import MAX_SCAN
from kiosk.viewmodel import KioskViewModel, Message, Screen, ServiceChoice, TextsNote
from ui.fonts import FontBook
from ui.i18n import direction, fill, isolate
from ui.qr import qr_pixmap
from ui.widgets import load_style, named, set_flag

#: The least size of anything a finger presses: 15 mm, never under this many pixels.
MIN_TARGET_PX = 90
TARGET_MM = 15.0


def touch_target_px() -> int:
    """15 mm on the primary screen, from its physical DPI, with a floor."""
    screen = QGuiApplication.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen is not None else 0.0
    return max(MIN_TARGET_PX, round(TARGET_MM * dpi / 25.4))


class TicketNote(StrEnum):
    """What the ticket screen says under the ticket: where it is."""

    PRINTING = "printing"
    PRINT_FAILED = "print_failed"  # the QR on screen stands in for the paper
    ON_PHONE = "on_phone"  # the QR on screen is for the visitor's phone; nothing prints


@dataclass(frozen=True)
class NumberEntry:
    """A screen where a number is typed on the on-screen pad: the CPR's, the mobile's for texts.

    The number shows above the pad (beside it in landscape), left to right in
    both languages; the pad is 1 to 9, then Clear, 0 and ⌫.
    """

    title: QLabel
    display: QLabel
    hint: QLabel
    # Top to bottom, or left to right in landscape (see KioskWindow._set_landscape).
    body: QBoxLayout
    digit_buttons: dict[str, QPushButton]
    clear_button: QPushButton
    backspace_button: QPushButton
    back: QPushButton
    submit: QPushButton


translate = QCoreApplication.translate


class KioskWindow(QWidget):
    """Every kiosk screen in one stack; keystrokes of a keyboard-wedge scanner caught here."""

    def __init__(
        self, view_model: KioskViewModel, fonts: FontBook, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.vm = view_model
        self.fonts = fonts
        self.target = touch_target_px()
        self._wedge = ""
        # The number pad on screen, if one is: its keyboard digits are in _wedge too.
        self._pad_screen: Screen | None = None
        self._message: Message | None = None
        # A refusal shown on the CPR screen itself (a half-typed number), until the next digit.
        self._cpr_warning = ""
        self._choices: list[ServiceChoice] = []
        self._options: list[uc.AppointmentOption] = []
        self._ticket_note = TicketNote.PRINTING
        self.setObjectName("kiosk")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(load_style("kiosk"))
        self.resize(1080, 1920)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # The window's size is the screen's: content never resizes it.
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._build_bar(outer)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.busy_label = named(QLabel(), "busy")
        self.busy_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy_label.hide()
        outer.addWidget(self.busy_label)
        self.pages: dict[Screen, QWidget] = {}
        self._build_home()
        self._build_cpr()
        self._build_choose()
        self._build_services()
        self._build_ticket()
        self._build_texts()
        self._build_message()
        self._build_closed()
        self._build_pin()
        self._connect(view_model)
        self._on_language(view_model.language)
        self._on_screen(view_model.screen.value)

    def _connect(self, view_model: KioskViewModel) -> None:
        view_model.screen_changed.connect(self._on_screen)
        view_model.language_changed.connect(self._on_language)
        view_model.busy_changed.connect(self._on_busy)
        view_model.cpr_changed.connect(self._on_cpr)
        view_model.appointments_listed.connect(self._on_options)
        view_model.services_listed.connect(self._on_services)
        view_model.ticket_issued.connect(self._on_ticket)
        view_model.print_failed.connect(self._on_print_failed)
        view_model.sent_to_phone.connect(self._on_sent_to_phone)
        view_model.on_phone_changed.connect(lambda _on: self._retranslate())
        view_model.message_shown.connect(self._on_message)
        view_model.accessibility_changed.connect(self._on_accessibility)
        view_model.priority_changed.connect(lambda _name: self._retranslate())
        view_model.phone_changed.connect(self.texts.display.setText)
        view_model.texts_changed.connect(lambda _note: self._retranslate())

    # -- building ----------------------------------------------------------

    def _build_bar(self, outer: QVBoxLayout) -> None:
        # Top bar: the hidden staff corner, the centre's name, the language switch.
        bar = named(QWidget(), "bar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        bar_row = QHBoxLayout(bar)
        self.corner = self._button("corner", "", self.vm.corner_tapped)
        self.corner.setFlat(True)
        self.centre_name = named(QLabel(), "centreName")
        self.centre_name.setWordWrap(True)
        self.language_button = self._button("language", "", self._switch_language)
        bar_row.addWidget(self.corner)
        bar_row.addWidget(self.centre_name, 1)
        bar_row.addWidget(self.language_button)
        outer.addWidget(bar)

    def _button(self, name: str, text: str, slot: object) -> QPushButton:
        button = named(QPushButton(text), name)
        # Keys go to the window, where a wedge scanner's typing is collected.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumHeight(self.target)
        button.setMinimumWidth(self.target)
        button.clicked.connect(slot)
        return button

    def _page(self, screen: Screen) -> QVBoxLayout:
        page = named(QWidget(), f"page_{screen.value}")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(32)
        self.pages[screen] = page
        self.stack.addWidget(page)
        return layout

    def _title(self, layout: QVBoxLayout, name: str) -> QLabel:
        label = named(QLabel(), name)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
        return label

    def _build_home(self) -> None:
        layout = self._page(Screen.HOME)
        self.home_title = self._title(layout, "title")
        layout.addStretch(1)
        self.appointment_button = self._button("bigChoice", "", self.vm.start_cpr)
        self.walk_in_button = self._button("bigChoice", "", self.vm.start_walk_in)
        for button in (self.appointment_button, self.walk_in_button):
            button.setMinimumHeight(self.target * 3)
            layout.addWidget(button)
        self.scan_hint = self._title(layout, "hint")
        layout.addStretch(1)
        self.accessibility_button = self._button("secondary", "", self.vm.toggle_accessibility)
        layout.addWidget(self.accessibility_button)

    def _number_entry(
        self,
        screen: Screen,
        display_name: str,
        press: Callable[[str], None],
        pad_actions: tuple[Callable[[], None], Callable[[], None]],
        buttons: tuple[Callable[[], None], Callable[[], None]],
    ) -> NumberEntry:
        """Build ``screen`` as a number typed on the pad: ``press`` a digit, ``pad_actions``
        clear and backspace, ``buttons`` back and submit."""
        layout = self._page(screen)
        title = self._title(layout, "title")
        display = named(QLabel(), display_name)
        display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Digits read left to right in both languages.
        display.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        display.setMinimumHeight(self.target)
        body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        column = QVBoxLayout()
        column.addWidget(display)
        hint = self._title(column, "hint")
        column.addStretch(1)
        body.addLayout(column, 1)
        layout.addLayout(body, 1)
        pad = QWidget()
        pad.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        grid = QGridLayout(pad)
        grid.setSpacing(16)
        digits: dict[str, QPushButton] = {}
        for digit in "1234567890":
            digits[digit] = self._button("digit", digit, lambda _c=False, d=digit: press(d))
            digits[digit].setMinimumHeight(int(self.target * 1.4))
        for index, digit in enumerate("123456789"):
            grid.addWidget(digits[digit], index // 3, index % 3)
        clear, backspace = pad_actions
        clear_button = self._button("digitAction", "", clear)
        backspace_button = self._button("digitAction", "⌫", backspace)
        grid.addWidget(clear_button, 3, 0)
        grid.addWidget(digits["0"], 3, 1)
        grid.addWidget(backspace_button, 3, 2)
        body.addWidget(pad, 1)
        row = QHBoxLayout()
        back_slot, submit_slot = buttons
        back = self._button("secondary", "", back_slot)
        submit = self._button("primary", "", submit_slot)
        row.addWidget(back, 1)
        row.addWidget(submit, 2)
        layout.addLayout(row)
        return NumberEntry(
            title, display, hint, body, digits, clear_button, backspace_button, back, submit
        )

    def _build_cpr(self) -> None:
        vm = self.vm
        entry = self._number_entry(
            Screen.CPR,
            "cprDisplay",
            vm.press_digit,
            (vm.clear_cpr, vm.backspace),
            (vm.go_home, vm.submit_cpr),
        )
        self.cpr_title, self.cpr_display, self.cpr_hint = entry.title, entry.display, entry.hint
        self.cpr_body = entry.body
        self.digit_buttons = entry.digit_buttons
        self.clear_button, self.backspace_button = entry.clear_button, entry.backspace_button
        self.cpr_back, self.cpr_submit = entry.back, entry.submit

    def _build_texts(self) -> None:
        vm = self.vm
        self.texts = self._number_entry(
            Screen.TEXTS,
            "phoneDisplay",
            vm.press_phone_digit,
            (vm.clear_phone, vm.phone_backspace),
            (vm.cancel_texts, vm.send_number),
        )
        # Sending is the one thing this screen is for.
        self.texts.submit.setMinimumHeight(int(self.target * 1.4))

    def _build_choose(self) -> None:
        layout = self._page(Screen.CHOOSE)
        self.choose_title = self._title(layout, "title")
        self.choose_list = QVBoxLayout()
        layout.addLayout(self.choose_list)
        layout.addStretch(1)
        self.choose_back = self._button("secondary", "", self.vm.go_home)
        layout.addWidget(self.choose_back)
        self.option_buttons: list[QPushButton] = []

    def _build_services(self) -> None:
        layout = self._page(Screen.SERVICES)
        self.services_title = self._title(layout, "title")
        # Before the services, so it is read before one is pressed: a ticket prints unless
        # the visitor turns this on (one touch), and only a centre phones can reach offers it.
        self.phone_button = self._button("paperChoice", "", self.vm.toggle_phone)
        self.phone_button.setVisible(self.vm.phone_offered)
        layout.addWidget(self.phone_button)
        self.service_list = QGridLayout()
        self.service_list.setSpacing(16)
        self._service_columns = 1
        layout.addLayout(self.service_list)
        layout.addStretch(1)
        self.priority_label = self._title(layout, "hint")
        prow = QHBoxLayout()
        self.priority_buttons: dict[str, QPushButton] = {}
        for name in ["normal", *self.vm.config.policy.priority_classes]:
            button = self._button("priority", "", lambda _c=False, n=name: self.vm.set_priority(n))
            self.priority_buttons[name] = button
            prow.addWidget(button)
        layout.addLayout(prow)
        self.services_back = self._button("secondary", "", self.vm.go_home)
        layout.addWidget(self.services_back)
        self.service_buttons: dict[str, QPushButton] = {}

    def _build_ticket(self) -> None:
        layout = self._page(Screen.TICKET)
        # Landscape puts the on-screen QR beside the number (see _set_landscape).
        self.ticket_body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        column = QVBoxLayout()
        self.ticket_title = self._title(column, "hint")
        self.ticket_number = self._title(column, "ticketNumber")
        self.ticket_number.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.ticket_service = self._title(column, "title")
        self.ticket_wait = self._title(column, "hint")
        self.ticket_where = self._title(column, "hint")
        self.ticket_body.addLayout(column, 1)
        self.ticket_qr = named(QLabel(), "ticketQr")
        self.ticket_qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_qr.hide()
        self.ticket_body.addWidget(self.ticket_qr)
        layout.addLayout(self.ticket_body)
        self.ticket_print = self._title(layout, "printNote")
        layout.addStretch(1)
        # Texts as the turn nears, offered for a ticket the centre can follow (it has a link);
        # once asked for, the button gives way to where the texts will go.
        self.texts_note = self._title(layout, "hint")
        self.texts_button = self._button("secondary", "", self.vm.start_texts)
        layout.addWidget(self.texts_button)
        self.ticket_done = self._button("primary", "", self.vm.go_home)
        layout.addWidget(self.ticket_done)

    def _build_message(self) -> None:
        layout = self._page(Screen.MESSAGE)
        layout.addStretch(1)
        self.message_text = self._title(layout, "message")
        layout.addStretch(1)
        self.message_walk_in = self._button("primary", "", self._walk_in_from_message)
        self.message_home = self._button("secondary", "", self.vm.go_home)
        layout.addWidget(self.message_walk_in)
        layout.addWidget(self.message_home)

    def _build_closed(self) -> None:
        layout = self._page(Screen.CLOSED)
        layout.addStretch(1)
        self.closed_title = self._title(layout, "title")
        self.closed_text = self._title(layout, "message")
        layout.addStretch(1)

    def _build_pin(self) -> None:
        layout = self._page(Screen.PIN)
        self.pin_title = self._title(layout, "title")
        self.pin_edit = named(QLineEdit(), "pin")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMinimumHeight(self.target)
        layout.addWidget(self.pin_edit)
        row = QHBoxLayout()
        self.pin_cancel = self._button("secondary", "", self.vm.go_home)
        self.pin_ok = self._button("primary", "", self._submit_pin)
        row.addWidget(self.pin_cancel)
        row.addWidget(self.pin_ok)
        layout.addLayout(row)
        layout.addStretch(1)

    # -- view-model to widgets ---------------------------------------------

    def _on_screen(self, name: str) -> None:
        screen = Screen(name)
        if self._pad_screen is not None and screen is not self._pad_screen:
            # Digits typed on a keyboard for a CPR or a mobile number go with their screen.
            self._wedge = ""
        self._pad_screen = screen if screen in (Screen.CPR, Screen.TEXTS) else None
        self.stack.setCurrentWidget(self.pages[screen])
        if screen is Screen.PIN:
            self.pin_edit.clear()
            self.pin_edit.setFocus()
        else:
            self.setFocus()
        if screen is Screen.CLOSED:
            self._retranslate()

    def _on_language(self, lang: str) -> None:
        self.setLayoutDirection(direction(lang))
        for label in self.findChildren(QLabel):
            label.setFont(self.fonts.font(lang, label.font().pixelSize() or 28))
        self._retranslate()

    def _on_busy(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)
        self.stack.setEnabled(not busy)

    def _on_options(self, options: list[uc.AppointmentOption]) -> None:
        self._options = list(options)
        for button in self.option_buttons:
            self.choose_list.removeWidget(button)
            button.deleteLater()
        self.option_buttons = []
        for option in self._options:
            button = self._button(
                "choice",
                "",
                lambda _c=False, a=option.appointment.id: self.vm.choose_appointment(a),
            )
            button.setMinimumHeight(int(self.target * 1.5))
            self.option_buttons.append(button)
            self.choose_list.addWidget(button)
        self._retranslate()

    def _on_services(self, choices: list[ServiceChoice]) -> None:
        self._choices = list(choices)
        if set(self.service_buttons) != {c.code for c in choices}:
            for button in self.service_buttons.values():
                self.service_list.removeWidget(button)
                button.deleteLater()
            self.service_buttons = {}
            for choice in choices:
                button = self._button(
                    "service", "", lambda _c=False, code=choice.code: self.vm.choose_service(code)
                )
                # Room for a second line giving why a service is unavailable.
                button.setMinimumHeight(int(self.target * 1.8))
                self.service_buttons[choice.code] = button
            self._flow_services()
        self._retranslate()

    def _flow_services(self) -> None:
        for index, button in enumerate(self.service_buttons.values()):
            self.service_list.addWidget(
                button, index // self._service_columns, index % self._service_columns
            )

    def _set_landscape(self, landscape: bool) -> None:
        """Side by side on a wide screen, stacked on a tall one."""
        self.cpr_body.setDirection(
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )
        self.ticket_body.setDirection(
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )
        self.texts.body.setDirection(
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )
        columns = 2 if landscape else 1
        if columns != self._service_columns:
            self._service_columns = columns
            for button in self.service_buttons.values():
                self.service_list.removeWidget(button)
            self._flow_services()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Follow the screen's orientation."""
        size = event.size()
        self._set_landscape(size.width() > size.height())
        super().resizeEvent(event)

    def _on_ticket(self, _view: uc.TicketView) -> None:
        self.ticket_qr.hide()
        self.ticket_qr.clear()
        self._ticket_note = TicketNote.PRINTING
        self._retranslate()

    def _on_print_failed(self, view: uc.TicketView) -> None:
        # What the paper's QR would have held: the phone link when there is one.
        self._show_ticket_qr(view.link or view.ticket.id, self.target * 4, TicketNote.PRINT_FAILED)

    def _on_sent_to_phone(self, view: uc.TicketView) -> None:
        if view.link is not None:
            self._show_ticket_qr(view.link, self.target * 5, TicketNote.ON_PHONE)

    def _show_ticket_qr(self, payload: str, size: int, note: TicketNote) -> None:
        self.ticket_qr.setPixmap(qr_pixmap(payload, size))
        self.ticket_qr.show()
        self._ticket_note = note
        self._retranslate()

    def _on_message(self, message: Message) -> None:
        self._message = message
        if self.vm.screen is Screen.CPR:
            self._cpr_warning = message.text
        self._retranslate()

    def _on_cpr(self, masked: str) -> None:
        self.cpr_display.setText(masked)
        if self._cpr_warning:
            self._cpr_warning = ""
            self._retranslate()

    def _on_accessibility(self, on: bool) -> None:
        set_flag(self, "accessible", on)
        # Controls come down into a seated visitor's reach.
        for screen, page in self.pages.items():
            layout = page.layout()
            if isinstance(layout, QVBoxLayout) and screen is not Screen.TICKET:
                layout.insertStretch(0, 2) if on else self._drop_top_stretch(layout)
        self._retranslate()

    @staticmethod
    def _drop_top_stretch(layout: QVBoxLayout) -> None:
        item = layout.itemAt(0)
        if item is not None and item.spacerItem() is not None:
            layout.takeAt(0)

    def _retranslate(self) -> None:
        vm = self.vm
        lang = vm.language
        names = vm.config.centre.name
        self.centre_name.setText(names.ar if lang == "ar" else names.en)
        self.language_button.setText("English" if lang == "ar" else "العربية")
        self.home_title.setText(translate("Kiosk", "Welcome. How can we help you?"))
        self.appointment_button.setText(translate("Kiosk", "I have an appointment"))
        self.walk_in_button.setText(translate("Kiosk", "Take a ticket"))
        self.scan_hint.setText(translate("Kiosk", "Or scan your booking QR code at any time"))
        self.accessibility_button.setText(
            translate("Kiosk", "Standard view")
            if vm.accessible
            else translate("Kiosk", "Larger text and easier reach")
        )
        self.busy_label.setText(translate("Kiosk", "One moment please…"))
        self._retranslate_cpr()
        self._retranslate_services()
        self._retranslate_ticket()
        self._retranslate_texts()
        self._retranslate_rest()

    def _retranslate_cpr(self) -> None:
        vm = self.vm
        lang = vm.language
        self.cpr_title.setText(translate("Kiosk", "Type your CPR number"))
        self.cpr_hint.setText(
            self._cpr_warning or translate("Kiosk", "9 digits, as on your identity card")
        )
        set_flag(self.cpr_hint, "warning", bool(self._cpr_warning))
        self.clear_button.setText(translate("Kiosk", "Clear"))
        self.cpr_back.setText(translate("Kiosk", "Back"))
        self.cpr_submit.setText(translate("Kiosk", "Check in"))
        self.choose_title.setText(
            translate("Kiosk", "You have several appointments today. Choose one:")
        )
        zone = vm.config.centre.zone
        for button, option in zip(self.option_buttons, self._options, strict=False):
            slot = option.appointment.slot_start.astimezone(zone)
            button.setText(
                fill(
                    translate("Kiosk", "%1 at %2"),
                    service_name(vm.config, option.appointment.service, lang),
                    isolate(f"{slot:%H:%M}"),
                )
            )
        self.choose_back.setText(translate("Kiosk", "Back"))

    def _retranslate_services(self) -> None:
        vm = self.vm
        lang = vm.language
        if vm.booking_unreachable:
            self.services_title.setText(
                translate(
                    "Kiosk",
                    "We cannot reach the booking system just now. "
                    "Choose the service of your appointment:",
                )
            )
        else:
            self.services_title.setText(translate("Kiosk", "Choose a service"))
        priority_shown = len(self.priority_buttons) > 1 and not vm.booking_unreachable
        self.priority_label.setVisible(priority_shown)
        for button in self.priority_buttons.values():
            button.setVisible(priority_shown)
        for choice in self._choices:
            button = self.service_buttons[choice.code]
            name = choice.name_ar if lang == "ar" else choice.name_en
            if choice.available:
                button.setText(name)
            elif choice.reason == "quota":
                button.setText(fill(translate("Kiosk", "%1\nNo more tickets today"), name))
            else:
                button.setText(fill(translate("Kiosk", "%1\nPaused for now"), name))
            button.setEnabled(choice.available)
        self.priority_label.setText(translate("Kiosk", "Priority service (optional):"))
        labels = {
            "normal": translate("Kiosk", "No priority"),
            "elderly": translate("Kiosk", "Elderly"),
            "disabled": translate("Kiosk", "Disability"),
            "pregnant": translate("Kiosk", "Pregnant"),
        }
        for name, button in self.priority_buttons.items():
            button.setText(labels.get(name, name))
            set_flag(button, "chosen", name == vm.priority)
        self.services_back.setText(translate("Kiosk", "Back"))
        self.phone_button.setText(translate("Kiosk", "Show it on my phone instead of printing"))
        set_flag(self.phone_button, "chosen", vm.on_phone)

    def _retranslate_ticket(self) -> None:
        vm = self.vm
        lang = vm.language
        view = vm.ticket
        self.ticket_title.setText(translate("Kiosk", "Your number"))
        if view is not None:
            self.ticket_number.setText(view.ticket.number)
            self.ticket_service.setText(service_name(vm.config, view.ticket.service, lang))
            if view.eta_minutes is not None:
                wait = fill(
                    translate("Kiosk", "People ahead of you: %1 · Estimated wait: %2 min"),
                    view.ahead,
                    view.eta_minutes,
                )
            else:
                wait = fill(translate("Kiosk", "People ahead of you: %1"), view.ahead)
            self.ticket_wait.setText(wait)
        self.ticket_where.setText(
            translate("Kiosk", "Please take a seat and watch the screen for your number.")
        )
        notes = {
            TicketNote.PRINTING: translate("Kiosk", "Your ticket is printing below."),
            TicketNote.PRINT_FAILED: translate(
                "Kiosk", "The printer is not working. Photograph this number and code and keep it."
            ),
            TicketNote.ON_PHONE: translate(
                "Kiosk", "Scan with your phone camera to follow your ticket"
            ),
        }
        self.ticket_print.setText(notes[self._ticket_note])
        set_flag(self.ticket_print, "warning", self._ticket_note is TicketNote.PRINT_FAILED)
        self.ticket_done.setText(translate("Kiosk", "Done"))

    def _retranslate_texts(self) -> None:
        vm = self.vm
        note = vm.texts_note
        self.texts_button.setText(translate("Kiosk", "Text me when my turn is near"))
        self.texts_button.setVisible(vm.texts_offered)
        notes = {
            TextsNote.KEPT: fill(
                translate("Kiosk", "We will text you at %1 when your turn is near."),
                isolate(vm.texts_masked),
            ),
            # Said calmly: nothing is wrong with the ticket, texts are just not sent here.
            TextsNote.OFF: translate(
                "Kiosk", "This centre does not send texts. Please watch the screen for your number."
            ),
            TextsNote.UNREACHABLE: translate(
                "Kiosk", "The centre cannot be reached now; your ticket is still valid."
            ),
            TextsNote.ENDED: translate("Kiosk", "This ticket has ended: no texts will be sent."),
            TextsNote.FAILED: translate(
                "Kiosk", "We could not keep your number now; your ticket is still valid."
            ),
        }
        self.texts_note.setText(notes.get(note, ""))
        self.texts_note.setVisible(note in notes)
        entry = self.texts
        entry.title.setText(translate("Kiosk", "Type your mobile number"))
        bad = note is TextsNote.BAD_PHONE
        entry.hint.setText(
            translate("Kiosk", "This number cannot get texts. Please check it.")
            if bad
            else translate("Kiosk", "8 digits for a Bahraini mobile, or 00 and the country code")
        )
        set_flag(entry.hint, "warning", bad)
        entry.clear_button.setText(translate("Kiosk", "Clear"))
        entry.back.setText(translate("Kiosk", "Cancel"))
        entry.submit.setText(translate("Kiosk", "Send"))

    def _retranslate_rest(self) -> None:
        vm = self.vm
        message = self._message
        self.message_text.setText(message.text if message else "")
        self.message_walk_in.setVisible(bool(message and message.walk_in))
        self.message_walk_in.setText(translate("Kiosk", "Take a walk-in ticket"))
        self.message_home.setText(translate("Kiosk", "Back to start"))
        self.closed_title.setText(translate("Kiosk", "The centre is closed now"))
        opening = vm.opens_at()
        if opening is not None:
            self.closed_text.setText(
                fill(
                    translate("Kiosk", "We open on %1 at %2."),
                    _day_name(opening.weekday()),
                    isolate(f"{opening:%H:%M}"),
                )
            )
        self.pin_title.setText(translate("Kiosk", "Staff PIN"))
        self.pin_cancel.setText(translate("Kiosk", "Cancel"))
        self.pin_ok.setText(translate("Kiosk", "OK"))

    # -- widgets to view-model ---------------------------------------------

    def _switch_language(self) -> None:
        self.vm.set_language("en" if self.vm.language == "ar" else "ar")

    def _walk_in_from_message(self) -> None:
        message = self._message
        if message is not None and message.walk_in_service:
            self.vm.choose_service(message.walk_in_service)
        else:
            self.vm.start_walk_in()

    def _submit_pin(self) -> None:
        pin = self.pin_edit.text()
        self.pin_edit.clear()
        self.vm.enter_pin(pin)

    def _pad_keys(
        self,
    ) -> tuple[Callable[[str], None], Callable[[], None], Callable[[], None]] | None:
        """A digit, backspace and Enter of the number pad on screen, if one is."""
        vm = self.vm
        if vm.screen is Screen.CPR:
            return vm.press_digit, vm.backspace, vm.submit_cpr
        if vm.screen is Screen.TEXTS:
            return vm.press_phone_digit, vm.phone_backspace, vm.send_number
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Collect a keyboard-wedge scanner's typing (or a keyboard's digits); Enter submits."""
        self.vm.touch()
        key = event.key()
        pad = self._pad_keys()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            typed, self._wedge = self._wedge, ""
            if pad is not None and (not typed or typed.isdigit()):
                pad[2]()
            elif typed:
                self.vm.scan(typed)
            return
        if key == Qt.Key.Key_Backspace:
            self._wedge = self._wedge[:-1]
            if pad is not None:
                pad[1]()
            return
        text = event.text()
        if text and text.isprintable():
            if len(self._wedge) < MAX_SCAN + 1:
                self._wedge += text
            if pad is not None and text.isdigit():
                pad[0](text)
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Any touch anywhere restarts the idle countdown."""
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.vm.touch()
        return super().eventFilter(watched, event)


def _day_name(weekday: int) -> str:
    names = (
        translate("Kiosk", "Monday"),
        translate("Kiosk", "Tuesday"),
        translate("Kiosk", "Wednesday"),
        translate("Kiosk", "Thursday"),
        translate("Kiosk", "Friday"),
        translate("Kiosk", "Saturday"),
        translate("Kiosk", "Sunday"),
    )
    return names[weekday]


__all__ = ["KioskWindow", "NumberEntry", "TicketNote", "touch_target_px"]
