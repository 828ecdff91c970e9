"""The centre server's report worker: a process of its own, at the lowest priority, with the
same answers."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest

from centre import reports
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from server.reporting import NICENESS, ReportRunner
from tests.helpers import day


def test_a_report_in_the_worker_is_the_report(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    for service in ("licence-renewal", "traffic-fines", "licence-renewal"):
        uc.issue_ticket(store, clock, config, service)
        clock.advance(timedelta(minutes=4))
    uc.open_counter(store, clock, config, "1")
    uc.call_next(store, clock, config, "1")
    today, now = day(clock.now()), clock.now()
    runner = ReportRunner(store)
    try:
        for by in reports.BY:
            found = runner.run(config, today, today, by, now)
            assert found == reports.report(store, config, today, today, by, now)
        # It ran in a process of its own, at the lowest priority there is.
        worker = runner._workers()
        assert worker.submit(os.getpid).result() != os.getpid()
        assert worker.submit(os.nice, 0).result() == min(os.nice(0) + NICENESS, 19)
    finally:
        runner.close()


def test_a_worker_that_dies_is_replaced_and_the_report_still_comes(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    uc.issue_ticket(store, clock, config, "licence-renewal")
    today, now = day(clock.now()), clock.now()
    runner = ReportRunner(store)
    try:
        first = runner.run(config, today, today, "day", now)
        dead = runner._workers().submit(os.getpid).result()
        os.kill(dead, signal.SIGKILL)
        assert runner.run(config, today, today, "day", now) == first
        assert runner._workers().submit(os.getpid).result() != dead
    finally:
        runner.close()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_reports_in_the_calling_thread(
    url: str, clock: FixedClock, config: CentreConfig
) -> None:
    store = Store.open(url)
    try:
        runner = ReportRunner(store)
        today = day(clock.now())
        found = runner.run(config, today, today, "day", clock.now())
        assert found.total.visitors == 0
        assert runner._pool is None
    finally:
        store.close()


def test_closed_days_are_read_in_the_worker_and_rolled_up_once_a_day(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    first = day(clock.now())
    for _ in range(3):
        uc.open_counter(store, clock, config, "1")
        for _visitor in range(2):
            uc.issue_ticket(store, clock, config, "licence-renewal")
            clock.advance(timedelta(minutes=3))
            uc.call_next(store, clock, config, "1")
            uc.start_serving(store, clock, config, "1")
            clock.advance(timedelta(minutes=5))
            uc.finish(store, clock, config, "1")
        uc.issue_ticket(store, clock, config, "traffic-fines")  # left waiting: cancelled
        clock.advance(timedelta(days=1))
        # The server closes each day itself and leaves the roll-ups to the runner.
        uc.roll_day(store, clock, config, roll_ups=False)
    last = day(clock.now()) - timedelta(days=1)
    now = clock.now()
    with store.read() as repo:
        assert reports.rollups.rolled_days(repo, first, last) == set()
    raw = {by: reports.report(store, config, first, last, by, now) for by in reports.BY}
    assert (raw["day"].total.visitors, raw["day"].total.served) == (9, 6)
    runner = ReportRunner(store)
    try:
        assert runner.roll_up(config, now) == 3
        # Read in a process of its own (the worker started for it); written here.
        assert runner._pool is not None
        with store.read() as repo:
            assert reports.rollups.rolled_days(repo, first, last) == {
                first + timedelta(days=n) for n in range(3)
            }
        for by in reports.BY:
            assert reports.report(store, config, first, last, by, now) == raw[by]
        # Once a business day: the next rounds of the same day do nothing.
        assert runner.roll_up(config, now + timedelta(minutes=1)) == 0
    finally:
        runner.close()
