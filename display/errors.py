"""The display package's exceptions (their tree is drawn in :mod:`display`)."""

from __future__ import annotations


class DisplayError(Exception):
    """Base of every error the display package raises on purpose."""


class CatalogueError(DisplayError):
    """The translation catalogue cannot be rebuilt: Qt's lupdate or lrelease is missing or fails."""


class UnsupportedQt(DisplayError):
    """The installed PySide6 cannot run a screen for long on this Python (it would abort)."""


class TicketMoved(DisplayError):
    """The counter's ticket changed under the clerk: another terminal acted on it first.

    ``number`` is the ticket the clerk saw (``None`` when they saw none).
    """

    code = "ticket_moved"

    def __init__(self, message: str, number: str | None) -> None:
        super().__init__(message)
        self.number = number
