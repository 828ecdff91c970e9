"""Following the real log: every event once and in order, NOTIFY wakes, outages lose nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import Event
from centre.local import LocalCentre
from centre.port import EventFeed
from centre.store.tail import PgNotifyWakeup, StoreLog, listen_connector
from centre.store.unit_of_work import Store
from display.follower import EventFollower
from tests.unit.display.helpers import HangingLog, feed_of

pytestmark = pytest.mark.usefixtures("qt_disconnects_guarded")


class Seen:
    """The seqs a follower delivered."""

    def __init__(self, follower: EventFollower) -> None:
        self.seqs: list[int] = []
        follower.events_arrived.connect(self._arrived)

    def _arrived(self, events: list[Event]) -> None:
        self.seqs.extend(e.seq or 0 for e in events)


def issue(store: Store, clock: FixedClock, config: CentreConfig, count: int) -> None:
    for index in range(count):
        service = ["licence-renewal", "traffic-fines", "vehicle-registration"][index % 3]
        uc.issue_ticket(store, clock, config, service)
        clock.advance(timedelta(seconds=3))


def log_seqs(store: Store) -> list[int]:
    return [e.seq or 0 for e in uc.events_since(store)]


@pytest.fixture
def follower(store: Store, clock: FixedClock, config: CentreConfig) -> Iterator[EventFollower]:
    made = EventFollower.for_port(LocalCentre(store, clock, config))
    yield made
    made.stop()


def test_every_event_arrives_once_in_order(
    qtbot: QtBot, store: Store, clock: FixedClock, config: CentreConfig, follower: EventFollower
) -> None:
    issue(store, clock, config, 5)
    seen = Seen(follower)
    follower.start(after_seq=2)
    issue(store, clock, config, 20)
    for counter in ("1", "3", "4"):
        uc.call_next(store, clock, config, counter)
    last = log_seqs(store)[-1]
    qtbot.waitUntil(lambda: seen.seqs[-1:] == [last], timeout=3000)
    assert seen.seqs == [seq for seq in log_seqs(store) if seq > 2]


@pytest.mark.postgres
def test_postgres_wakes_the_follower_by_notify(
    qtbot: QtBot, pg_url: str, clock: FixedClock, config: CentreConfig
) -> None:
    reader, writer = Store.open(pg_url), Store.open(pg_url)
    # A poll once a minute: only NOTIFY can bring the event within the second.
    follower = EventFollower(
        EventFeed(StoreLog(reader), PgNotifyWakeup(listen_connector(reader, "taboor-test")), 60)
    )
    seen = Seen(follower)
    try:
        follower.start(after_seq=0)
        qtbot.wait(300)  # listening by now
        with qtbot.waitSignal(follower.events_arrived, timeout=1000):
            issue(writer, clock, config, 1)
        assert seen.seqs == [1]
    finally:
        follower.stop()
        reader.close()
        writer.close()


@pytest.mark.postgres
def test_a_killed_postgres_connection_is_reported_and_nothing_is_missed(
    qtbot: QtBot, pg_url: str, clock: FixedClock, config: CentreConfig
) -> None:
    reader, writer = Store.open(pg_url), Store.open(pg_url)
    name = f"taboor-test-{uuid.uuid4().hex[:8]}"
    follower = EventFollower.for_port(LocalCentre(reader, clock, config), name=name)
    seen = Seen(follower)
    admin = create_engine(pg_url)
    try:
        follower.start(after_seq=0)
        issue(writer, clock, config, 3)
        qtbot.waitUntil(lambda: seen.seqs == [1, 2, 3], timeout=3000)
        with qtbot.waitSignals(
            [follower.connection_lost, follower.connection_restored], order="strict", timeout=5000
        ):
            with admin.begin() as connection:
                killed = connection.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE application_name = :name"
                    ),
                    {"name": name},
                ).scalar_one()
            assert killed == 1
            issue(writer, clock, config, 4)  # committed while the screen was deaf
        issue(writer, clock, config, 2)
        qtbot.waitUntil(lambda: seen.seqs[-1:] == [9], timeout=5000)
        assert seen.seqs == list(range(1, 10))
        assert follower.is_connected
    finally:
        follower.stop()
        admin.dispose()
        reader.close()
        writer.close()


def test_a_database_that_stops_answering_is_reported_then_caught_up(
    qtbot: QtBot, sqlite_store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    log = HangingLog(StoreLog(sqlite_store))
    follower = EventFollower(feed_of(log), stale_seconds=0.4)
    seen = Seen(follower)
    try:
        follower.start(after_seq=0)
        issue(sqlite_store, clock, config, 2)
        qtbot.waitUntil(lambda: seen.seqs == [1, 2], timeout=3000)
        log.hang()
        with qtbot.waitSignal(follower.connection_lost, timeout=3000):
            issue(sqlite_store, clock, config, 5)  # the centre goes on meanwhile
        assert seen.seqs == [1, 2]
        with qtbot.waitSignal(follower.connection_restored, timeout=3000):
            log.heal()
        qtbot.waitUntil(lambda: seen.seqs[-1:] == [7], timeout=3000)
        assert seen.seqs == list(range(1, 8))
    finally:
        log.heal()
        follower.stop()
