"""The staff, break, services and rating commands, as a user types them."""

from __future__ import annotations

import io
import json

import pytest

from tests.e2e.conftest import Taboor


def with_stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_staff_accounts_sign_in_and_breaks(taboor: Taboor, monkeypatch: pytest.MonkeyPatch) -> None:
    with_stdin(monkeypatch, "2468\n")
    code, out, _ = taboor(
        "staff", "add", "c101", "--name-ar", "فاطمة علي", "--name-en", "Fatima Ali", "--pin-stdin"
    )
    assert code == 0
    assert "c101" in out
    code, out, _ = taboor("staff", "list", "--json")
    [member] = json.loads(out)
    assert member == {
        "id": "c101",
        "name_ar": "فاطمة علي",
        "name_en": "Fatima Ali",
        "role": "clerk",
        "active": True,
    }
    assert "2468" not in out

    with_stdin(monkeypatch, "1111\n")
    code, _, err = taboor("sign-in", "1", "c101", "--pin-stdin")
    assert (code, err) == (3, "taboor: wrong staff id or PIN\n")
    with_stdin(monkeypatch, "2468\n")
    assert taboor("sign-in", "1", "c101", "--pin-stdin")[0] == 0

    code, _, err = taboor("break", "1")
    assert code == 3
    assert err.count("\n") == 1
    assert "not open" in err
    assert taboor("open", "1")[0] == 0
    assert taboor("break", "1", "--reason", "prayer")[0] == 0
    code, out, _ = taboor("status", "--json")
    assert json.loads(out)["counters"][0]["state"] == "break"
    assert taboor("back", "1")[0] == 0
    assert taboor("sign-out", "1")[0] == 0
    code, out, _ = taboor("status", "--json")
    assert json.loads(out)["counters"][0]["state"] == "closed"


def test_a_pin_is_never_read_without_a_terminal_or_stdin(
    taboor: Taboor, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_stdin(monkeypatch, "")
    code, _, err = taboor("staff", "add", "c1", "--name-ar", "أ", "--name-en", "A")
    assert code == 2
    assert "--pin-stdin" in err
    with_stdin(monkeypatch, "12\n")
    code, _, err = taboor("staff", "add", "c1", "--name-ar", "أ", "--name-en", "A", "--pin-stdin")
    assert (code, err) == (2, "taboor: a PIN has 4 to 8 digits\n")
    code, _, err = taboor("staff", "pin")
    assert code == 2
    assert "needs a staff id" in err


def test_services_of_a_counter_and_ratings(taboor: Taboor) -> None:
    code, out, _ = taboor("services", "1")
    configured = out.split()
    code, out, _ = taboor("services", "1", "C")
    assert (code, out) == (0, "vehicle-registration\n")
    assert taboor("services", "1", "--reset")[1].split() == configured
    code, _, err = taboor("services", "1", "nothing")
    assert code == 2
    assert "nothing" in err

    number = json.loads(taboor("issue", "A")[1])["number"]
    code, _, err = taboor("rate", number, "5")
    assert code == 3
    assert "only a served ticket" in err
    taboor("call", "1")
    taboor("start", "1")
    taboor("done", "1")
    assert taboor("rate", number, "5")[0] == 0
    assert taboor("rate", number, "4")[0] == 3
    assert taboor("rate", number, "9")[2] == "taboor: a rating is 1 to 5, not 9\n"
    events = json.loads(taboor("events", "--json")[1])
    assert [e["data"]["rating"] for e in events if e["type"] == "feedback"] == [5]
