"""Emitting Qt signals from Python, safe from PySide6 6.12's lost reference to ``True``.

PySide6 6.12.0's ``SignalInstance.emit`` and ``disconnect`` return ``True``
without taking a reference to it. On Python 3.11 (where ``True`` is an
ordinary counted object) each call drops one reference, and after a few
hundred the interpreter aborts ("bool_dealloc: deallocating True or False").
:func:`emit` and :func:`disconnect` give the reference back when, and only
when, the running PySide6 is found to lose it; on a fixed PySide6 or on
Python 3.12+ they are the plain calls.

The same PySide6 also loses a reference to ``None`` on every call that
returns nothing, which no wrapper can mend: :func:`void_calls_lose_none`
lets the screens refuse to start on it (``PySide6-Essentials<6.12`` is fine).
Once 6.12.0 is excluded from the dependencies, this module can go.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 64
# One probe at a time: two measuring at once would each see the other's losses.
_PROBING = threading.Lock()


class _Probe(QObject):
    """A signal to find out whether emitting loses a reference."""

    # (no arguments) emitted only by the probe
    poked = Signal()


def emit(signal: SignalInstance, *args: object) -> None:
    """Emit ``signal`` with ``args`` (use this, never ``signal.emit``, in this package)."""
    # The stubs say emit returns nothing; PySide6 returns True (see above).
    emitter: Callable[..., object] = signal.emit
    if emitter(*args) is True and emit_loses_true():
        _give_back_true(1)


def disconnect(signal: SignalInstance, slot: Callable[..., object]) -> None:
    """Disconnect ``slot`` from ``signal`` (use this, never ``signal.disconnect``)."""
    disconnector: Callable[..., object] = signal.disconnect
    if disconnector(slot) is True and disconnect_loses_true():
        _give_back_true(1)


def void_calls_lose_none() -> bool:
    """Whether this PySide6 drops a reference to ``None`` on each call returning nothing.

    Nothing can make that good (every ``setText`` would need it): a screen
    on such a PySide6 aborts within minutes, so the screens refuse to start.
    """
    probe = _Probe()
    with _PROBING:
        before = sys.getrefcount(None)
        for _ in range(_PROBES):
            probe.setObjectName("probe")
        lost = before - sys.getrefcount(None)
        if lost >= _PROBES // 2:
            for _ in range(_PROBES):
                ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
            return True
    return False


@cache
def emit_loses_true() -> bool:
    """Whether this PySide6 drops a reference to ``True`` on each emit (measured once)."""
    probe = _Probe()
    return _loses_true(probe.poked.emit)


@cache
def disconnect_loses_true() -> bool:
    """Whether this PySide6 drops a reference to ``True`` on each disconnect (measured once)."""
    probe = _Probe()

    def connect_and_disconnect() -> None:
        probe.poked.connect(_ignore)
        probe.poked.disconnect(_ignore)

    return _loses_true(connect_and_disconnect)


def _loses_true(call: Callable[[], object]) -> bool:
    with _PROBING:
        before = sys.getrefcount(True)
        for _ in range(_PROBES):
            call()
        lost = before - sys.getrefcount(True)
        # Other threads move True's count a little; a leak moves it by one per call.
        if lost >= _PROBES // 2:
            _give_back_true(_PROBES)
            return True
        return False


def _ignore() -> None:
    """A slot for the probe."""


def _give_back_true(count: int) -> None:
    for _ in range(count):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


__all__ = [
    "disconnect",
    "disconnect_loses_true",
    "emit",
    "emit_loses_true",
    "void_calls_lose_none",
]
