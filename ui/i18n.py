"""Languages of the screens: Qt catalogues, layout direction, and text in both languages at once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTranslator, Signal
from PySide6.QtGui import QGuiApplication

from ui.signals import emit

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "assets" / "translations"
#: Catalogues are ``taboor_<lang>.ts`` (edited) and ``taboor_<lang>.qm`` (compiled, loaded).
CATALOGUE = "taboor"
#: The language the source strings are written in; it needs no catalogue.
SOURCE_LANGUAGE = "en"
LANGUAGES = ("ar", "en")


def check_language(lang: str) -> str:
    """``lang`` itself when the screens speak it; otherwise :class:`ValueError`."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be ar or en, not {lang!r}")
    return lang


def direction(lang: str) -> Qt.LayoutDirection:
    """The layout direction of ``lang``: right to left for Arabic."""
    return Qt.LayoutDirection.RightToLeft if lang == "ar" else Qt.LayoutDirection.LeftToRight


def fill(text: str, *values: object) -> str:
    """``text`` with Qt's placeholders ``%1``, ``%2``… replaced by ``values``."""
    for index in range(len(values), 0, -1):
        text = text.replace(f"%{index}", str(values[index - 1]))
    return text


def isolate(text: str | None) -> str:
    """``text`` kept left to right inside any paragraph (a CPR mask, a booking reference).

    Without it, ``*****1234`` in an Arabic sentence shows as ``1234*****``.
    """
    if not text:
        return ""
    return f"\u2066{text}\u2069"  # LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE


def load_translator(
    lang: str, directory: Path = TRANSLATIONS_DIR, parent: QObject | None = None
) -> QTranslator | None:
    """The compiled catalogue of ``lang``; ``None`` for the source language or a missing file."""
    check_language(lang)
    if lang == SOURCE_LANGUAGE:
        return None
    translator = QTranslator(parent)
    if not translator.load(f"{CATALOGUE}_{lang}", str(directory)):
        # A screen in English is better than no screen; the log says why.
        log.warning("no %s_%s.qm in %s: showing English", CATALOGUE, lang, directory)
        return None
    return translator


class Translations(QObject):
    """Installs one language's catalogue on the application and mirrors its layout to match."""

    # the language now in use ("ar" or "en")
    language_changed = Signal(str)

    def __init__(
        self,
        app: QCoreApplication,
        directory: Path = TRANSLATIONS_DIR,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._directory = directory
        self._installed: QTranslator | None = None
        self._language = SOURCE_LANGUAGE

    @property
    def language(self) -> str:
        """The language in use."""
        return self._language

    def use(self, lang: str) -> None:
        """Translate every ``QCoreApplication.translate`` into ``lang``; lay out in its direction.

        Widgets hear of it through ``QEvent.LanguageChange`` and retranslate.
        """
        check_language(lang)
        if self._installed is not None:
            self._app.removeTranslator(self._installed)
            self._installed = None
        translator = load_translator(lang, self._directory, parent=self)
        if translator is not None:
            self._app.installTranslator(translator)
            self._installed = translator
        if isinstance(self._app, QGuiApplication):
            self._app.setLayoutDirection(direction(lang))
        self._language = lang
        emit(self.language_changed, lang)


@dataclass(frozen=True)
class Bilingual:
    """One text in Arabic and in English."""

    ar: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang``."""
        return self.ar if lang == "ar" else self.en

    def filled(self, *values: object) -> Bilingual:
        """Both texts with their ``%1``… placeholders replaced."""
        return Bilingual(fill(self.ar, *values), fill(self.en, *values))


class BilingualText:
    """Translates source texts into both languages at once, for screens that show both.

    A hall serves Arabic and English speakers together, so its labels carry
    both; the Arabic comes from the same catalogue as every other screen's.
    """

    def __init__(self, directory: Path = TRANSLATIONS_DIR) -> None:
        self._arabic = load_translator("ar", directory)

    def translate(self, context: str, source: str, disambiguation: str | None = None) -> Bilingual:
        """``source`` (English) and its Arabic translation (``source`` again when missing)."""
        arabic = ""
        if self._arabic is not None:
            arabic = self._arabic.translate(context, source, disambiguation) or ""
        return Bilingual(ar=arabic or source, en=source)


__all__ = [
    "LANGUAGES",
    "SOURCE_LANGUAGE",
    "TRANSLATIONS_DIR",
    "Bilingual",
    "BilingualText",
    "Translations",
    "check_language",
    "direction",
    "fill",
    "isolate",
    "load_translator",
]
