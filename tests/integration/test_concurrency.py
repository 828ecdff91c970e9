"""Several real processes issuing and calling at once, and processes killed mid-issue.

Run on SQLite (one file, WAL) and on PostgreSQL: no duplicate number, no
ticket without its event, no event without its ticket, no ticket called twice.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter as Tally
from pathlib import Path

import pytest

from centre import usecases as uc
from centre.clock import SystemClock
from centre.domain import EventType
from centre.store.unit_of_work import Store
from tests.helpers import unlimited_config

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.workers", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def check_log_matches_tickets(store: Store) -> list[str]:
    """The invariants after any run; returns the ticket numbers."""
    with store.read() as repo:
        day = repo.connection.exec_driver_sql("SELECT max(business_day) FROM tickets").scalar()
        tickets = repo.tickets_of_day(day) if day else []
        log = repo.events_since(0)
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    issued = [e.ticket_id for e in log if e.type is EventType.TICKET_ISSUED]
    assert sorted(issued) == sorted(t.id for t in tickets)  # each ticket has its event, once
    numbers = [t.number for t in tickets]
    assert len(set(numbers)) == len(numbers)
    return numbers


def test_processes_issuing_and_calling_at_once(db_url: str) -> None:
    store = Store.open(db_url)  # the schema exists before the workers race
    issuers = [spawn("issue", db_url, "--count", "25") for _ in range(4)]
    clerks = [spawn("call", db_url, "--count", "40", "--counter", c) for c in ("1", "2", "3")]
    outputs = []
    for process in issuers + clerks:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        outputs.append(out)
    numbers = check_log_matches_tickets(store)
    assert set(numbers) == {f"A{i:03d}" for i in range(1, 101)}
    called = [
        json.loads(line)["id"]
        for out in outputs[len(issuers) :]
        for line in out.splitlines()
        if line.startswith("{")
    ]
    assert len(called) == len(set(called)), "a ticket was called to two counters"
    with store.read() as repo:
        calls = [e.ticket_id for e in repo.events_since(0) if e.type is EventType.CALLED]
    assert sorted(calls) == sorted(called)
    store.close()


def test_processes_killed_mid_issue_lose_nothing(db_url: str) -> None:
    store = Store.open(db_url)
    rng = random.Random(20261122)
    printed: list[str] = []
    for _round in range(4):
        workers = [spawn("issue", db_url, "--count", "100000", "--no-quota") for _ in range(3)]
        for worker in workers:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.3, 0.8))
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
        for worker in workers:
            out, _err = worker.communicate(timeout=30)
            printed += [json.loads(line)["id"] for line in out.splitlines() if line.startswith("{")]
    numbers = check_log_matches_tickets(store)
    # every ticket a worker reported was committed; rolled-back ones left no gap
    with store.read() as repo:
        for ticket_id in printed:
            assert repo.ticket(ticket_id) is not None
    assert set(numbers) == {f"A{i:03d}" for i in range(1, len(numbers) + 1)}
    assert len(numbers) >= len(printed) > 0
    # the store still works after the kills
    after = uc.issue_ticket(store, SystemClock(), unlimited_config(), "A")
    assert after.ticket.number == f"A{len(numbers) + 1:03d}"
    store.close()


def test_numbers_are_never_duplicated_even_by_racing_first_starts(tmp_path: Path) -> None:
    # Several processes open a database that does not exist yet, all at once.
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    workers = [spawn("issue", url, "--count", "10") for _ in range(4)]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    store = Store.open(url)
    assert Tally(check_log_matches_tickets(store)) == Tally(f"A{i:03d}" for i in range(1, 41))
    store.close()
