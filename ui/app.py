"""The Qt application of a Taboor window: one per process, refused on a PySide6 that aborts."""

from __future__ import annotations

import ctypes.util
import gc
import os
import sys
from collections.abc import Mapping

import PySide6
from PySide6.QtCore import QCoreApplication, QObject, QTimer
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


# The libraries Qt's xcb platform loads to open a window, and their Debian packages.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-image": "libxcb-image0",
}


def desktop_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why windows cannot open here, in one line naming what is missing (``None``: they can)."""
    env = os.environ if environ is None else environ
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform in ("offscreen", "minimal", "vnc") or not sys.platform.startswith("linux"):
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return (
            "no desktop to open windows on (DISPLAY and WAYLAND_DISPLAY are unset): "
            "run it on a desktop session, or over ssh -X"
        )
    if env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY"):
        return None
    missing = sorted(
        package for name, package in XCB_LIBRARIES.items() if ctypes.util.find_library(name) is None
    )
    if missing:
        return f"Qt needs these packages to open windows: sudo apt-get install {' '.join(missing)}"
    return None


def application() -> QApplication:
    """The running Qt application, or a new one, collecting garbage in its own thread only
    (:class:`GuiThreadCollector`).

    Raises :class:`UnsupportedQt` on a PySide6 that would abort the window.
    """
    check_qt()
    existing = QCoreApplication.instance()
    if isinstance(existing, QApplication):
        GuiThreadCollector.install(existing)
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Taboor")
    app.setOrganizationName("Taboor")
    GuiThreadCollector.install(app)
    return app


class GuiThreadCollector(QObject):
    """Python's cycle collector, run in the GUI thread only.

    Left to itself, Python collects cycles in whichever thread allocates past its
    threshold: a screen's event follower or task thread, then. A QObject caught in a
    cycle is then destroyed in that thread, taking Qt's connection locks and waiting
    for the interpreter's, while the GUI thread holds the interpreter and waits for
    those locks: the window freezes for good (seen: the Reports tab's chart legend
    against the supervisor screen's follower). So automatic collection is off, and a
    timer of the GUI thread collects with Python's own thresholds, twice a second.
    """

    #: How often the GUI thread looks whether a collection is due (ms).
    INTERVAL_MS = 500
    _installed: GuiThreadCollector | None = None

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start()

    @classmethod
    def install(cls, app: QCoreApplication) -> GuiThreadCollector:
        """The collector of ``app``'s GUI thread (made once)."""
        if cls._installed is None:
            cls._installed = cls(app)
        return cls._installed

    def collect_if_due(self) -> int:
        """Collect the generations Python itself would now; how many objects it freed."""
        counts = gc.get_count()
        if counts[0] <= self._thresholds[0]:
            return 0
        generation = 0
        if counts[1] > self._thresholds[1]:
            generation = 2 if counts[2] > self._thresholds[2] else 1
        return gc.collect(generation)
