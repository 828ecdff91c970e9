"""Cycles are collected in the GUI thread only, whichever thread allocates."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot


class Cycle:
    """An object in a reference cycle that says in which thread it was freed."""

    freed_in: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.freed_in.append(threading.current_thread().name)


def test_a_cycle_dropped_while_a_thread_allocates_is_freed_in_the_gui_thread(
    qapp: QApplication, qtbot: QtBot
) -> None:
    assert not gc.isenabled()
    Cycle.freed_in.clear()
    Cycle()  # garbage at once, but only a cycle collection frees it

    kept: list[list[int]] = []

    def allocate() -> None:
        # Far past the first generation's threshold: Python alone would collect here.
        kept.extend([n] for n in range(gc.get_threshold()[0] * 20))

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    assert Cycle.freed_in == []
    qtbot.waitUntil(lambda: Cycle.freed_in != [], timeout=5000)
    assert Cycle.freed_in == [threading.current_thread().name]
    kept.clear()
