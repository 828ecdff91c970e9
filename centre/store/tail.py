"""Tailing the store's event log: reading it after a seq, and waking up when it grows.

The in-process adapter (:class:`centre.local.LocalCentre`) hands these to the
screens' follower, the LED-board keeper and the centre server's stream.
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import pq, sql

from centre.domain import Event
from centre.store.unit_of_work import Store

log = logging.getLogger(__name__)

#: The channel the store notifies on each commit that appended events.
CHANNEL = "taboor_events"
SQLITE_POLL_SECONDS = 0.1
POSTGRES_POLL_SECONDS = 2.0


class StoreLog:
    """The event log of a :class:`Store`, read in one short transaction each time."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def read_after(self, seq: int, limit: int) -> tuple[int, list[Event]]:
        """The newest ``seq`` and up to ``limit`` events after ``seq`` (none read when idle)."""
        with self._store.read() as repo:
            head = repo.last_seq()
            return head, repo.events_since(seq, limit) if head > seq else []


class TimerWakeup:
    """Wakes every ``timeout`` seconds, or at once when interrupted (a local commit, stopping)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def wait(self, timeout: float) -> None:
        """Sleep up to ``timeout`` seconds unless interrupted."""
        self._event.wait(timeout)
        self._event.clear()

    def interrupt(self) -> None:
        """Wake the waiter."""
        self._event.set()

    def close(self) -> None:
        """Nothing to release."""


class PgNotifyWakeup:
    """Wakes on PostgreSQL notifications on :data:`CHANNEL`, over a connection of its own.

    A follower that learns of some events without reading the log (the centre
    server hands over its own commits) says how far it has heard with
    :meth:`heard_through`; notifications of no later seq then do not wake it.
    """

    def __init__(
        self, connect: Callable[[], psycopg.Connection[Any]], channel: str = CHANNEL
    ) -> None:
        self._connect = connect
        self._channel = channel
        self._connection: psycopg.Connection[Any] | None = None
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._wake_writer.setblocking(False)
        self._heard: Callable[[], int] | None = None

    def heard_through(self, seq: Callable[[], int]) -> None:
        """Wake only for notifications of a seq after ``seq()`` (asked on each one)."""
        self._heard = seq

    @property
    def connected(self) -> bool:
        """Whether it holds a listening connection."""
        return self._connection is not None

    def wait(self, timeout: float) -> None:
        """Wait for a notification (connecting and ``LISTEN``ing first when needed)."""
        if self._connection is None:
            connection = self._connect()
            try:
                connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
            except BaseException:
                connection.close()
                raise
            self._connection = connection
            return
        pgconn = self._connection.pgconn
        try:
            wake = self._wake_reader.fileno()
            deadline = time.monotonic() + timeout
            while True:
                left = max(0.0, deadline - time.monotonic())
                ready, _, _ = select.select([pgconn.socket, wake], [], [], left)
                if wake in ready:
                    self._drain_wakes()
                news = not ready
                if pgconn.socket in ready:
                    pgconn.consume_input()
                    while (notice := pgconn.notifies()) is not None:
                        news = news or self._is_news(notice.extra)
                if pgconn.status != pq.ConnStatus.OK:
                    raise psycopg.OperationalError("the listening connection was closed")
                if news or wake in ready:
                    return
        except BaseException:
            self._drop()
            raise

    def _is_news(self, payload: bytes) -> bool:
        # The payload is the seq the notifying commit ended at; anything else wakes.
        if self._heard is None or not payload.isdigit():
            return True
        return int(payload) > self._heard()

    def interrupt(self) -> None:
        """Wake the waiter."""
        # Full of wake-ups already, or closed: either way nobody is left asleep.
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"\0")

    def close(self) -> None:
        """Close the listening connection and the wake-up sockets."""
        self._drop()
        self._wake_reader.close()
        self._wake_writer.close()

    def _drain_wakes(self) -> None:
        with contextlib.suppress(OSError):
            while self._wake_reader.recv(4096):
                pass

    def _drop(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            # It is broken already; that is why it goes.
            with contextlib.suppress(psycopg.Error):
                connection.close()


def listen_connector(store: Store, application_name: str) -> Callable[[], psycopg.Connection[Any]]:
    """Opens psycopg connections to the store's PostgreSQL database, as its engine would.

    Keepalives make a silently dropped network show within seconds.
    """
    engine = store.engine
    _, params = engine.dialect.create_connect_args(engine.url)
    # SQLAlchemy adds its own objects (an adapters map); libpq wants plain values.
    conninfo: dict[str, Any] = {k: v for k, v in params.items() if isinstance(v, str | int)}
    conninfo.setdefault("application_name", application_name)
    conninfo.setdefault("connect_timeout", 5)
    conninfo.update(keepalives=1, keepalives_idle=5, keepalives_interval=2, keepalives_count=2)

    def connect() -> psycopg.Connection[Any]:
        return psycopg.connect(autocommit=True, **conninfo)

    return connect


__all__ = [
    "CHANNEL",
    "POSTGRES_POLL_SECONDS",
    "SQLITE_POLL_SECONDS",
    "PgNotifyWakeup",
    "StoreLog",
    "TimerWakeup",
    "listen_connector",
]
