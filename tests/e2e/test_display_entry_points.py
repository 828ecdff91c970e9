"""The entry points the ``taboor`` command calls: each screen runs until closed, and says 0."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

import ui.app
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.errors import UnknownCounter
from centre.local import LocalCentre
from centre.store.unit_of_work import Store
from display.app import run_counter, run_counter_screen, run_hall, run_supervisor
from tests.unit.display.helpers import guard_pytestqt_disconnects
from ui.app import check_qt
from ui.errors import UnsupportedQt


@pytest.fixture(autouse=True)
def _whole_true_refcount(monkeypatch: pytest.MonkeyPatch) -> None:
    # PySide6 6.12 loses a reference to True on each disconnect pytest-qt makes.
    guard_pytestqt_disconnects(monkeypatch)


@pytest.fixture
def centre(sqlite_store: Store, config: CentreConfig, clock: FixedClock) -> LocalCentre:
    return LocalCentre(sqlite_store, clock, config)


@pytest.fixture
def any_qt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the entry points whatever PySide6 is installed: their wiring is under test here."""
    monkeypatch.setattr(ui.app, "void_calls_lose_none", lambda: False)


def close_soon(qapp: QApplication) -> None:
    # exit(), not quit(): under pytest-qt, quit() with a window open leaves
    # every later event loop returning at once.
    QTimer.singleShot(400, lambda: qapp.exit(0))


@pytest.mark.usefixtures("any_qt")
@pytest.mark.parametrize(
    "run",
    [
        lambda centre: run_hall(centre, fullscreen=True),
        lambda centre: run_counter(centre, "3", fullscreen=False, lang="ar"),
        lambda centre: run_counter_screen(centre, "3", fullscreen=True),
        lambda centre: run_supervisor(centre, fullscreen=True, reprint=None),
    ],
    ids=["hall", "counter", "counter-screen", "supervisor"],
)
def test_each_screen_runs_until_closed(
    qapp: QApplication, centre: LocalCentre, run: Callable[[LocalCentre], int]
) -> None:
    close_soon(qapp)
    assert run(centre) == 0
    # A counter in Arabic leaves the application as it found it.
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight


@pytest.mark.usefixtures("any_qt")
def test_an_unknown_counter_is_refused_before_any_window(centre: LocalCentre) -> None:
    with pytest.raises(UnknownCounter, match="no counter '99'"):
        run_counter(centre, "99")
    with pytest.raises(UnknownCounter):
        run_counter_screen(centre, "99")


def test_a_pyside6_that_loses_references_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui.app, "void_calls_lose_none", lambda: True)
    with pytest.raises(UnsupportedQt, match=r"PySide6-Essentials<6\.12"):
        check_qt()
