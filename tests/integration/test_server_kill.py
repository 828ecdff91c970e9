"""The centre server killed under load: its devices carry on through a restart, and nothing is lost.

``taboor serve`` runs as a process while 10 kiosks issue and check in, 20
counters call, recall, start and finish, and 2 halls follow the event stream,
each with its own token and HTTP adapter, a few devices to a worker process
(:mod:`tests.server_workers`). The server is killed with SIGKILL mid-run and
started again on the same port; the devices see it away, wait and carry on.
Then, on SQLite and on PostgreSQL: no number is given twice, the log's seq has
no gap, every ticket a kiosk was told it has is in the store with that
number, no ticket is called twice, and each hall was handed every call and
recall of the log exactly once, in order. Nothing is timed: the pauses only
let work pile up around the kill.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter as Tally
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from centre import devices, staff
from centre import usecases as uc
from centre.clock import SystemClock
from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.domain import EventType
from centre.store.unit_of_work import Store
from tests.helpers import make_appointment
from tests.live_server import PIN, free_socket, serve_process

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

KIOSKS, COUNTERS, HALLS = 10, 20, 2
BOOKINGS_PER_KIOSK = 6
#: Tickets the kiosks are told of before the kill, and again after the restart.
WORK_BEFORE, WORK_AFTER = 40, 40
CALLS = (EventType.CALLED, EventType.RECALLED)


def centre_file(folder: Path) -> Path:
    """The demo centre with 20 counters (the added ones call every walk-in service) and no
    daily quotas."""
    text = re.sub(r"(?m)^daily_quota = \d+\n", "", DEFAULT_CONFIG.read_text(encoding="utf-8"))
    services = '["licence-renewal", "licence-lost", "vehicle-registration", "traffic-fines"]'
    for counter in range(9, COUNTERS + 1):
        text += f'\n[[counters]]\nid = "{counter}"\nservices = {services}\n'
    path = folder / "centre.toml"
    path.write_text(text, encoding="utf-8")
    return path


def enrol(
    store: Store, config: CentreConfig, role: str, name: str, counter: str | None = None
) -> str:
    made = devices.add_device(store, SystemClock(), config, name, role, counter)
    assert made.token is not None
    return made.token


def book(store: Store, count: int) -> list[str]:
    """``count`` invented bookings due in a few minutes; their CPRs."""
    soon = SystemClock().now() + timedelta(minutes=5)
    services = ["licence-renewal", "licence-lost", "vehicle-registration", "traffic-fines"]
    cprs = [f"99{n:07d}" for n in range(1, count + 1)]
    uc.store_appointments(
        store,
        [
            make_appointment(store, cpr=cpr, service=services[n % len(services)], slot=soon)
            for n, cpr in enumerate(cprs)
        ],
    )
    return cprs


@dataclass
class Device:
    """One device of a worker process, and the file of what it was told."""

    told: Path
    spec: dict[str, Any]

    def lines(self) -> list[dict[str, Any]]:
        if not self.told.exists():
            return []
        text = self.told.read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line.endswith("}")]


@dataclass
class Worker:
    """A worker process running several devices of one role, a thread each."""

    process: subprocess.Popen[str]
    devices: list[Device]

    def ready(self) -> None:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line == "ready", f"a device did not start: {line!r} {self.finish()}"

    def finish(self) -> list[dict[str, Any]]:
        """Each device's summary, once they have stopped."""
        out, err = self.process.communicate(timeout=120)
        assert self.process.returncode == 0, err[-3000:]
        summaries: list[dict[str, Any]] = json.loads(out.strip().splitlines()[-1])
        return summaries


