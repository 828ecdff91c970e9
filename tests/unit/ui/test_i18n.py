"""Languages: placeholders, isolation, text in both languages, the application's language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from ui.i18n import (
    Bilingual,
    BilingualText,
    Translations,
    check_language,
    direction,
    fill,
    isolate,
    load_translator,
)


def test_fill_replaces_qt_placeholders_in_order() -> None:
    assert fill("%1: %2 waiting", "Fines", 3) == "Fines: 3 waiting"
    assert fill("%1 and %10?", "a") == "a and a0?"  # only as many as given


def test_isolate_keeps_a_masked_cpr_left_to_right_in_arabic() -> None:
    assert isolate("*****1234") == "\u2066*****1234\u2069"
    assert isolate(None) == ""


def test_languages_and_their_direction() -> None:
    assert direction("ar") == Qt.LayoutDirection.RightToLeft
    assert direction("en") == Qt.LayoutDirection.LeftToRight
    assert check_language("ar") == "ar"
    with pytest.raises(ValueError, match="ar or en"):
        check_language("fr")


def test_bilingual_text_gives_the_arabic_and_keeps_the_english() -> None:
    texts = BilingualText()
    assert texts.translate("HallWindow", "Now calling") == Bilingual("النداء الحالي", "Now calling")
    wait = texts.translate("HallWindow", "about %1 min").filled(12)
    assert wait == Bilingual("حوالي 12 دقيقة", "about 12 min")
    assert wait.get("ar") == "حوالي 12 دقيقة"
    # An unknown text shows in English rather than not at all.
    unknown = texts.translate("HallWindow", "no such text")
    assert unknown == Bilingual("no such text", "no such text")


def test_english_needs_no_catalogue_and_a_missing_one_falls_back(tmp_path: Path) -> None:
    assert load_translator("en") is None
    assert load_translator("ar") is not None
    assert load_translator("ar", tmp_path) is None  # the screen shows English, the log says why


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    made = Translations(qapp)
    yield made
    made.use("en")


def test_using_arabic_translates_the_application_and_mirrors_it(
    qapp: QApplication, translations: Translations
) -> None:
    translations.use("ar")
    assert QCoreApplication.translate("CounterWindow", "Call next") == "نداء التالي"
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert translations.language == "ar"
    translations.use("en")
    assert QCoreApplication.translate("CounterWindow", "Call next") == "Call next"
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
