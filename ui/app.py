"""The Qt application of a Taboor window: one per process, refused on a PySide6 that aborts."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from ui.errors import UnsupportedQt
from ui.signals import void_calls_lose_none


def check_qt() -> None:
    """Refuse a PySide6 that loses references on this Python (6.12.0 on 3.11 does)."""
    if void_calls_lose_none():
        raise UnsupportedQt(
            f"PySide6 {PySide6.__version__} on Python {sys.version_info.major}."
            f"{sys.version_info.minor} loses references to None and would abort the window "
            "within minutes: install PySide6-Essentials<6.12 (6.11.3 works)"
        )


def application() -> QApplication:
    """The running Qt application, or a new one.

    Raises :class:`UnsupportedQt` on a PySide6 that would abort the window.
    """
    check_qt()
    existing = QCoreApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Taboor")
    app.setOrganizationName("Taboor")
    return app
