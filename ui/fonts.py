"""Fonts of the screens: the bundled Arabic font when there is one, else the system's."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

log = logging.getLogger(__name__)

FONTS_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
# Fallbacks in order of preference; only those installed are ever asked for
# (asking Qt for a missing family costs a slow alias scan and a warning).
ARABIC_FALLBACKS = ("Noto Naskh Arabic", "Noto Sans Arabic", "Noto Kufi Arabic", "DejaVu Sans")
LATIN_FALLBACKS = ("Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica")


@dataclass(frozen=True)
class FontBook:
    """Which font families draw Arabic and which draw Latin text, best first."""

    arabic: tuple[str, ...]
    latin: tuple[str, ...]

    @classmethod
    def load(cls, directory: Path = FONTS_DIR) -> FontBook:
        """Add the bundled fonts to the application and choose families (needs a GUI app)."""
        bundled_arabic: list[str] = []
        bundled_latin: list[str] = []
        for path in sorted([*directory.glob("*.ttf"), *directory.glob("*.otf")]):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                log.warning("cannot load font %s", path)
                continue
            for family in QFontDatabase.applicationFontFamilies(font_id):
                systems = QFontDatabase.writingSystems(family)
                if QFontDatabase.WritingSystem.Arabic in systems:
                    bundled_arabic.append(family)
                elif "mono" not in family.lower():
                    bundled_latin.append(family)
        installed = set(QFontDatabase.families())
        arabic = _unique([*bundled_arabic, *(f for f in ARABIC_FALLBACKS if f in installed)])
        latin = _unique([*bundled_latin, *(f for f in LATIN_FALLBACKS if f in installed)])
        return cls(arabic=tuple(arabic), latin=tuple(latin))

    def families(self, lang: str) -> list[str]:
        """Families for text in ``lang``: its own script's first, the other's as fallback."""
        if lang == "ar":
            return _unique([*self.arabic, *self.latin])
        return _unique([*self.latin, *self.arabic])

    def font(self, lang: str, pixels: int, *, bold: bool = False) -> QFont:
        """A font for text in ``lang``, ``pixels`` high."""
        font = QFont()
        families = self.families(lang)
        if families:
            font.setFamilies(families)
        font.setPixelSize(max(pixels, 1))
        font.setBold(bold)
        return font


def _unique(families: list[str]) -> list[str]:
    return list(dict.fromkeys(families))


__all__ = ["FONTS_DIR", "FontBook"]
