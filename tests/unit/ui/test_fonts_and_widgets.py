"""Fonts for each script, and text in both languages laid out as the centre's signs are."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.unit.display.helpers import font_book
from ui.fonts import FontBook
from ui.i18n import Bilingual
from ui.widgets import BilingualLabel, load_style, set_flag


def test_the_bundled_arabic_font_is_used_first_for_arabic(qapp: QApplication) -> None:
    fonts = font_book()
    assert fonts.arabic[0] == "Noto Sans Arabic"  # assets/fonts/NotoSansArabic-*.ttf
    assert fonts.families("ar")[0] in fonts.arabic
    assert fonts.families("en")[0] in fonts.latin
    font = fonts.font("ar", 40, bold=True)
    assert (font.pixelSize(), font.bold()) == (40, True)


def test_with_no_bundled_fonts_the_system_ones_serve(qapp: QApplication, tmp_path: Path) -> None:
    fonts = FontBook.load(tmp_path)
    assert fonts.latin  # whatever the machine has
    assert fonts.font("en", 0).pixelSize() == 1


def test_arabic_sits_on_the_right_even_in_a_left_to_right_window(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    label = BilingualLabel(font_book(), "title", stacked=False, parent=parent)
    label.set_text(Bilingual("التذكرة", "Ticket"))
    label.resize(600, 60)
    parent.show()
    qtbot.waitUntil(lambda: label.arabic.x() > label.english.x())
    assert label.arabic.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert label.english.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert label.text() == Bilingual("التذكرة", "Ticket")


def test_flags_for_style_sheets_round_trip(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    set_flag(widget, "highlighted", True)
    assert widget.property("highlighted") == "true"
    set_flag(widget, "highlighted", False)
    assert widget.property("highlighted") == "false"


def test_style_sheets_ship_for_every_screen() -> None:
    for name in ("hall", "counter", "counter_screen"):
        assert "QLabel" in load_style(name)
    assert load_style("no-such-screen") == ""
