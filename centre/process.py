"""What a long-running Taboor process shares: stopping on SIGTERM or SIGINT, and naming an OS error.

Nothing happens at import; :func:`stop_on_signals` installs its handlers only
while its ``with`` block runs, and only in the main thread (where Python
delivers signals).
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def stop_on_signals(stop: Callable[[], None], *, name: str = "stop") -> Iterator[None]:
    """While inside, SIGTERM and SIGINT call ``stop`` (in the main thread; elsewhere nothing).

    ``stop`` runs in a thread of its own (called ``name``): the main thread may
    hold a lock ``stop`` takes (inside ``Event.wait``, say), and a handler
    taking it there would deadlock. The previous handlers come back on leaving.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(_signum: int, _frame: FrameType | None) -> None:
        threading.Thread(target=stop, name=name).start()

    previous = {number: signal.signal(number, handler) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


def os_error_reason(error: BaseException) -> str:
    """The one-line heart of an OS or device-library error, without errno numbers or tracebacks."""
    strerror = getattr(error, "strerror", None)
    if isinstance(strerror, str) and strerror:
        return strerror[0].lower() + strerror[1:]
    text = str(error).strip().splitlines()
    return re.sub(r"^\[Errno \d+\]\s*", "", text[-1]) if text else type(error).__name__


__all__ = ["STOP_SIGNALS", "os_error_reason", "stop_on_signals"]
