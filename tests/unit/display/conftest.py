"""Fixtures of the display unit tests."""

from __future__ import annotations

import pytest

from tests.unit.display.helpers import guard_pytestqt_disconnects


@pytest.fixture(autouse=True)
def _whole_true_refcount(monkeypatch: pytest.MonkeyPatch) -> None:
    guard_pytestqt_disconnects(monkeypatch)
