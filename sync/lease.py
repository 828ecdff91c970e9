"""One sync agent per centre: a lease in the store makes starting several agents harmless.

On PostgreSQL the lease is a session advisory lock held by the agent's own
connection for its life; on a SQLite file it is an ``flock`` on a file next to
the database. Both vanish with the process that holds them, even on SIGKILL,
so a restarted agent never waits for a dead one.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import threading
import zlib
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from centre.store.unit_of_work import Store

log = logging.getLogger(__name__)

# The high half of the advisory lock key; the low half names the schema, so
# centres sharing a PostgreSQL database in separate schemas have separate leases.
_LEASE_KEY_HIGH = 0x7AB0_0002


class Lease(Protocol):
    """The right to be the centre's one sync agent."""

    def try_acquire(self) -> bool:
        """Take the lease if nobody holds it; whether this agent now holds it."""
        ...

    def held(self) -> bool:
        """Whether this agent still holds the lease (a dropped connection loses it)."""
        ...

    def release(self) -> None:
        """Give the lease up (safe to call when not held)."""
        ...


def holder_name() -> str:
    """This process as a lease holder: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_for(store: Store) -> Lease:
    """The lease that fits the store's database."""
    engine = store.engine
    if engine.dialect.name == "postgresql":
        return AdvisoryLease(engine)
    database = engine.url.database
    if not database or database == ":memory:":
        return ProcessLease(f"memory:{id(engine)}")
    return FileLease(Path(database).expanduser().with_suffix(".sync-lease"))


class AdvisoryLease:
    """A PostgreSQL session advisory lock on a connection kept open while the lease is held."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None

    def __repr__(self) -> str:
        return f"AdvisoryLease(held={self._connection is not None})"

    def try_acquire(self) -> bool:
        if self._connection is not None:
            return self.held()
        connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            schema_name = str(connection.execute(text("SELECT current_schema()")).scalar_one())
            key = (_LEASE_KEY_HIGH << 32) | zlib.crc32(schema_name.encode("utf-8"))
            got = bool(
                connection.execute(
                    text("SELECT pg_try_advisory_lock(CAST(:key AS bigint))"), {"key": key}
                ).scalar_one()
            )
        except DBAPIError:
            log.warning("cannot reach the database to take the sync lease")
            connection.invalidate()
            connection.close()
            return False
        if not got:
            connection.close()
            return False
        self._connection = connection
        return True

    def held(self) -> bool:
        connection = self._connection
        if connection is None:
            return False
        try:
            connection.execute(text("SELECT 1"))
        except DBAPIError:
            log.warning("lost the database connection that held the sync lease")
            self._discard()
            return False
        return True

    def release(self) -> None:
        # The connection is thrown away, not pooled: a pooled connection would
        # keep the session's lock for whoever borrowed it next.
        self._discard()

    def _discard(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.invalidate()
        finally:
            connection.close()


class FileLease:
    """An exclusive ``flock`` on a file next to the SQLite database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def __repr__(self) -> str:
        return f"FileLease({str(self.path)!r}, held={self._handle is not None})"

    def try_acquire(self) -> bool:
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        # Who holds it, for a person looking; the lock itself is what counts.
        handle.seek(0)
        handle.truncate()
        handle.write(holder_name() + "\n")
        handle.flush()
        self._handle = handle
        return True

    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            handle.close()


_PROCESS_LEASES: set[str] = set()
_PROCESS_LOCK = threading.Lock()


class ProcessLease:
    """A lease within one process, for an in-memory database no other process can open."""

    def __init__(self, key: str) -> None:
        self._key = key
        self._held = False

    def try_acquire(self) -> bool:
        with _PROCESS_LOCK:
            if self._held:
                return True
            if self._key in _PROCESS_LEASES:
                return False
            _PROCESS_LEASES.add(self._key)
            self._held = True
            return True

    def held(self) -> bool:
        return self._held

    def release(self) -> None:
        with _PROCESS_LOCK:
            if self._held:
                _PROCESS_LEASES.discard(self._key)
                self._held = False


__all__ = ["AdvisoryLease", "FileLease", "Lease", "ProcessLease", "holder_name", "lease_for"]
