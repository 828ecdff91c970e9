"""The unit of work: a transaction on the store, for writing or reading."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from centre.domain import Event
from centre.store.engine import create_store_engine, ensure_schema
from centre.store.repository import Repository
from centre.store.turns import FifoLock

log = logging.getLogger(__name__)


class Store:
    """The centre's database: hands out write and read transactions.

    ``on_commit`` listeners hear of the events of every committed write (the
    same process's screens redraw at once; other processes tail the log).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.on_commit: list[Callable[[list[Event]], None]] = []
        self._cpr_key: bytes | None = None
        self._turns = FifoLock()

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to the database at ``url``, creating or upgrading its schema if needed."""
        engine = create_store_engine(url)
        ensure_schema(engine)
        return cls(engine)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Repository]:
        """A transaction holding the centre's write lock; commits, or rolls back on error.

        The threads of this process take their turns first come first served
        (:mod:`centre.store.turns`), so none is starved by the others.
        """
        with self._turns, self.engine.connect() as plain:
            connection = plain.execution_options(taboor_write=True)
            with connection.begin():
                repository = Repository(connection, writable=True)
                yield repository
                repository.seal()
            events = repository.appended
        for listener in self.on_commit:
            try:
                listener(events)
            except Exception:
                # The change is committed whatever a listener does; it must
                # not turn a done ticket into an error for the caller.
                log.exception("a commit listener failed")

    @contextmanager
    def read(self) -> Iterator[Repository]:
        """A read-only transaction with a consistent view."""
        with self.engine.connect() as connection, connection.begin():
            yield Repository(connection, writable=False)

    def cpr_key(self) -> bytes:
        """The key of this database's CPR digests."""
        if self._cpr_key is None:
            with self.read() as repository:
                value = repository.meta("cpr_key")
            if value is None:
                raise RuntimeError("the store has no CPR key: run taboor init")
            self._cpr_key = bytes.fromhex(value)
        return self._cpr_key

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()
