"""Blocking calls off the GUI thread: one worker thread per runner, results back as Qt signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from ui.signals import emit

log = logging.getLogger(__name__)
T = TypeVar("T")


class TaskRunner(QObject):
    """Runs jobs one at a time, in the order given, on a worker thread.

    ``done`` or ``failed`` is then called on the thread the runner lives in
    (the GUI thread), so a job may block on a locked database without freezing
    the screen, and results apply in the order the jobs were submitted.
    """

    # a callable taking no arguments, to run on the runner's own thread
    _delivered = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._closed = False
        self._pending = 0
        self._running: set[Future[None]] = set()
        # Emitted on the worker thread, received on ours: Qt queues it across.
        self._delivered.connect(self._run_delivered)

    @property
    def pending(self) -> int:
        """Jobs submitted whose result has not been delivered yet."""
        return self._pending

    def submit(
        self,
        job: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[Exception], None],
    ) -> None:
        """Run ``job`` on the worker; then ``done(result)`` or ``failed(error)`` here."""
        if self._closed:
            return
        self._pending += 1
        future = self._executor.submit(self._work, job, done, failed)
        self._running.add(future)
        future.add_done_callback(self._running.discard)

    def shutdown(self, timeout: float = 2.0) -> None:
        """Drop jobs not started, deliver nothing more, and give a running one ``timeout`` to end.

        Waiting lets its database connection go back to the store before the
        store closes; a job stuck on a dead database is left to finish alone.
        """
        self._closed = True
        self._executor.shutdown(wait=False, cancel_futures=True)
        wait(list(self._running), timeout=timeout)

    def _work(
        self, job: Callable[[], T], done: Callable[[T], None], failed: Callable[[Exception], None]
    ) -> None:
        try:
            result = job()
        except Exception as error:  # every failure goes back to the caller, as a value
            outcome: Callable[[], None] = partial(failed, error)
        else:
            outcome = partial(done, result)
        if not self._closed:
            emit(self._delivered, outcome)

    def _run_delivered(self, outcome: Callable[[], None]) -> None:
        self._pending -= 1
        if not self._closed:
            outcome()


__all__ = ["TaskRunner"]
