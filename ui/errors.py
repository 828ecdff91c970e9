"""The shared Qt layer's exceptions (their tree is drawn in :mod:`ui`)."""

from __future__ import annotations


class UiError(Exception):
    """Base of every error the shared Qt layer raises on purpose."""


class CatalogueError(UiError):
    """The translation catalogue cannot be rebuilt: Qt's lupdate or lrelease is missing or fails."""


class UnsupportedQt(UiError):
    """The installed PySide6 cannot run a window for long on this Python (it would abort)."""
