"""The base of the windows staff work at: laid out, worded and sized in their language."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QPushButton, QWidget

from display.following import StaffViewModel
from ui.fonts import FontBook
from ui.i18n import direction
from ui.widgets import named

Model = TypeVar("Model", bound=StaffViewModel[Any])

# Each language's name in itself, so one who cannot read the screen's language finds theirs.
OTHER_LANGUAGE = {"ar": "English", "en": "العربية"}


class StaffWindow(QWidget, Generic[Model]):
    """A clerk's or a supervisor's window: it follows its view-model's language.

    A subclass builds its widgets (placing :attr:`_language`, the button that
    switches language), then calls :meth:`_apply_language`, and connects the
    view-model's ``language_changed`` to it. It gives :meth:`_size_fonts`
    (fonts follow the window's size) and :meth:`_retranslate`.
    """

    def __init__(self, view_model: Model, fonts: FontBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = view_model
        self._fonts = fonts
        self._language = named(QPushButton(), "language")
        self._language.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Size the fonts to the window."""
        self._size_fonts()
        super().resizeEvent(event)

    def _toggle_language(self) -> None:
        self._vm.set_language("en" if self._vm.language == "ar" else "ar")

    def _apply_language(self, lang: str) -> None:
        self.setLayoutDirection(direction(lang))
        self._language.setText(self._language_button_text(OTHER_LANGUAGE[lang]))
        self._size_fonts()
        self._retranslate()

    def _language_button_text(self, other: str) -> str:
        """What the language button says, given the other language's name."""
        return other

    def _size_fonts(self) -> None:
        raise NotImplementedError

    def _retranslate(self) -> None:
        raise NotImplementedError


__all__ = ["OTHER_LANGUAGE", "StaffWindow"]
