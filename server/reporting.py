"""Reports on the centre server run in a process of their own, at a lower priority.

A report over a year is a second or so of Python work. Run in the server's own
threads it would hold the interpreter's lock in turns with the live requests
and slow every ticket issued meanwhile; in a worker process, on its own
connection, it reads one read transaction (no writer waits for it on either
database) and the live centre keeps its pace. The worker starts at the first
report and stays for the next; an in-memory SQLite database (tests) has no
second connection to share it, so its reports run in the calling thread.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime

from centre.config import CentreConfig
from centre.reports import Report, report
from centre.store.unit_of_work import Store

#: How much lower than the server a report worker runs (``nice``).
NICENESS = 10
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

    def run(self, config: CentreConfig, start: date, end: date, by: str, now: datetime) -> Report:
        """The report (blocking: call it from a worker thread)."""
        if self._in_process:
            return report(self._store, config, start, end, by, now)
        return self._workers().submit(_report, self._url, config, start, end, by, now).result()

    def close(self) -> None:
        """Stop the worker, if it started."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _workers(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=os.nice,
                    initargs=(NICENESS,),
                )
            return self._pool


def _report(
    url: str, config: CentreConfig, start: date, end: date, by: str, now: datetime
) -> Report:
    store = _stores.get(url)
    if store is None:
        store = _stores[url] = Store.open(url)
    return report(store, config, start, end, by, now)


__all__ = ["NICENESS", "ReportRunner"]
