"""The simulator's databases: a throwaway SQLite file, or a given one that must be empty."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from centre.store.engine import create_store_engine, ensure_schema
from centre.store.unit_of_work import Store
from sim.scenarios import SimError


@contextmanager
def sim_store(url: str | None, *, fast: bool = True) -> Iterator[Store]:
    """The simulator's store: ``url`` if given (it must be empty), else a throwaway SQLite file.

    The throwaway file skips fsync (``synchronous=OFF``): it is deleted after the
    run, so a crash could lose nothing of value, and a day's 20,000 commits
    would otherwise wait on the disk. A given database keeps the engine's settings.
    """
    if url is not None:
        store = Store.open(url)
        try:
            refuse_unless_empty(store)
            yield store
        finally:
            store.close()
        return
    with tempfile.TemporaryDirectory(prefix="taboor-sim-") as folder:
        engine = create_store_engine(f"sqlite:///{Path(folder) / 'sim.db'}")
        if fast:
            event.listen(engine, "connect", _throwaway_pragmas)
        ensure_schema(engine)
        store = Store(engine)
        try:
            yield store
        finally:
            store.close()


def _throwaway_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Runs after the engine's own connect listener, which set synchronous=FULL.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def refuse_unless_empty(store: Store) -> None:
    """Refuse (:class:`SimError`) a database that has events already: figures need a fresh day."""
    with store.read() as repo:
        used = repo.last_seq()
    if used:
        raise SimError(f"the simulator needs an empty database; this one has {used} events already")


__all__ = ["refuse_unless_empty", "sim_store"]