def spawn(folder: Path, role: str, url: str, stop: Path, devices: list[Device]) -> Worker:
    """A worker process for ``devices`` (their specs hold their tokens: a file, not argv)."""
    spec = folder / f"{devices[0].told.stem}.spec.json"
    spec.write_text(
        json.dumps(
            {"role": role, "url": url, "stop": str(stop), "devices": [d.spec for d in devices]}
        ),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.server_workers", str(spec)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    return Worker(process, devices)


def device(folder: Path, name: str, token: str, **spec: Any) -> Device:
    told = folder / f"{name}.jsonl"
    return Device(told, {"token": token, "told": str(told), **spec})


def in_workers(devices: list[Device], per_worker: int) -> list[list[Device]]:
    return [devices[i : i + per_worker] for i in range(0, len(devices), per_worker)]


def wait_for(what: str, condition: Callable[[], bool], timeout: float = 120) -> None:
    """Until ``condition`` holds (progress, not time: the deadline only stops a hang)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.05)


@pytest.fixture
def workers_cleanup() -> Iterator[list[Worker]]:
    made: list[Worker] = []
    yield made
    for worker in made:
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.communicate(timeout=30)


def test_the_server_killed_under_load_loses_nothing(
    db_url: str, tmp_path: Path, workers_cleanup: list[Worker]
) -> None:
    centre = centre_file(tmp_path)
    config = load_config(centre, environ={})
    store = Store.open(db_url)
    kiosk_tokens = [enrol(store, config, "kiosk", f"kiosk-{n}") for n in range(KIOSKS)]
    counter_ids = [str(n) for n in range(1, COUNTERS + 1)]
    counter_tokens = [enrol(store, config, "counter", f"desk-{c}", c) for c in counter_ids]
    hall_tokens = [enrol(store, config, "hall", f"hall-{n}") for n in range(HALLS)]
    for counter in counter_ids:
        staff.add_staff(
            store, SystemClock(), f"c{counter}", name_ar="موظف", name_en="Clerk", pin=PIN
        )
    cprs = book(store, KIOSKS * BOOKINGS_PER_KIOSK)
    with free_socket() as probe:
        port = int(probe.getsockname()[1])
    stop, halls_stop = tmp_path / "stop", tmp_path / "halls-stop"

    with ExitStack() as running:
        first, url = running.enter_context(
            serve_process(db_url, tmp_path, port=port, config=centre)
        )
        for counter, token in zip(counter_ids, counter_tokens, strict=True):
            answer = httpx.post(
                f"{url}/api/v1/counters/{counter}/sign-in",
                json={"staff": f"c{counter}", "pin": PIN},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            assert answer.status_code == 200, answer.text
        after = uc.last_seq(store)

        halls = [
            device(tmp_path, f"hall-{n}", token, after=after) for n, token in enumerate(hall_tokens)
        ]
        kiosks = [
            device(tmp_path, f"kiosk-{n}", token, cprs=cprs[n::KIOSKS])
            for n, token in enumerate(kiosk_tokens)
        ]
        counters = [
            device(tmp_path, f"desk-{c}", token, counter=c)
            for c, token in zip(counter_ids, counter_tokens, strict=True)
        ]
        hall_workers = [spawn(tmp_path, "hall", url, halls_stop, halls)]
        workers = [
            *(spawn(tmp_path, "kiosk", url, stop, group) for group in in_workers(kiosks, 5)),
            *(spawn(tmp_path, "counter", url, stop, group) for group in in_workers(counters, 10)),
        ]
        workers_cleanup.extend(hall_workers + workers)
        for worker in hall_workers + workers:
            worker.ready()

        def told() -> int:
            return sum(len(k.lines()) for k in kiosks)

        def called() -> int:
            return sum(len(c.lines()) for c in counters)

        wait_for("tickets issued and called", lambda: told() >= WORK_BEFORE and called() >= 10)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        before_restart = told()
        time.sleep(1.0)  # the devices find the server away meanwhile
        running.enter_context(serve_process(db_url, tmp_path, port=port, config=centre))
        wait_for("work after the restart", lambda: told() >= before_restart + WORK_AFTER)
        called_before_stop = called()
        wait_for("calls after the restart", lambda: called() > called_before_stop)

        stop.touch()
        summaries = [summary for worker in workers for summary in worker.finish()]
        final = uc.last_seq(store)
        (tmp_path / "halls-stop.part").write_text(str(final))
        (tmp_path / "halls-stop.part").replace(halls_stop)
        hall_summaries = [summary for worker in hall_workers for summary in worker.finish()]

    with store.read() as repo:
        log = repo.events_since(0)
        rows = repo.connection.exec_driver_sql("SELECT id, number, business_day FROM tickets").all()
    store.close()

    # The kill landed mid-work: devices found the server away, and every hall reconnected.
    assert sum(s["away"] for s in summaries) > 0
    assert all(s["away"] > 0 for s in hall_summaries)
    # No lost event, no gap; every ticket has the one event that issued it, and only one.
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    made = Tally(
        e.ticket_id for e in log if e.type in (EventType.TICKET_ISSUED, EventType.CHECKED_IN)
    )
    assert made == Tally(row.id for row in rows)
    # No number given twice on a day.
    numbers = Tally((row.business_day, row.number) for row in rows)
    assert max(numbers.values()) == 1
    # Every ticket a kiosk was told it has is in the store, with that number, told once.
    number_of = {row.id: row.number for row in rows}
    told_tickets = [line for kiosk in kiosks for line in kiosk.lines()]
    assert len(told_tickets) >= WORK_BEFORE + WORK_AFTER
    assert {line["source"] for line in told_tickets} == {"walk_in", "appointment"}
    for line in told_tickets:
        assert number_of.get(line["id"]) == line["number"], line
    assert max(Tally(line["id"] for line in told_tickets).values()) == 1
    # No ticket called twice; every call a counter was told of is in the log.
    calls = Tally(e.ticket_id for e in log if e.type is EventType.CALLED)
    assert max(calls.values()) == 1
    for counter in counters:
        for line in counter.lines():
            assert calls[line["id"]] == 1, line
    # Each hall was handed every call and recall exactly once, in order.
    expected = [
        {"seq": e.seq, "type": e.type.value, "ticket": e.ticket_id}
        for e in log
        if (e.seq or 0) > after and e.type in CALLS
    ]
    assert len(expected) > 10
    call_types = {t.value for t in CALLS}
    for hall in halls:
        seen = hall.lines()
        seqs = [line["seq"] for line in seen]
        assert seqs == list(range(after + 1, final + 1)), "an event missed, repeated or late"
        assert [line for line in seen if line["type"] in call_types] == expected
