"""Reports on the centre server run in a process of their own, on the CPU the live centre
leaves.

A report over a year is a second or so of Python work. Run in the server's own
threads it would hold the interpreter's lock in turns with the live requests
and slow every ticket issued meanwhile; in a worker process, on its own
connection, it reads one read transaction (no writer waits for it on either
database) and the live centre keeps its pace. The worker starts at the first
report and stays for the next. It imports, connects and checks the schema at
the server's priority (once, a fraction of a second), then runs at the lowest
``nice``: a core the server and the database leave idle is its own, and on a
core they want it gets about 1.5 % of the time. Not Linux's ``SCHED_IDLE``
class: that never runs while the machine is busy, and a report started on a
saturated server would hold its read transaction open (SQLite's WAL cannot be
checkpointed past it, PostgreSQL's vacuum cannot clean behind it) for as long
as the load lasts; a low ``nice`` always finishes. An in-memory SQLite database
(tests) has no second connection to share, so its reports run in the calling
thread.

Closed days are rolled up for the reports the same way: the worker reads a
day's facts (the costly part, about a third of a second of Python a day, and a
year of them after an upgrade), and the server writes their few dozen rows in
a short transaction of its own. The worker never writes: a process that gets
the CPU only when nobody else wants it must not hold SQLite's write lock.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date, datetime
from functools import partial
from typing import Concatenate, ParamSpec, TypeVar

from centre.config import CentreConfig
from centre.reports import Report, report
from centre.reports.core import Facts
from centre.reports.rollups import day_facts, roll_up_closed_days
from centre.store.unit_of_work import Store

log = logging.getLogger(__name__)

#: How much lower than the server a report worker runs (the lowest there is).
NICENESS = 19
P = ParamSpec("P")
T = TypeVar("T")
_stores: dict[str, Store] = {}


class ReportRunner:
    """Runs reports on the database at ``url`` in a worker process."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._url = store.engine.url.render_as_string(hide_password=False)
        database = store.engine.url.database
        self._in_process = store.dialect == "sqlite" and database in (None, "", ":memory:")
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._rolled_for: date | None = None

    def run(self, config: CentreConfig, start: date, end: date, by: str, now: datetime) -> Report:
        """The report (blocking: call it from a worker thread)."""
        return self._on_store(report, config, start, end, by, now)

    def roll_up(self, config: CentreConfig, now: datetime) -> int:
        """Roll up the closed days not yet rolled up, once a business day (blocking, as
        :meth:`run`); how many."""
        today = now.astimezone(config.centre.zone).date()
        if self._rolled_for == today:
            return 0

        def read(day: date) -> Facts:
            return self._on_store(day_facts, config, day, now)

        rolled = roll_up_closed_days(self._store, config, now, read)
        self._rolled_for = today
        return rolled

    def _on_store(
        self, work: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """``work(store, ...)`` in the worker, on its own store (here, for an in-memory one)."""
        if self._in_process:
            return work(self._store, *args, **kwargs)
        job = partial(_on_url, self._url, work, *args, **kwargs)
        workers = self._workers()
        try:
            return workers.submit(job).result()
        except BrokenProcessPool:
            # The worker died (killed, out of memory): a new one, once; reports only read.
            log.warning("the report worker stopped; starting another")
            self._discard(workers)
            return self._workers().submit(job).result()

    def close(self) -> None:
        """Stop the worker, if it started."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _discard(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)

    def _workers(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start,
                    initargs=(self._url,),
                )
            return self._pool


def _start(url: str) -> None:
    """In a new worker: open its store at the server's priority, then step back."""
    try:
        _store(url)
    except Exception:
        # An initializer that raises breaks the pool for good; the first report
        # opens the store again and says why to the one who asked.
        log.warning("the report worker could not open its database yet", exc_info=True)
    os.nice(NICENESS)


def _store(url: str) -> Store:
    store = _stores.get(url)
    if store is None:
        store = _stores[url] = Store.open(url)
    return store


def _on_url(
    url: str, work: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """In the worker: ``work`` on the store at ``url``, opened once and kept for the next."""
    return work(_store(url), *args, **kwargs)


__all__ = ["NICENESS", "ReportRunner"]
