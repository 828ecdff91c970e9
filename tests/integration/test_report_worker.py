"""The centre server's report worker: a process of its own, on idle CPU, with the same answers."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from centre import reports
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from server.reporting import ReportRunner
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
        # It ran in a process of its own, in the idle scheduling class.
        worker = runner._workers()
        assert worker.submit(os.getpid).result() != os.getpid()
        if hasattr(os, "SCHED_IDLE"):
            assert worker.submit(os.sched_getscheduler, 0).result() == os.SCHED_IDLE
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
