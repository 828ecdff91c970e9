"""Webhooks delivered to real HTTP receivers on loopback, from real stores, by real threads."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from centre import usecases as uc
from centre.clock import FixedClock, SystemClock
from centre.config import CentreConfig
from centre.devices import add_device
from centre.offline import check_in_unverified
from centre.retry import RetrySchedule
from centre.rules.cpr import cpr_digest
from centre.staff import add_staff, sign_in
from centre.store.unit_of_work import Store
from centre.supervision import record_feedback
from centre.webhooks import add_webhook, remove_webhook, webhook_list
from server import webhooks as server_webhooks
from server.webhooks import WebhookDispatcher
from tests.helpers import MORNING, WebhookReceiver, make_appointment

ROOT = Path(__file__).resolve().parents[2]
SECRET = "3f9a1c6e8b2d4f70a5c1e9b3d7f2a6c4"  # noqa: S105 - a test's invented secret


def verifier() -> Callable[[str, str, bytes], bool]:
    """The README's ``verify_taboor_signature``, run as an integrator would copy it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [code] = re.findall(r"```python\n(.*?def verify_taboor_signature.*?)```", readme, re.S)
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - the README's own snippet, tested as written
    verify: Callable[[str, str, bytes], bool] = namespace["verify_taboor_signature"]
    return verify


@contextmanager
def dispatching(
    store: Store, config: CentreConfig, *, stop_within: float = 10.0, **options: Any
) -> Iterator[WebhookDispatcher]:
    """A started dispatcher on the real clock (signatures get today's time), stopped after.

    Stopping must end every thread it started within ``stop_within`` seconds.
    """
    settings: dict[str, Any] = {
        "poll_seconds": 0.1,
        "backoff": RetrySchedule(0.05, 0.2, jitter=True),
    }
    dispatcher = WebhookDispatcher(store, SystemClock(), config, **{**settings, **options})
    dispatcher.start()
    try:
        yield dispatcher
    finally:
        dispatcher.stop(stop_within)
    assert not dispatcher.running
    assert [t.name for t in threading.enumerate() if t.name.startswith("webhook")] == []


def issue(store: Store, clock: FixedClock, config: CentreConfig, count: int) -> list[str]:
    """Issue walk-in tickets; the ids of their ``ticket_issued`` events."""
    head = uc.last_seq(store)
    for _ in range(count):
        uc.issue_ticket(store, clock, config, "licence-renewal")
    return [e.id for e in uc.events_since(store, head) if e.type.value == "ticket_issued"]


