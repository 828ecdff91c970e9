"""Emitting from Python keeps the reference count of True whole, whatever PySide6 does."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from ui.signals import emit


class Source(QObject):
    # bool: a flag, as the view-models send them
    flagged = Signal(bool)


def test_thousands_of_emits_leave_true_alone() -> None:
    source = Source()
    received: list[bool] = []
    source.flagged.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(3000):
        emit(source.flagged, True)
    # The list holds 3000 references; PySide6 6.12 alone would have lost 3000.
    assert sys.getrefcount(True) - before >= 3000 - 50
    assert len(received) == 3000
    received.clear()
    assert abs(sys.getrefcount(True) - before) < 50
