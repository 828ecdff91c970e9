"""The store's write turns: first come, first served, and never a wait for oneself."""

from __future__ import annotations

import threading
import time

import pytest

from centre.store.turns import FifoLock


def wait_until(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_waiters_get_the_lock_in_the_order_they_asked() -> None:
    lock = FifoLock()
    served: list[int] = []
    lock.acquire()

    def writer(index: int) -> None:
        with lock:
            served.append(index)

    threads = []
    for index in range(8):
        thread = threading.Thread(target=writer, args=(index,))
        thread.start()
        threads.append(thread)
        wait_until(lambda index=index: lock.waiting == index + 1)
    lock.release()
    for thread in threads:
        thread.join(timeout=10)
    assert served == list(range(8))
    assert lock.waiting == 0


def test_the_holder_asking_again_does_not_wait_for_itself() -> None:
    lock = FifoLock()
    with lock, pytest.raises(RuntimeError, match="holds the lock already"):
        lock.acquire()
    with lock:  # still usable afterwards
        pass


def test_only_the_holder_releases() -> None:
    lock = FifoLock()
    with pytest.raises(RuntimeError, match="does not hold it"):
        lock.release()
    lock.acquire()
    errors: list[Exception] = []

    def other() -> None:
        try:
            lock.release()
        except RuntimeError as error:
            errors.append(error)

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(timeout=10)
    assert len(errors) == 1
    lock.release()


def test_a_released_lock_is_free_for_anyone() -> None:
    lock = FifoLock()
    with lock:
        pass
    took = threading.Event()

    def later() -> None:
        with lock:
            took.set()

    thread = threading.Thread(target=later)
    thread.start()
    thread.join(timeout=10)
    assert took.is_set()
