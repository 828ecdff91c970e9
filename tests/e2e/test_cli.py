"""The ``taboor`` command as a script would use it: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from centre.config import DEFAULT_CONFIG
from tests.helpers import run_cli

TICKET_KEYS = {
    "id",
    "number",
    "service",
    "state",
    "source",
    "priority",
    "issued_at",
    "counter",
    "appointment_id",
    "ahead",
    "eta_minutes",
}


def test_a_day_at_a_counter_from_the_shell(taboor) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = taboor("issue", "licence-renewal", "--lang", "en")
    assert code == 0
    first = json.loads(out)
    assert set(first) == TICKET_KEYS
    assert first["number"] == "A001"
    assert first["state"] == "waiting"
    assert first["source"] == "walk_in"
    assert first["issued_at"].endswith("+03:00")
    code, out, _ = taboor("issue", "A", "--priority", "elderly")
    assert json.loads(out)["priority"] == "elderly"

    code, out, _ = taboor("call", "1")
    called = json.loads(out)
    assert (code, called["state"], called["counter"]) == (0, "called", "1")
    assert called["number"] == "A002"  # the elderly visitor gets the first contested call
    for command, state in (("recall", "called"), ("start", "serving"), ("done", "served")):
        code, out, _ = taboor(command, "1")
        assert (code, json.loads(out)["state"]) == (0, state)
    code, out, _ = taboor("call", "1")
    assert json.loads(out)["state"] == "called"
    code, out, _ = taboor("transfer", "1", "licence-lost")
    moved = json.loads(out)
    assert (moved["state"], moved["service"], moved["counter"]) == ("waiting", "licence-lost", None)
    code, out, _ = taboor("call", "2")
    assert json.loads(out)["number"] == moved["number"]
    code, out, _ = taboor("no-show", "2")
    assert json.loads(out)["state"] == "no_show"
    code, out, _ = taboor("call", "2")
    assert (code, out.strip()) == (0, "null")

    code, out, _ = taboor("tickets", "--json")
    assert [(t["number"], t["state"]) for t in json.loads(out)] == [
        ("A001", "no_show"),
        ("A002", "served"),
    ]
    code, out, _ = taboor("events", "--json", "--since", "2")
    events = json.loads(out)
    assert events[0]["seq"] == 3
    assert set(events[0]) == {
        "id",
        "seq",
        "type",
        "at",
        "ticket",
        "appointment_id",
        "counter",
        "data",
    }
    assert [e["type"] for e in events][:2] == ["counter_opened", "called"]


def test_status_json_shape(taboor) -> None:  # type: ignore[no-untyped-def]
    taboor("issue", "E")
    taboor("call", "4")
    taboor("pause", "B", "--reason", "printer of licences broken")
    code, out, _ = taboor("status", "--json")
    status = json.loads(out)
    assert code == 0
    assert status["centre"] == "traffic-dana"
    service = status["services"][0]
    assert set(service) == {"service", "name", "waiting", "eta_minutes", "longest_wait_s", "paused"}
    assert set(service["name"]) == {"ar", "en"}
    assert {s["service"]: s["paused"] for s in status["services"]}["licence-lost"] is True
    assert {"counter": "4", "state": "calling", "ticket": "E001"} in status["counters"]
    assert status["sync"] == {"link": "off", "pending": 4, "last_ok": None}
    code, out, _ = taboor("status")
    assert "licence-lost" in out
    assert "paused" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("issue", "passports"), 2, "no service 'passports'"),
        (("issue", "A", "--priority", "vip"), 2, "no priority class"),
        (("call", "42"), 2, "no counter '42'"),
        (("checkin", "--cpr", "12-34"), 2, "9 digits"),
        (("checkin", "--qr", "'; DROP TABLE tickets; --"), 2, "not a booking QR"),
        (("checkin", "--qr", "TB1.e30.c2ln"), 2, "damaged"),
        (("checkin", "--cpr", "880312345"), 3, "no appointment today"),
        (("checkin", "--qr", "TRF-2026-0042"), 3, "no booking TRF-2026-0042"),
        (("done", "3"), 3, "counter 3 has no current ticket"),
        (("issue", "driving-test"), 3, "by appointment only"),
        (("tickets", "--date", "yesterday"), 2, "YYYY-MM-DD"),
        (("cancel", "Z999"), 2, "no ticket"),
    ],
)
def test_errors_are_one_line_with_their_exit_code(taboor, args, code, message) -> None:  # type: ignore[no-untyped-def]
    got, out, err = taboor(*args)
    assert got == code
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("taboor: ")
    assert message in err
    assert "Traceback" not in err


def test_paused_service_is_refused(taboor) -> None:  # type: ignore[no-untyped-def]
    taboor("pause", "A")
    code, _, err = taboor("issue", "A")
    assert code == 3
    assert "paused" in err


def test_check_config(taboor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = taboor("check-config", str(DEFAULT_CONFIG))
    assert code == 0
    assert "ok (traffic-dana, 6 services, 8 counters)" in out
    broken = tmp_path / "broken.toml"
    broken.write_text(
        DEFAULT_CONFIG.read_text(encoding="utf-8").replace(
            "max_wait_minutes = 40", "max_wait_minutes = 0"
        ),
        encoding="utf-8",
    )
    code, _, err = taboor("check-config", str(broken))
    assert code == 2
    assert f"{broken}:" in err
    assert "services[2].max_wait_minutes" in err


# -- real processes --------------------------------------------------------------


def test_headless_commands_never_import_qt(tmp_path: Path, sqlite_url: str) -> None:
    script = (
        "import sys\n"
        "from taboor.cli import main\n"
        "main(['issue', 'A'])\n"
        "main(['status', '--json'])\n"
        "heavy = ('PySide6', 'escpos', 'httpx', 'requests')\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in heavy]\n"
        "assert not loaded, loaded\n"
    )
    env = {**os.environ, "TABOOR_HOME": str(tmp_path), "TABOOR_DB": sqlite_url}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr


def test_unreachable_database_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = run_cli(
        "status",
        db="postgresql://nobody@127.0.0.1:1/none?connect_timeout=2",
        home=tmp_path,
    )
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err
    assert "database error" in result.err
    assert (tmp_path / "errors.log").exists()


def test_the_console_script_runs(tmp_path: Path, sqlite_url: str) -> None:
    result = run_cli("issue", "C", "--json", db=sqlite_url, home=tmp_path)
    assert result.code == 2  # issue has no --json: it always prints JSON
    result = run_cli("issue", "C", db=sqlite_url, home=tmp_path)
    assert result.code == 0
    assert result.json()["number"] == "C001"


def test_demo_prepares_a_centre_a_newcomer_can_drive(tmp_path: Path, sqlite_url: str) -> None:
    # On a server's shell: no desktop, no Qt platform named. Preparing opens no window.
    headless = {"QT_QPA_PLATFORM": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    result = run_cli(
        "--db", sqlite_url, "demo", "--prepare-only", db=sqlite_url, home=tmp_path, env=headless
    )
    assert result.code == 0, result.err
    assert "Demo centre ready" in result.out
    # Harmless the second time.
    again = run_cli("--db", sqlite_url, "demo", "--prepare-only", db=sqlite_url, home=tmp_path)
    assert again.code == 0
    checked_in = run_cli("checkin", "--cpr", "990000101", db=sqlite_url, home=tmp_path)
    assert checked_in.code == 0, checked_in.err
    ticket = checked_in.json()
    assert (ticket["source"], ticket["service"]) == ("appointment", "licence-renewal")
    several = run_cli("checkin", "--cpr", "990 000 102", db=sqlite_url, home=tmp_path)
    assert several.code == 3
    reference = several.err.split("(")[1].split(" at ")[0]
    by_reference = run_cli("checkin", "--qr", reference, db=sqlite_url, home=tmp_path)
    assert by_reference.code == 0, by_reference.err
    assert run_cli("checkin", "--cpr", "990000103", db=sqlite_url, home=tmp_path).code == 3


def test_central_sim_serves_the_contract_with_a_token_it_made(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "TABOOR_HOME": str(tmp_path)}
    env.pop("TABOOR_CENTRAL_TOKEN", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "taboor", "central-sim", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert "reference central for traffic-dana" in server.stdout.readline()
        token = (tmp_path / "central-token.txt").read_text(encoding="utf-8").strip()
        assert (tmp_path / "central-token.txt").stat().st_mode & 0o077 == 0
        url = f"http://127.0.0.1:{port}/v1/health"
        deadline = time.monotonic() + 10
        while True:
            try:
                answer = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=2)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert (answer.status_code, answer.json()) == (200, {"status": "ok"})
        assert httpx.get(url, timeout=2).status_code == 401
    finally:
        server.terminate()
        server.communicate(timeout=10)