def closed_port() -> int:
    """A loopback port where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_signed_events_reach_each_receiver_in_seq_order(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    verify = verifier()
    with WebhookReceiver() as everything, WebhookReceiver() as calls:
        every = add_webhook(store, clock, everything.url + "/in", ["*"], SECRET)
        add_webhook(store, clock, calls.url + "/calls", ["called", "recalled"], SECRET)
        with dispatching(store, config) as dispatcher:
            issue(store, clock, config, 3)
            uc.call_next(store, clock, config, "1")
            uc.recall(store, clock, config, "1")
            uc.start_serving(store, clock, config, "1")
            uc.call_next(store, clock, config, "2")
            dispatcher.wake()
            expected = uc.events_since(store, every.delivered_seq)
            everything.wait_until(lambda: len(everything.accepted()) == len(expected))
            calls.wait_until(lambda: len(calls.accepted()) == 3)

        assert [e["id"] for e in everything.accepted()] == [e.id for e in expected]
        assert everything.accepted()[0]["type"] == "webhook_added"
        assert [e["type"] for e in calls.accepted()] == ["called", "recalled", "called"]
        for receiver in (everything, calls):
            seqs = [d.event["seq"] for d in receiver.requests]
            assert seqs == sorted(set(seqs))
            for delivery in receiver.requests:
                headers, body = delivery.headers, delivery.body
                assert verify(SECRET, headers["taboor-signature"], body)
                assert not verify(
                    "another-secret-of-32-characters!", headers["taboor-signature"], body
                )
                assert not verify(SECRET, headers["taboor-signature"], body + b" ")
                assert headers["taboor-event-id"] == delivery.event["id"]
                assert headers["taboor-event-type"] == delivery.event["type"]
                assert headers["content-type"] == "application/json"
                assert headers["user-agent"] == f"Taboor-Webhooks/1 (centre {config.centre.id})"
    assert {w.backlog for w in webhook_list(store)} == {0}


def test_a_dead_endpoint_does_not_delay_a_healthy_one(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    with (
        WebhookReceiver() as healthy,
        WebhookReceiver("stall") as stalled,
        WebhookReceiver("fail") as failing,
        WebhookReceiver("close") as closing,
    ):
        kinds = ["ticket_issued"]
        ids = {
            name: add_webhook(store, clock, url, kinds, SECRET).id
            for name, url in (
                ("healthy", healthy.url),
                ("stalled", stalled.url),
                ("failing", failing.url),
                ("closing", closing.url),
                ("refused", f"http://127.0.0.1:{closed_port()}/"),
            )
        }
        # A time-out longer than the test: the stalled endpoint's worker stays in its request.
        with dispatching(store, config, timeout=120.0) as dispatcher:
            expected = issue(store, clock, config, 20)
            dispatcher.wake()
            healthy.wait_until(lambda: [e["id"] for e in healthy.accepted()] == expected)
            healthy.wait_until(lambda: stalled.arrived == 1)
            dead = [ids["failing"], ids["closing"], ids["refused"]]
            healthy.wait_until(lambda: all(failures(store, i) >= 2 for i in dead))
            healthy.wait_until(lambda: backlog(store, ids["healthy"]) == 0)

            # Every dead one is still on the first event, retrying it, never a later one.
            for receiver in (failing, closing):
                assert {d.event["id"] for d in receiver.requests} == {expected[0]}
                assert len(receiver.requests) >= 2
            assert stalled.requests == []
            last_errors = {name: last_error(store, ids[name]) for name in ids}
            assert last_errors["failing"] == "HTTP 500 Internal Server Error"
            assert last_errors["closing"].startswith("RemoteProtocolError")
            assert last_errors["refused"].startswith("ConnectError")
            for name in ("stalled", "failing", "closing", "refused"):
                assert backlog(store, ids[name]) == 20
            stalled.release.set()


def failures(store: Store, webhook_id: int) -> int:
    return {w.id: w.failures for w in webhook_list(store)}[webhook_id]


def backlog(store: Store, webhook_id: int) -> int:
    return {w.id: w.backlog for w in webhook_list(store)}[webhook_id]


def last_error(store: Store, webhook_id: int) -> str:
    return {w.id: w.last_error or "" for w in webhook_list(store)}[webhook_id]


def test_endpoints_added_and_removed_while_running_are_picked_up(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    # A poll far longer than the test: only the webhook_added/removed events can tell it.
    with (
        WebhookReceiver() as first,
        WebhookReceiver() as second,
        dispatching(store, config, poll_seconds=600.0) as dispatcher,
    ):
        one = add_webhook(store, clock, first.url, ["ticket_issued"], SECRET)
        dispatcher.wake()
        before = issue(store, clock, config, 2)
        dispatcher.wake()
        first.wait_until(lambda: len(first.accepted()) == 2)
        assert dispatcher.endpoints() == [one.id]

        two = add_webhook(store, clock, second.url, ["ticket_issued"], SECRET)
        dispatcher.wake()
        first.wait_until(lambda: dispatcher.endpoints() == [one.id, two.id])
        remove_webhook(store, clock, one.id)
        dispatcher.wake()
        first.wait_until(lambda: dispatcher.endpoints() == [two.id])
        after = issue(store, clock, config, 2)
        dispatcher.wake()
        second.wait_until(lambda: len(second.accepted()) == 2)

    assert [e["id"] for e in first.accepted()] == before
    assert [e["id"] for e in second.accepted()] == after


def test_without_endpoints_the_events_heard_cost_no_read_until_one_is_added(
    store: Store, clock: FixedClock, config: CentreConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    read_changes = server_webhooks.webhook_changes_after

    def counted(store: Store, seq: int) -> tuple[int, bool]:
        reads.append(seq)
        return read_changes(store, seq)

    monkeypatch.setattr(server_webhooks, "webhook_changes_after", counted)
    # A poll far longer than the test: only the events it is woken with can tell it.
    with (
        WebhookReceiver() as receiver,
        dispatching(store, config, poll_seconds=600.0) as dispatcher,
    ):
        receiver.wait_until(lambda: len(reads) == 1)  # its first look at the endpoints
        head = uc.last_seq(store)
        issue(store, clock, config, 3)
        for event in uc.events_since(store, head):  # as the server's hub hands them over
            dispatcher.wake([event])
        time.sleep(0.2)  # room to read, were it to
        assert len(reads) == 1
        head = uc.last_seq(store)
        added = add_webhook(store, clock, receiver.url, ["ticket_issued"], SECRET)
        dispatcher.wake(uc.events_since(store, head))
        receiver.wait_until(lambda: dispatcher.endpoints() == [added.id])
        assert len(reads) == 2


def test_at_least_once_across_a_stop_and_a_new_start(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    with WebhookReceiver(stall_after=10, after_stall=500) as receiver:
        webhook = add_webhook(store, clock, receiver.url, ["ticket_issued"], SECRET)
        expected = issue(store, clock, config, 30)
        # A back-off of ten minutes: the failed event waits it out until stopped.
        slow = {"backoff": RetrySchedule(600.0, 600.0, jitter=True, random=lambda: 1.0)}
        with dispatching(store, config, timeout=60.0, stop_within=10.0, **slow):
            receiver.wait_until(lambda: receiver.arrived == 11)
            receiver.release.set()  # the eleventh is answered 500
            receiver.wait_until(lambda: failures(store, webhook.id) == 1)
        [stopped] = webhook_list(store)
        assert stopped.backlog == 20
        assert [e["id"] for e in receiver.accepted()] == expected[:10]

        receiver.stall_after = None
        with dispatching(store, config):
            receiver.wait_until(lambda: len(receiver.accepted()) == 30)

    assert [e["id"] for e in receiver.accepted()] == expected
    assert [d.event["id"] for d in receiver.requests].count(expected[10]) == 2
    [done] = webhook_list(store)
    assert (done.backlog, done.failures) == (0, 0)


def test_a_killed_dispatcher_sends_again_what_was_not_acknowledged(
    db_url: str, store: Store, clock: FixedClock, config: CentreConfig, tmp_path: Path
) -> None:
    with WebhookReceiver(stall_after=40, delay=0.02) as receiver:
        add_webhook(store, clock, receiver.url, ["ticket_issued", "called"], SECRET)
        expected = issue(store, clock, config, 60)
        with dispatcher_process(db_url, tmp_path / "first.log") as first:
            receiver.wait_until(lambda: receiver.arrived == 41)
            first.send_signal(signal.SIGKILL)
            assert first.wait(timeout=10) == -signal.SIGKILL
        [killed] = webhook_list(store)
        # The receiver takes the forty-first after all; the killed sender never hears so.
        receiver.stall_after = None
        receiver.release.set()
        receiver.wait_until(lambda: len(receiver.requests) == 41)
        split = len(receiver.requests)

        with dispatcher_process(db_url, tmp_path / "second.log") as second:
            receiver.wait_until(lambda: {e["id"] for e in receiver.accepted()} == set(expected))
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=30) == 0

    seq_of = {e.id: e.seq or 0 for e in uc.events_since(store)}
    sent = [d.event["id"] for d in receiver.requests]
    before, after = sent[:split], sent[split:]
    assert before == expected[:41]
    # The restart goes on right after what the store had recorded, in order, missing none.
    assert after == [i for i in expected if seq_of[i] > killed.delivered_seq]
    assert expected[40] in after  # sent again: its answer never reached the killed sender
    assert list(dict.fromkeys(before + after)) == expected
    [done] = webhook_list(store)
    assert done.backlog == 0
    assert done.delivered_seq >= seq_of[expected[-1]]


@contextmanager
def dispatcher_process(db_url: str, log: Path) -> Iterator[subprocess.Popen[str]]:
    """``python -m tests.workers webhooks``: a dispatcher in a process of its own, once ready."""
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.workers", "webhooks", db_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert process.stdout is not None
        with process, process.stdout:
            try:
                if process.stdout.readline().strip() != "ready":
                    process.wait(timeout=10)
                    pytest.fail(f"the dispatcher did not start: {log.read_text()[-2000:]}")
                yield process
            finally:
                process.kill()


def test_nothing_sent_over_a_day_carries_a_cpr_a_pin_a_token_or_a_secret(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    cprs = ["850312345", "920798761", "010155512"]
    pin = "73914628"
    with WebhookReceiver() as receiver:
        every = add_webhook(store, clock, receiver.url + "/hook?token=qs-token-x1", ["*"], SECRET)
        add_staff(store, clock, "c101", name_ar="فاطمة علي", name_en="Fatima Ali", pin=pin)
        enrolled = add_device(store, clock, config, "kiosk-1", "kiosk")
        sign_in(store, clock, config, "1", "c101", pin)
        bookings = [
            make_appointment(store, cpr=cpr, service="licence-renewal", slot=MORNING)
            for cpr in cprs[:2]
        ]
        uc.store_appointments(store, bookings)
        uc.check_in_by_cpr(store, clock, config, cprs[0])
        uc.check_in_by_cpr(store, clock, config, "٩٢٠٧٩٨٧٦١")  # the second, in Arabic-Indic digits
        check_in_unverified(store, clock, config, cprs[2], "licence-renewal")
        for _ in range(3):
            uc.issue_ticket(store, clock, config, "licence-renewal", priority="elderly")
        served = uc.call_next(store, clock, config, "1")
        assert served is not None
        uc.start_serving(store, clock, config, "1")
        uc.finish(store, clock, config, "1")
        record_feedback(store, clock, config, served.ticket.id, 5)
        uc.call_next(store, clock, config, "1")
        uc.no_show(store, clock, config, "1")
        expected = len(uc.events_since(store, every.delivered_seq))
        with dispatching(store, config) as dispatcher:
            dispatcher.wake()
            receiver.wait_until(lambda: len(receiver.accepted()) == expected)

    secrets = [
        *cprs,
        *(cpr_digest(cpr, store.cpr_key()) for cpr in cprs),
        "٩٢٠٧٩٨٧٦١",
        pin,
        SECRET,
        "qs-token-x1",
        enrolled.token or "",
        "Maryam Ahmed",
        "مريم أحمد",
    ]
    with store.read() as repo:
        row = repo.staff_member("c101")
        assert row is not None
        secrets.append(row.pin_hash)
    kinds = {d.event["type"] for d in receiver.requests}
    assert {"checked_in", "staff_signed_in", "device_added", "feedback", "no_show"} <= kinds
    for delivery in receiver.requests:
        sent = delivery.body.decode() + "\n" + "\n".join(delivery.headers.values())
        for secret in secrets:
            assert secret
            assert secret not in sent
