"""The store itself: migrations, SQLite settings, the event head, several processes starting,
many threads of one process writing at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from centre.domain import Event, EventType
from centre.store.engine import HEAD_REVISION, ensure_schema, schema_is_current
from centre.store.schema import metadata
from centre.store.unit_of_work import Store


def test_migrations_build_exactly_the_declared_tables(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == HEAD_REVISION
        assert compare_metadata(context, metadata) == []


def test_schema_is_made_once_and_then_only_checked(db_url: str) -> None:
    first = Store.open(db_url)
    assert schema_is_current(first.engine)
    ensure_schema(first.engine)  # a second time changes nothing
    key = first.cpr_key()
    first.close()
    second = Store.open(db_url)
    assert second.cpr_key() == key  # the CPR key is made once per database
    second.close()


def test_sqlite_runs_in_wal_with_full_sync(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_a_failed_write_leaves_no_event(store: Store) -> None:
    try:
        with store.write() as repo:
            repo.append([Event.new(EventType.COUNTER_OPENED, datetime.now(UTC), counter="1")])
            raise RuntimeError("crash between the change and the commit")
    except RuntimeError:
        pass
    with store.read() as repo:
        assert repo.last_seq() == 0
        assert repo.events_since(0) == []


def test_threads_of_one_process_write_in_turn(store: Store) -> None:
    writers, each = 12, 15
    errors: list[BaseException] = []

    def write(counter: str) -> None:
        try:
            for _ in range(each):
                with store.write() as repo:
                    at = datetime.now(UTC)
                    repo.append([Event.new(EventType.COUNTER_OPENED, at, counter=counter)])
        except BaseException as error:  # reported below, on the test's thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(str(n),)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with store.read() as repo:
        log = repo.events_since(0)
    assert [e.seq for e in log] == list(range(1, writers * each + 1))


def test_a_write_inside_another_on_one_thread_is_refused_not_a_deadlock(store: Store) -> None:
    refused = pytest.raises(RuntimeError, match="holds the lock already")
    with store.write(), refused, store.write():
        pass
    with store.write():  # the store still writes afterwards
        pass
