"""The server's event hub on PostgreSQL: the NOTIFY of a commit it handed over costs no read."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

import pytest

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import Event
from centre.port import EventFeed
from centre.store.tail import PgNotifyWakeup, StoreLog, listen_connector
from centre.store.unit_of_work import Store
from server.hub import EventHub


class CountingLog(StoreLog):
    """The store's log, counting how often it is read."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.reads = 0

    def read_after(self, seq: int, limit: int) -> tuple[int, list[Event]]:
        self.reads += 1
        return super().read_after(seq, limit)


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.mark.postgres
def test_only_a_notify_of_a_later_seq_makes_the_hub_read(
    pg_url: str, clock: FixedClock, config: CentreConfig
) -> None:
    server_store, other_process = Store.open(pg_url), Store.open(pg_url)
    log = CountingLog(server_store)
    wakeup = PgNotifyWakeup(listen_connector(server_store, "taboor-test-hub"))
    # A poll once a minute: only the server's commits and NOTIFY bring events.
    feed = EventFeed(log, wakeup, 60.0, server_store.on_commit)
    heard: list[int] = []
    hub = EventHub(feed, on_events=lambda events: heard.extend(e.seq or 0 for e in events))
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        hub.start(loop, 0)
        wait_until(lambda: wakeup.connected and log.reads >= 1)  # listening, and read once
        uc.issue_ticket(server_store, clock, config, "A")  # the server's own: handed over
        uc.issue_ticket(server_store, clock, config, "E")
        assert heard == [1, 2]
        # Another process's commit is read. Its NOTIFY comes after theirs (which may have
        # beaten the hand-over: a read then, harmless), so once it is heard they are past.
        uc.issue_ticket(other_process, clock, config, "C")
        wait_until(lambda: heard == [1, 2, 3])
        reads = log.reads
        with other_process.engine.begin() as connection:  # old news: wakes nobody
            connection.exec_driver_sql("SELECT pg_notify('taboor_events', '3')")
        time.sleep(0.3)  # room to read, were it to
        uc.issue_ticket(other_process, clock, config, "A")  # news: read, once
        wait_until(lambda: heard == [1, 2, 3, 4])
        assert log.reads == reads + 1
    finally:
        hub.stop()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
        server_store.close()
        other_process.close()
