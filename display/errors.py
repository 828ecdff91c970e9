"""The display package's exceptions (their tree is drawn in :mod:`display`)."""

from __future__ import annotations


class DisplayError(Exception):
    """Base of every error the display package raises on purpose."""


class CatalogueError(DisplayError):
    """The translation catalogue cannot be rebuilt: Qt's lupdate or lrelease is missing or fails."""


class UnsupportedQt(DisplayError):
    """The installed PySide6 cannot run a screen for long on this Python (it would abort)."""
