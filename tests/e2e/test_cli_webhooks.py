"""``taboor webhook add|list|remove`` as an administrator types them, and what they start."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from centre.clock import SystemClock
from centre.store.unit_of_work import Store
from server.webhooks import WebhookDispatcher
from tests.e2e.conftest import Taboor
from tests.helpers import WebhookReceiver, demo_config

SECRET = "9c2e7a41f0b85d36e1a4c7f9b2d05e83"  # noqa: S105 - a test's invented secret


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "hook.secret"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def test_add_list_and_remove(taboor: Taboor, secret_file: Path) -> None:
    code, out, err = taboor(
        "webhook", "add", "https://crm.example.com/taboor", "--events", "called,served",
        "--secret-file", str(secret_file),
    )  # fmt: skip
    assert (code, out, err) == (0, "1\n", "")
    code, out, _ = taboor(
        "webhook", "add", "http://10.1.2.3:8000/in", "--events", "*",
        "--secret-file", str(secret_file), "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == {"id": 2, "url": "http://10.1.2.3:8000/in", "events": ["*"]}
    assert taboor("issue", "A")[0] == 0
    assert taboor("call", "1")[0] == 0

    code, out, _ = taboor("webhook", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines == [
        "1    https://crm.example.com/taboor  events=called,served  backlog=1  failures=0",
        "2    http://10.1.2.3:8000/in  events=*  backlog=4  failures=0",
    ]
    code, out, _ = taboor("webhook", "list", "--json")
    listed = json.loads(out)
    assert [(w["id"], w["events"], w["backlog"], w["failures"]) for w in listed] == [
        (1, ["called", "served"], 1, 0),
        (2, ["*"], 4, 0),
    ]
    assert set(listed[0]) == {
        "id", "url", "events", "created_at", "delivered_seq", "backlog", "failures",
        "last_ok", "last_error", "last_error_at",
    }  # fmt: skip
    assert SECRET not in out

    code, out, err = taboor("webhook", "remove", "1")
    assert (code, out, err) == (0, "removed webhook 1 (https://crm.example.com)\n", "")
    code, out, _ = taboor("webhook", "list", "--json")
    assert [w["id"] for w in json.loads(out)] == [2]
    code, out, _ = taboor("events", "--json")
    changes = [e for e in json.loads(out) if e["type"].startswith("webhook_")]
    assert [(e["type"], e["data"]) for e in changes] == [
        ("webhook_added", {"webhook": 1, "origin": "https://crm.example.com"}),
        ("webhook_added", {"webhook": 2, "origin": "http://10.1.2.3:8000"}),
        ("webhook_removed", {"webhook": 1, "origin": "https://crm.example.com"}),
    ]
    assert SECRET not in out


def test_the_secret_can_come_from_standard_input(
    taboor: Taboor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    code, out, _ = taboor(
        "webhook", "add", "https://h.example.com/", "--events", "served", "--secret-file", "-"
    )
    assert (code, out) == (0, "1\n")


@pytest.mark.parametrize(
    ("url", "events", "secret", "message"),
    [
        (
            "ftp://h.example.com/",
            "called",
            "good",
            "a webhook URL is http:// or https:// and a host",
        ),
        ("https://h.example.com/", "called,caled", "good", "unknown event type caled (valid: *, "),
        ("https://h.example.com/", "called", "short", "at least 16 characters"),
        ("https://h.example.com/", "called", "missing", "cannot read the secret file "),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    taboor: Taboor, tmp_path: Path, secret_file: Path, url: str, events: str, secret: str,
    message: str,
) -> None:  # fmt: skip
    files = {"good": secret_file, "short": tmp_path / "short", "missing": tmp_path / "missing"}
    files["short"].write_text("fifteen-chars!!\n", encoding="utf-8")

    code, out, err = taboor(
        "webhook", "add", url, "--events", events, "--secret-file", str(files[secret])
    )

    assert (code, out) == (2, "")
    assert err.startswith("taboor: ")
    assert err.count("\n") == 1
    assert message in err
    assert taboor("webhook", "list", "--json")[1] == "[]\n"


def test_removing_an_unknown_webhook_is_exit_2(taboor: Taboor) -> None:
    assert taboor("webhook", "remove", "9") == (2, "", "taboor: no webhook 9\n")
    with pytest.raises(SystemExit) as exited:
        taboor("webhook", "remove", "nine")
    assert exited.value.code == 2


def test_a_webhook_added_from_the_shell_is_delivered_by_a_running_dispatcher(
    taboor: Taboor, db_url: str, secret_file: Path
) -> None:
    store = Store.open(db_url)
    # No poll within the test: the dispatcher learns of the endpoint from its event, as the
    # server's log tail wakes it.
    dispatcher = WebhookDispatcher(store, SystemClock(), demo_config(), poll_seconds=600.0)
    dispatcher.start()
    try:
        with WebhookReceiver() as receiver:
            code, out, _ = taboor(
                "webhook", "add", receiver.url + "/hook", "--events", "ticket_issued",
                "--secret-file", str(secret_file),
            )  # fmt: skip
            assert code == 0
            webhook_id = int(out)
            dispatcher.wake()
            receiver.wait_until(lambda: dispatcher.endpoints() == [webhook_id])
            code, out, _ = taboor("issue", "A")
            ticket = json.loads(out)
            dispatcher.wake()
            receiver.wait_until(lambda: len(receiver.accepted()) == 1)
            [event] = receiver.accepted()
            assert event["ticket"] == {
                "id": ticket["id"],
                "number": "A001",
                "service": ticket["service"],
            }

            def backlog_cleared() -> bool:
                [listed] = json.loads(taboor("webhook", "list", "--json")[1])
                return bool(listed["backlog"] == 0 and listed["last_ok"] is not None)

            receiver.wait_until(backlog_cleared)
            assert taboor("webhook", "remove", str(webhook_id))[0] == 0
            dispatcher.wake()
            receiver.wait_until(lambda: dispatcher.endpoints() == [])
            taboor("issue", "A")
            dispatcher.wake()
    finally:
        dispatcher.stop()
        store.close()
    assert len(receiver.requests) == 1
