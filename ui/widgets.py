"""Pieces shared by the screens: style sheets, text in both languages, fonts sized to the screen."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QSizePolicy, QWidget

from ui.fonts import FontBook
from ui.i18n import Bilingual, direction

log = logging.getLogger(__name__)

STYLES_DIR = Path(__file__).resolve().parent.parent / "assets" / "styles"


def load_style(name: str, directory: Path = STYLES_DIR) -> str:
    """The style sheet ``<name>.qss`` (empty, and a warning in the log, when it is missing)."""
    path = directory / f"{name}.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        log.warning("no style sheet %s: %s", path, error)
        return ""


W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """``widget`` with its object name set (style sheets select on it)."""
    widget.setObjectName(name)
    return widget


def set_flag(widget: QWidget, name: str, value: bool) -> None:
    """Set a dynamic property that the style sheet selects on; restyle the widget and children."""
    # Kept as the text "true"/"false": PySide6 6.12 reads bool properties back as 0.
    text = "true" if value else "false"
    if widget.property(name) == text:
        return
    widget.setProperty(name, text)
    # Qt does not restyle on a property change by itself, nor the children
    # that a selector like ``#now[highlighted="true"] QLabel`` reaches.
    style = widget.style()
    for each in [widget, *widget.findChildren(QWidget)]:
        style.unpolish(each)
        style.polish(each)
        each.update()


def text_label(
    fonts: FontBook,
    lang: str,
    name: str = "",
    *,
    align: Qt.AlignmentFlag | None = None,
    wrap: bool = False,
) -> QLabel:
    """A label for text in ``lang``: its direction, its font families, its natural alignment."""
    label = QLabel()
    if name:
        label.setObjectName(name)
    label.setLayoutDirection(direction(lang))
    label.setFont(fonts.font(lang, 20))
    if align is None:
        # Leading edge: Qt mirrors AlignLeft in a right-to-left label, so Arabic sits on the right.
        align = Qt.AlignmentFlag.AlignLeft
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    label.setWordWrap(wrap)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    return label


def resize_font(label: QLabel, pixels: int, *, bold: bool | None = None) -> None:
    """Give ``label`` a font ``pixels`` high, keeping its families."""
    font = label.font()
    font.setPixelSize(max(int(pixels), 1))
    if bold is not None:
        font.setBold(bold)
    label.setFont(font)


class BilingualLabel(QWidget):
    """One text in Arabic and English: Arabic above or on the right, each in its direction."""

    def __init__(
        self,
        fonts: FontBook,
        name: str = "",
        *,
        stacked: bool = True,
        align: Qt.AlignmentFlag | None = None,
        wrap: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # Fixed, not inherited: a right-to-left window would mirror the side-by-side
        # order, and Arabic, which reads from the right, belongs on the right.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.arabic = text_label(fonts, "ar", f"{name}Ar" if name else "", align=align, wrap=wrap)
        self.english = text_label(fonts, "en", f"{name}En" if name else "", align=align, wrap=wrap)
        self._layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.arabic)
        self._layout.addWidget(self.english)
        self.set_stacked(stacked)

    def set_stacked(self, stacked: bool) -> None:
        """Arabic above English, or side by side (Arabic on the right, whatever the direction)."""
        if stacked:
            self._layout.setDirection(QBoxLayout.Direction.TopToBottom)
            self._layout.setSpacing(0)
        else:
            self._layout.setDirection(QBoxLayout.Direction.RightToLeft)
            self._layout.setSpacing(24)

    def set_text(self, text: Bilingual) -> None:
        """Show ``text``."""
        self.arabic.setText(text.ar)
        self.english.setText(text.en)

    def text(self) -> Bilingual:
        """The text shown."""
        return Bilingual(self.arabic.text(), self.english.text())

    def set_pixel_size(
        self, arabic: int, english: int | None = None, *, bold: bool = False
    ) -> None:
        """Size both lines (English a little smaller unless told)."""
        resize_font(self.arabic, arabic, bold=bold)
        resize_font(self.english, english if english is not None else int(arabic * 0.85), bold=bold)


__all__ = [
    "STYLES_DIR",
    "BilingualLabel",
    "load_style",
    "named",
    "resize_font",
    "set_flag",
    "text_label",
]
