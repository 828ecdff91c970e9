"""Writers in one process take turns at the store's write lock, first come first served.

SQLite grants its write lock to whichever waiter's busy handler happens to
retry first, sleeping longer the longer it has waited, so under load one
thread can wait seconds while others write again and again. PostgreSQL
queues waiters on the log's head row fairly, but each waits holding a pooled
connection. Queuing the threads of a process here first, in arrival order,
leaves the database one writer from this process at a time: it is served in
turn, and the others hold no connection while they wait.
"""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType

#: The owner while the lock passes from its holder to the next waiter (no thread's ident).
_HANDED_OVER = -1


class FifoLock:
    """A lock handed to its waiters in the order they asked for it.

    Not reentrant: a thread asking again while it holds the lock gets a
    ``RuntimeError`` instead of waiting for itself forever.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()
        self._owner: int | None = None

    @property
    def waiting(self) -> int:
        """How many threads wait for the lock now."""
        return len(self._waiting)

    def acquire(self) -> None:
        """Wait for this thread's turn, then hold the lock."""
        me = threading.get_ident()
        with self._guard:
            if self._owner == me:
                raise RuntimeError("this thread holds the lock already")
            if self._owner is None:
                self._owner = me
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        try:
            turn.acquire()  # released by the holder, which hands the lock over
        except BaseException:  # interrupted while waiting: leave the queue, or pass the turn on
            with self._guard:
                if turn in self._waiting:
                    self._waiting.remove(turn)
                    raise
                self._owner = me
            self.release()
            raise
        with self._guard:
            self._owner = me

    def release(self) -> None:
        """Hand the lock to the longest waiter, or free it."""
        with self._guard:
            if self._owner != threading.get_ident():
                raise RuntimeError("the lock is released by a thread that does not hold it")
            if self._waiting:
                self._owner = _HANDED_OVER  # held for the waiter until it wakes
                self._waiting.popleft().release()
            else:
                self._owner = None

    def __enter__(self) -> FifoLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


__all__ = ["FifoLock"]
