"""Fixtures of the integration tests; the screens' ones serve the ``test_display_*`` modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from tests.unit.display.helpers import Screens, guard_pytestqt_disconnects, screens_on

# -- display -----------------------------------------------------------------


@pytest.fixture
def qt_disconnects_guarded(monkeypatch: pytest.MonkeyPatch) -> None:
    """PySide6 6.12 loses a reference to True on each disconnect pytest-qt makes: guard it."""
    guard_pytestqt_disconnects(monkeypatch)


@pytest.fixture
def screens(
    qtbot: QtBot, store: Store, clock: FixedClock, config: CentreConfig
) -> Iterator[Screens]:
    """A factory of started screens on the store (both databases), stopped afterwards."""
    with screens_on(qtbot, store, clock, config) as made:
        yield made


@pytest.fixture
def sqlite_screens(
    qtbot: QtBot, sqlite_store: Store, clock: FixedClock, config: CentreConfig
) -> Iterator[Screens]:
    """A factory of started screens on a SQLite store, stopped afterwards."""
    with screens_on(qtbot, sqlite_store, clock, config) as made:
        yield made
