"""The sync agent against the reference central on 127.0.0.1, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text, update

from centre import phones, syncing
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import Event, EventType, TicketState
from centre.errors import AlreadyCheckedIn, BadInput
from centre.store import schema
from centre.store.unit_of_work import Store
from sync.agent import AgentClient, SyncAgent, run_sync
from sync.backoff import Backoff
from sync.central_sim import CentralSim
from sync.lease import lease_for
from sync.qr import Ed25519QrVerifier
from tests.helpers import MORNING, demo_config

TOKEN = "agent-test-token"  # noqa: S105 (a made-up token for a local test server)
CENTRE = "traffic-dana"
SUNDAY = MORNING.date()
CPR = "990077001"  # invented: month 00 never occurs in a real CPR


def quick_backoff() -> Backoff:
    return Backoff(base=0.01, cap=0.05, random=lambda: 1.0)


MakeAgent = Callable[..., SyncAgent]


@pytest.fixture
def make_agent() -> Iterator[MakeAgent]:
    """Makes agents on ``(store, clock, config, url, **settings)``; closes their clients after."""
    clients: list[AgentClient] = []

    def make(
        store: Store, clock: FixedClock, config: CentreConfig, url: str, **settings: Any
    ) -> SyncAgent:
        token = settings.pop("token", TOKEN)
        # Cycles back to back, so a test never waits out the demo's five seconds.
        central = config.central.model_copy(update={"pull_seconds": 0.05})
        config = config.model_copy(update={"central": central})
        client = AgentClient(url, token, connect_timeout=1.0, read_timeout=3.0, total_timeout=5.0)
        clients.append(client)
        settings.setdefault("backoff", quick_backoff())
        settings.setdefault("retry_backoff", quick_backoff())
        settings.setdefault("lease_poll_seconds", 0.05)
        return SyncAgent(store, clock, config, client, **settings)

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def sim() -> Iterator[CentralSim]:
    central = CentralSim(
        [demo_config()],
        token=TOKEN,
        appointments_per_day=40,
        page_size=15,
        clock=lambda: MORNING,
    )
    central.start()
    yield central
    central.stop()


@pytest.fixture
def agent(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, make_agent: MakeAgent
) -> SyncAgent:
    return make_agent(store, clock, config, sim.url)


def local_event_ids(store: Store) -> list[str]:
    return [e.id for e in uc.events_since(store)]


def central_event_ids(sim: CentralSim) -> list[str]:
    return [e["id"] for e in sim.events(CENTRE)]


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def append_events(store: Store, clock: FixedClock, count: int) -> None:
    events = [Event.new(EventType.COUNTER_OPENED, clock.now(), counter="1") for _ in range(count)]
    with store.write() as repo:
        repo.append(events)


def issue_many(store: Store, clock: FixedClock, config: CentreConfig, count: int) -> None:
    for i in range(count):
        uc.issue_ticket(store, clock, config, ["licence-renewal", "traffic-fines"][i % 2])


def test_a_cycle_pulls_the_day_pushes_the_log_and_puts_a_snapshot(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, agent: SyncAgent
) -> None:
    issue_many(store, clock, config, 7)
    uc.open_counter(store, clock, config, "1")
    report = agent.run_once()
    assert report is not None
    assert report.error is None
    assert report.exit_code == 0
    assert report.pulled == len(sim.appointments(CENTRE, SUNDAY)) == 40
    with store.read() as repo:
        stored = repo.appointments_of_day(SUNDAY)
        state = repo.sync_state()
    assert {a.id for a in stored} == {a.id for a in sim.appointments(CENTRE, SUNDAY)}
    assert all(a.cpr_digest and a.origin == "central" for a in stored)
    assert (state.link, state.cursor_day, state.last_error) == ("online", SUNDAY, None)
    assert central_event_ids(sim) == local_event_ids(store)
    snapshot = sim.queue_snapshots(CENTRE)[-1]
    waiting = {s["service"]: s["waiting"] for s in snapshot["services"]}
    assert (waiting["licence-renewal"], waiting["traffic-fines"]) == (4, 3)
    assert snapshot["counters_open"] == 1
    status = uc.queue_status(store, clock, config).sync
    assert (status.link, status.pending) == ("online", 0)
    assert "pulled 40 appointments" in report.summary()


def test_changes_flow_down_by_cursor_and_a_restart_continues(
    store: Store,
    clock: FixedClock,
    config: CentreConfig,
    sim: CentralSim,
    agent: SyncAgent,
    make_agent: MakeAgent,
) -> None:
    assert agent.cycle().pulled == 40
    added = sim.add_appointment(CENTRE, SUNDAY, service="traffic-fines")
    cancelled = sim.cancel_appointment(CENTRE, sim.appointments(CENTRE, SUNDAY)[0].id)
    # A new agent (a restart) takes the cursor from the store: only the changes come.
    again = make_agent(store, clock, config, sim.url)
    report = again.cycle()
    assert report.pulled == 2
    with store.read() as repo:
        assert repo.appointment(added.id) is not None
        stored = repo.appointment(cancelled.id)
    assert stored is not None
    assert stored.status.value == "cancelled"
    assert again.cycle().pulled == 0


def test_a_new_business_day_starts_a_fresh_pull(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, agent: SyncAgent
) -> None:
    agent.cycle()
    clock.advance(timedelta(days=1))
    monday = SUNDAY + timedelta(days=1)
    report = agent.cycle()
    assert report.pulled == len(sim.appointments(CENTRE, monday)) == 40
    assert syncing.sync_state(store).cursor_day == monday


def test_pushing_under_faults_delivers_every_event_exactly_once(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, make_agent: MakeAgent
) -> None:
    append_events(store, clock, 1200)
    sim.set_faults(
        error_rate=0.25,
        drop_after_store_rate=0.3,
        rate_limited_next=3,
        retry_after_seconds=0,
        delay_seconds=0.01,
    )
    stop = threading.Event()
    agent = make_agent(store, clock, config, sim.url, stop=stop, batch_size=50)
    runner = threading.Thread(target=agent.run)
    runner.start()
    try:
        wait_until(lambda: syncing.pending_events(store) == 0, seconds=30)
    finally:
        stop.set()
        runner.join(10)
    assert not runner.is_alive()
    assert sim.stats["dropped"] > 0
    assert sim.stats["error"] > 0
    assert sim.stats["rate_limited"] == 3
    central = central_event_ids(sim)
    assert central == local_event_ids(store)
    assert len(set(central)) == len(central) == sim.stats["events_stored"]
    # A clean stop says so: nobody syncs now.
    assert syncing.sync_state(store).link == "offline"


def test_a_replay_after_a_crash_counts_duplicates_as_acknowledged(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, agent: SyncAgent
) -> None:
    issue_many(store, clock, config, 30)
    agent.cycle()
    # The central stored them but the acknowledgement was lost (a crash).
    with store.write() as repo:
        repo.connection.execute(update(schema.sync_state).values(acked_seq=0))
    report = agent.cycle()
    assert (report.pushed, report.duplicates, report.pending) == (0, 30, 0)
    assert central_event_ids(sim) == local_event_ids(store)


def test_refused_credentials_stop_the_agent(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, make_agent: MakeAgent
) -> None:
    issue_many(store, clock, config, 3)
    agent = make_agent(store, clock, config, sim.url, token="not-the-token")  # noqa: S106
    report = agent.run_once()
    assert report is not None
    assert report.exit_code == 5
    assert syncing.sync_state(store).link == "auth_failed"
    assert make_agent(store, clock, config, sim.url, token="wrong").run() == 5  # noqa: S106
    assert syncing.pending_events(store) == 3
    assert uc.queue_status(store, clock, config).sync.link == "auth_failed"


def test_a_central_that_is_down_leaves_the_work_queued_until_it_is_back(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, make_agent: MakeAgent
) -> None:
    issue_many(store, clock, config, 5)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    report = make_agent(store, clock, config, dead_url).run_once()
    assert report is not None
    assert (report.exit_code, report.pending) == (4, 5)
    state = syncing.sync_state(store)
    assert state.link == "offline"
    assert state.last_error is not None
    assert "cannot reach" in state.last_error
    # Nothing in the centre waited: tickets are still issued.
    uc.issue_ticket(store, clock, config, "licence-renewal")
    report = make_agent(store, clock, config, sim.url).run_once()
    assert report is not None
    assert (report.exit_code, report.pending) == (0, 0)
    assert central_event_ids(sim) == local_event_ids(store)


def test_events_the_central_refuses_are_set_aside_and_the_rest_delivered(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, agent: SyncAgent
) -> None:
    issue_many(store, clock, config, 4)
    bad = Event.new(EventType.PRINT_FAILED, clock.now(), data={f"k{i}": i for i in range(150)})
    with store.write() as repo:
        [bad] = repo.append([bad])
    issue_many(store, clock, config, 4)
    report = agent.cycle()
    assert (report.set_aside, report.pending, report.error) == (1, 0, None)
    refused = syncing.rejected_events(store)
    assert [(r.event_id, r.seq) for r in refused] == [(bad.id, bad.seq)]
    assert "too many keys" in refused[0].reason
    assert central_event_ids(sim) == [i for i in local_event_ids(store) if i != bad.id]
    # Never sent again.
    issue_many(store, clock, config, 1)
    assert agent.cycle().set_aside == 0
    assert bad.id not in central_event_ids(sim)


def test_a_seq_the_central_has_under_another_id_is_set_aside(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, agent: SyncAgent
) -> None:
    issue_many(store, clock, config, 3)
    [first] = uc.events_since(store, 0, 1)
    impostor = {
        "id": "0b9a6a5e-3c0f-4b55-8e55-6a1d5c1a9c11",
        "seq": first.seq,
        "type": "ticket_issued",
        "at": "2026-11-22T08:00:00+03:00",
        "ticket": None,
        "appointment_id": None,
        "counter": None,
        "data": {},
    }
    with AgentClient(sim.url, TOKEN) as client:
        client.push_events(CENTRE, [impostor])
    report = agent.cycle()
    assert (report.set_aside, report.pushed, report.pending) == (1, 2, 0)
    assert syncing.rejected_events(store)[0].event_id == first.id


def test_a_booking_cancelled_after_check_in_tells_the_supervisor(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, agent: SyncAgent
) -> None:
    booked = sim.add_appointment(
        CENTRE, SUNDAY, service="licence-renewal", slot=clock_time(9, 0), cpr=CPR
    )
    agent.cycle()
    view = uc.check_in_by_cpr(store, clock, config, CPR)
    assert view.ticket.appointment_id == booked.id
    sim.cancel_appointment(CENTRE, booked.id)
    report = agent.cycle()
    assert report.error is None
    told = [
        e for e in uc.events_since(store) if e.type is EventType.BOOKING_CANCELLED_AFTER_CHECK_IN
    ]
    assert len(told) == 1
    assert (told[0].ticket_id, told[0].appointment_id) == (view.ticket.id, booked.id)
    assert told[0].data["reference"] == booked.reference
    with store.read() as repo:
        ticket = repo.ticket(view.ticket.id)
    assert ticket is not None
    assert ticket.state is TicketState.WAITING  # the ticket stays: the supervisor decides
    assert told[0].id in central_event_ids(sim)
    agent.cycle()  # told once
    assert len([e for e in uc.events_since(store) if e.type is told[0].type]) == 1


def test_a_booking_checked_in_by_its_signed_qr_takes_the_centrals_copy(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, agent: SyncAgent
) -> None:
    agent.cycle()
    # Booked after the last pull, and the link is down: only the QR knows it.
    booked = sim.add_appointment(
        CENTRE, SUNDAY, service="traffic-fines", slot=clock_time(9, 10), cpr=CPR
    )
    verifier = Ed25519QrVerifier(sim.public_key_b64)
    view = uc.check_in_by_qr(store, clock, config, sim.booking_qr(CENTRE, booked.id), verifier)
    assert view.ticket.appointment_id == f"qr:{booked.reference}"

    report = agent.cycle()
    assert report.error is None
    with store.read() as repo:
        assert repo.appointment(f"qr:{booked.reference}") is None
        adopted = repo.appointment(booked.id)
        ticket = repo.ticket(view.ticket.id)
    assert adopted is not None
    assert (adopted.reference, adopted.origin) == (booked.reference, "central")
    assert adopted.cpr_digest is not None  # the central's copy, with its CPR digest
    assert ticket is not None
    assert ticket.appointment_id == booked.id  # the check-in is kept
    reconciled = [e for e in uc.events_since(store) if e.type is EventType.APPOINTMENT_RECONCILED]
    assert [(e.appointment_id, e.data["was"]) for e in reconciled] == [
        (booked.id, f"qr:{booked.reference}")
    ]
    # The same visitor typing the CPR now is told they are checked in.
    with pytest.raises(AlreadyCheckedIn):
        uc.check_in_by_cpr(store, clock, config, CPR)
    sim.cancel_appointment(CENTRE, booked.id)
    agent.cycle()
    assert any(e.type is EventType.BOOKING_CANCELLED_AFTER_CHECK_IN for e in uc.events_since(store))


def test_an_older_copy_never_overwrites_a_newer_one(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, agent: SyncAgent
) -> None:
    agent.cycle()
    first = sim.appointments(CENTRE, SUNDAY)[0]
    with store.read() as repo:
        stored = repo.appointment(first.id)
    assert stored is not None
    newer = stored.updated_at + timedelta(hours=1)  # type: ignore[operator]
    with store.write() as repo:
        repo.connection.execute(
            update(schema.appointments)
            .where(schema.appointments.c.id == first.id)
            .values(updated_at=newer, status="cancelled")
        )
    # The whole day again (a new day's cursor): the older copy is skipped.
    with store.write() as repo:
        repo.update_sync_state(cursor=None, cursor_day=None)
    agent.cycle()
    with store.read() as repo:
        kept = repo.appointment(first.id)
    assert kept is not None
    assert kept.status.value == "cancelled"


def test_only_one_agent_works_at_a_time(
    db_url: str, clock: FixedClock, config: CentreConfig, sim: CentralSim, make_agent: MakeAgent
) -> None:
    first_store, second_store = Store.open(db_url), Store.open(db_url)
    try:
        issue_many(first_store, clock, config, 5)
        stop_first, stop_second = threading.Event(), threading.Event()
        first = make_agent(first_store, clock, config, sim.url, stop=stop_first)
        second = make_agent(second_store, clock, config, sim.url, stop=stop_second)
        runner = threading.Thread(target=first.run)
        runner.start()
        wait_until(lambda: syncing.pending_events(first_store) == 0)
        assert second.run_once() is None  # another agent holds the lease: nothing done
        requests_before = sim.stats["requests"]
        waiting = threading.Thread(target=second.run)
        waiting.start()
        time.sleep(0.3)
        assert second.lease.held() is False
        stop_first.set()
        runner.join(10)
        # The first let go: the second takes over.
        wait_until(second.lease.held)
        issue_many(first_store, clock, config, 2)
        wait_until(lambda: syncing.pending_events(first_store) == 0)
        assert sim.stats["requests"] > requests_before
        stop_second.set()
        waiting.join(10)
        assert not waiting.is_alive()
        assert central_event_ids(sim) == local_event_ids(first_store)
    finally:
        first_store.close()
        second_store.close()


def test_a_lease_is_released_and_taken_again(store: Store) -> None:
    one, two = lease_for(store), lease_for(store)
    assert one.try_acquire()
    assert one.held()
    assert not two.try_acquire()
    one.release()
    assert not one.held()
    assert two.try_acquire()
    two.release()


def test_the_command_reads_the_token_file_and_reports_in_one_line(
    store: Store,
    clock: FixedClock,
    config: CentreConfig,
    sim: CentralSim,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TABOOR_CENTRAL_TOKEN", raising=False)
    central = config.central.model_copy(update={"url": sim.url})
    config = config.model_copy(update={"central": central})
    out = io.StringIO()
    missing = tmp_path / "no-such-token.txt"
    assert run_sync(store, clock, config, token_file=missing, once=True, out=out) == 5
    state = syncing.sync_state(store)
    assert state.link == "auth_failed"
    assert state.last_error is not None
    assert "no-such-token.txt" in state.last_error
    token_file = tmp_path / "token.txt"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    assert run_sync(store, clock, config, token_file=token_file, once=True, out=out) == 0
    assert out.getvalue() == "pulled 40 appointments, pushed 0 events, 0 pending\n"
    assert syncing.sync_state(store).link == "online"
    no_url = config.model_copy(update={"central": central.model_copy(update={"url": None})})
    with pytest.raises(BadInput, match="sync is off"):
        run_sync(store, clock, no_url, token_file=token_file, once=True, out=out)


@pytest.mark.postgres
def test_a_lease_whose_connection_dies_is_lost_then_taken_again(pg_url: str) -> None:
    store = Store.open(pg_url)
    try:
        lease = lease_for(store)
        assert lease.try_acquire()
        with store.engine.connect() as admin:
            schema_name = admin.execute(text("SELECT current_schema()")).scalar_one()
            ended = admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND classid = CAST(:high AS oid) AND objid = CAST(:low AS oid)"
                ),
                {"high": 0x7AB0_0002, "low": zlib.crc32(schema_name.encode())},
            ).all()
            admin.commit()
        assert ended == [(True,)]
        wait_until(lambda: not lease.held())
        assert lease.try_acquire()
        lease.release()
    finally:
        store.close()


def test_more_time_and_leaving_from_a_phone_reach_the_central(
    store: Store, clock: FixedClock, config: CentreConfig, sim: CentralSim, agent: SyncAgent
) -> None:
    first, second, third = (
        uc.issue_ticket(store, clock, config, "licence-renewal").ticket for _ in range(3)
    )
    clock.advance(timedelta(seconds=1))
    phones.ask_more_time(store, clock, config, first.id)
    phones.leave_queue(store, clock, config, third.id)
    report = agent.run_once()
    assert report is not None
    assert report.exit_code == 0
    pushed = {e["type"]: e for e in sim.events(CENTRE)}
    assert pushed["more_time"]["ticket"]["id"] == first.id
    assert pushed["more_time"]["data"]["deferrals"] == 1
    assert pushed["cancelled"]["ticket"]["id"] == third.id
    assert pushed["cancelled"]["data"] == {"reason": "left", "by": "visitor"}
    moved = {e["ticket"]["id"] for e in sim.events(CENTRE) if e["type"] != "ticket_issued"}
    assert second.id not in moved
