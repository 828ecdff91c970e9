"""The staff sign-in form of the counter terminal and the supervisor's screen: staff id and PIN."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.signals import emit
from ui.widgets import named, set_flag

# The keys of the keypad, as they stand in three columns.
KEYPAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back")


class SignInForm(QFrame):
    """Asks for a staff id and PIN, typed (and, with a keypad, tapped).

    Enter in the id goes on to the PIN, or signs in when the PIN is typed
    already; Enter in the PIN, or the button, signs in. The PIN never stays on
    screen once sent, right or wrong. The owner sets :attr:`title` and, when
    it has more to say than how to sign in, :attr:`note`.
    """

    # str, str: the staff id and the PIN typed
    submitted = Signal(str, str)

    def __init__(self, *, keypad: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInForm")
        # A form with a keypad is tapped; one without names the key that signs in.
        self._keyboard_hint = not keypad
        self.title = named(QLabel(), "signInTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note = named(QLabel(), "signInNote")
        self.note.setWordWrap(True)
        self.staff_id = named(QLineEdit(), "staffId")
        self.pin = named(QLineEdit(), "pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setInputMethodHints(
            Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData
        )
        for field in (self.staff_id, self.pin):
            # Ids and PINs are typed left to right in either language.
            field.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            field.setMaxLength(16)
        self.id_label = named(QLabel(), "fieldLabel")
        self.id_label.setBuddy(self.staff_id)
        self.pin_label = named(QLabel(), "fieldLabel")
        self.pin_label.setBuddy(self.pin)
        self.sign_in_button = named(QPushButton(), "signInButton")
        self.sign_in_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message = named(QLabel(), "signInMessage")
        self.message.setWordWrap(True)
        self._keys: dict[str, QPushButton] = {}
        fields = QFormLayout()
        fields.setSpacing(14)
        fields.addRow(self.id_label, self.staff_id)
        fields.addRow(self.pin_label, self.pin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(16)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addLayout(fields)
        if keypad:
            layout.addWidget(self._build_keypad())
        layout.addWidget(self.sign_in_button)
        layout.addWidget(self.message)
        self.staff_id.returnPressed.connect(self._id_entered)
        self.pin.returnPressed.connect(self._submit)
        self.sign_in_button.clicked.connect(self._submit)
        self.retranslate()

    def _build_keypad(self) -> QWidget:
        keypad = named(QWidget(), "keypad")
        # A keypad reads 1 2 3 from the left in Arabic too.
        keypad.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        grid = QGridLayout(keypad)
        grid.setSpacing(8)
        for index, key in enumerate(KEYPAD):
            button = named(QPushButton(key if key.isdigit() else ""), f"key_{key}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            button.clicked.connect(lambda _checked=False, key=key: self.press(key))
            grid.addWidget(button, index // 3, index % 3)
            self._keys[key] = button
        return keypad

    def retranslate(self) -> None:
        """Show the form's own texts in the application's language (the title is the owner's)."""
        translate = QCoreApplication.translate
        self.note.setText(translate("SignInForm", "Type your staff id and PIN."))
        self.id_label.setText(translate("SignInForm", "Staff id"))
        self.pin_label.setText(translate("SignInForm", "PIN"))
        sign_in = translate("SignInForm", "Sign in")
        # Key names stay as the keyboard prints them, in any language.
        self.sign_in_button.setText(f"{sign_in}  (Enter)" if self._keyboard_hint else sign_in)
        if self._keys:
            self._keys["clear"].setText(translate("SignInForm", "Clear"))
            self._keys["back"].setText("⌫")
            self._keys["back"].setToolTip(translate("SignInForm", "Delete"))

    def press(self, key: str) -> None:
        """A keypad key: a digit, ``back`` or ``clear``, into the PIN.

        Always the PIN: whoever typed their id and reaches for the keypad must
        not add the PIN to the id.
        """
        field = self.pin
        if key == "clear":
            field.clear()
        elif key == "back":
            field.backspace()
        else:
            field.insert(key)
        field.setFocus()

    def take_keyboard(self) -> None:
        """Put the cursor where typing starts: the id, or the PIN once the id is there."""
        (self.pin if self.staff_id.text() else self.staff_id).setFocus()

    def reset(self) -> None:
        """Empty both fields, ready for the next person."""
        self.staff_id.clear()
        self.pin.clear()
        self.staff_id.setFocus()

    def refused(self) -> None:
        """The PIN was refused: it is typed again."""
        self.pin.clear()
        self.pin.setFocus()

    def show_message(self, text: str, is_error: bool) -> None:
        """One line under the button (empty clears it)."""
        self.message.setText(text)
        set_flag(self.message, "error", is_error and bool(text))

    def set_busy(self, busy: bool) -> None:
        """No second sign-in while one is checked."""
        self.sign_in_button.setEnabled(not busy)

    def _id_entered(self) -> None:
        if self.pin.text():
            self._submit()
        elif self.staff_id.text().strip():
            self.pin.setFocus()

    def _submit(self) -> None:
        if not self.sign_in_button.isEnabled():
            return
        staff_id, pin = self.staff_id.text(), self.pin.text()
        # The PIN never stays on screen, right or wrong.
        self.pin.clear()
        emit(self.submitted, staff_id, pin)


__all__ = ["KEYPAD", "SignInForm"]
